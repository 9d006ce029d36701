import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, fastifyTrustProxy, loadConfig } from '../../server/config';

describe('configuration from the environment', () => {
  it('has defaults that run Rappel locally on the embedded database', () => {
    const c = loadConfig({}, '/srv/rappel');
    expect(c).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      dataDir: path.resolve('/srv/rappel', 'data'),
      databaseUrl: undefined,
      publicUrl: undefined,
      logLevel: 'info',
    });
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' }, '/srv')).toMatchObject({
      databaseUrl: undefined,
      port: 3000,
    });
  });

  it('reads every variable', () => {
    const c = loadConfig(
      {
        PORT: '8080',
        HOST: '0.0.0.0',
        DATA_DIR: '/var/lib/rappel',
        DATABASE_URL: 'postgres://u@db:5432/rappel',
        PUBLIC_URL: 'https://rappel.example.com/',
        LOG_LEVEL: 'warn',
      },
      '/srv/rappel',
    );
    expect(c).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      dataDir: '/var/lib/rappel',
      databaseUrl: 'postgres://u@db:5432/rappel',
      publicUrl: 'https://rappel.example.com',
      logLevel: 'warn',
    });
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://x'],
    ['PUBLIC_URL', 'not a url'],
    ['PUBLIC_URL', 'ftp://files.example.com'],
    ['LOG_LEVEL', 'loud'],
    ['TRUST_PROXY', 'yes'],
    ['TRUST_PROXY', '10.0.0.1, proxy.internal'],
    ['TRUST_PROXY', '10.0.0.0/33'],
    ['TRUST_PROXY', '-1'],
  ])('stops with a clear message naming %s=%s', (name, value) => {
    expect(() => loadConfig({ [name]: value }, '/srv')).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value }, '/srv')).toThrow(new RegExp(name));
  });

  it('trusts no proxy unless TRUST_PROXY says which', () => {
    expect(loadConfig({}, '/srv').trustProxy).toBeUndefined();
    const read = (value: string) => loadConfig({ TRUST_PROXY: value }, '/srv').trustProxy;
    expect(read('true')).toBe(true);
    expect(read('false')).toBe(false);
    expect(read('2')).toBe(2);
    expect(read('10.0.0.2, 192.168.0.0/16,fd00::/8 ')).toEqual([
      '10.0.0.2',
      '192.168.0.0/16',
      'fd00::/8',
    ]);
  });

  it('turns a hop count into trusting that many hops from the socket', () => {
    const trust = fastifyTrustProxy(2) as (address: string, hop: number) => boolean;
    expect([0, 1, 2].map((hop) => trust('203.0.113.9', hop))).toEqual([true, true, false]);
    expect(fastifyTrustProxy(undefined)).toBe(false);
    expect(fastifyTrustProxy(['10.0.0.2'])).toEqual(['10.0.0.2']);
  });
});
