import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app';
import { createHarness, expectError, PASSWORD } from '../helpers/harness';

const h = await createHarness({ seed: false });

describe('per-IP rate limits on the public entry points', () => {
  it('answers 429 in the one error shape once one IP sends too many logins', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) {
      // A different account each time, so only the per-address limit can trip.
      const res = await h.anon.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: `nobody${i}@example.test`, password: 'whatever' },
        remoteAddress: '203.0.113.7',
      });
      statuses.push(res.statusCode);
      if (i === 30) {
        expectError(res, 429, 'RATE_LIMITED');
        expect(res.headers['retry-after']).toBeDefined();
      }
    }
    expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
    // Another IP is not affected.
    const other = await h.anon.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'nobody@example.test', password: 'whatever' },
      remoteAddress: '198.51.100.9',
    });
    expect(other.statusCode).toBe(401);
  });
});

describe('behind a reverse proxy (TRUST_PROXY)', () => {
  const PROXY = '10.0.0.2';
  const unknownLink = `/api/invitations/${'x'.repeat(43)}`;
  /** A look-up of an invitation link (30 a minute per client) through the proxy. */
  const lookUp = (app: FastifyInstance, client: string, peer = PROXY) =>
    app.inject({
      method: 'GET',
      url: unknownLink,
      remoteAddress: peer,
      headers: { 'x-forwarded-for': client },
    });

  async function exhaust(app: FastifyInstance, client: string, peer?: string) {
    for (let i = 0; i < 30; i++) {
      expect((await lookUp(app, client, peer)).statusCode).toBe(404);
    }
    expectError(await lookUp(app, client, peer), 429, 'RATE_LIMITED');
  }

  it('trusting the proxy: two clients behind it are limited separately', async () => {
    const app = await buildApp({ config: { ...h.config, trustProxy: [PROXY] }, db: h.db });
    try {
      await exhaust(app, '203.0.113.1');
      expectError(await lookUp(app, '203.0.113.2'), 404, 'INVITATION_INVALID');
      // Another peer's X-Forwarded-For is not believed: it is one client, itself.
      await exhaust(app, '203.0.113.3', '10.9.9.9');
      expect((await lookUp(app, '203.0.113.4', '10.9.9.9')).statusCode).toBe(429);
      // The scheme the proxy reports makes the session cookie Secure.
      const user = await h.addUser(null, []);
      const res = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: user.email, password: PASSWORD },
        remoteAddress: PROXY,
        headers: { 'x-forwarded-for': '203.0.113.5', 'x-forwarded-proto': 'https' },
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.cookies.find((c) => c.name === 'rappel_session')?.secure).toBe(true);
    } finally {
      await app.close();
    }
  });

  it('by default X-Forwarded-For is ignored: everyone behind the proxy is one client', async () => {
    await exhaust(h.app, '203.0.113.1', '10.0.0.3');
    expect((await lookUp(h.app, '203.0.113.2', '10.0.0.3')).statusCode).toBe(429);
  });
});
