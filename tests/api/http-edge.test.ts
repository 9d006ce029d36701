import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Config as SvelteConfig } from '@sveltejs/kit';
// @ts-expect-error -- plain JavaScript without a declaration file; typed below
import svelteJs from '../../svelte.config.js';
import { buildApp } from '../../server/app';
import { users } from '../../server/db/schema';
import { createHarness, expectError, issuePaths, json } from '../helpers/harness';
import { modulePackageFixtures } from '../helpers/module-package';
import { moduleFixtures, sampleCards, textBlock } from '../helpers/modules';

const svelteConfig = svelteJs as SvelteConfig;
const h = await createHarness();
const { freshModule, freshLesson } = moduleFixtures(h);
const files = modulePackageFixtures(h);

describe('deeply nested JSON', () => {
  it('a 10,000-deep array is refused with 400 before any handler, not a 500', async () => {
    const { a } = h.world;
    const deep = `{"name":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
    const res = await a.users.trainer.inject({
      method: 'POST',
      url: `/api/orgs/${a.id}/tools`,
      payload: deep,
      headers: { 'content-type': 'application/json' },
    });
    const err = expectError(res, 400, 'VALIDATION_FAILED');
    expect(err.message).toMatch(/nested/i);
    expect(issuePaths(err)).toEqual(['body']);
  });

  it('nesting up to the bound still reaches the route (and its schema)', async () => {
    const { a } = h.world;
    const nested = `{"name":"CRM","description":${'['.repeat(20)}${']'.repeat(20)}}`;
    const res = await a.users.trainer.inject({
      method: 'POST',
      url: `/api/orgs/${a.id}/tools`,
      payload: nested,
      headers: { 'content-type': 'application/json' },
    });
    // The schema, not the nesting guard, refuses it: the issue names the field.
    expect(issuePaths(expectError(res, 400, 'VALIDATION_FAILED'))).toEqual(['body.description']);
  });

  it('brackets inside strings do not count as nesting', async () => {
    const { a } = h.world;
    const res = await a.users.trainer.inject({
      method: 'POST',
      url: `/api/orgs/${a.id}/tools`,
      payload: { name: `Brackets ${'[{'.repeat(50)}`, description: '\\"[' },
    });
    expect(res.statusCode, res.body).toBe(201);
  });

  it('a body sent to a route that takes none (logout) is never parsed', async () => {
    // 18 KiB of nesting that is not even valid JSON: parsing it would answer 400.
    const payload = `${'[{"a":'.repeat(3_000)}`;
    const res = await h.anon.inject({
      method: 'POST',
      url: '/api/auth/logout',
      payload,
      headers: { 'content-type': 'application/json' },
    });
    expect(res.statusCode, res.body).toBe(204);
  });
});

describe('lone UTF-16 surrogates, which PostgreSQL jsonb cannot store', () => {
  const loneHigh = 'Open the CRM \ud800 now';
  const loneLow = 'Save \udc00';

  it('in a card: 400 at the field, not a 500', async () => {
    const { a } = h.world;
    const lesson = await freshLesson(a);
    const res = await a.users.trainer.inject({
      method: 'POST',
      url: `/api/orgs/${a.id}/lessons/${lesson.id}/cards`,
      payload: { ...sampleCards.short, modelAnswer: loneLow },
    });
    expect(issuePaths(expectError(res, 400, 'VALIDATION_FAILED'))).toEqual(['body.modelAnswer']);
  });

  it('in a lesson block: 400 at the field', async () => {
    const { a } = h.world;
    const module = await freshModule(a);
    const res = await a.users.trainer.inject({
      method: 'POST',
      url: `/api/orgs/${a.id}/modules/${module.id}/lessons`,
      payload: { title: 'Lesson', blocks: [textBlock('Fine'), textBlock(loneHigh)] },
    });
    expect(issuePaths(expectError(res, 400, 'VALIDATION_FAILED'))).toEqual([
      'body.blocks.1.markdown',
    ]);
  });

  it('in an imported module file: 400 at the field', async () => {
    const { a } = h.world;
    const exported = await a.users.trainer.inject({
      method: 'GET',
      url: files.exportUrl(a, await files.smallModule(a)),
    });
    const file = json(exported);
    file.module.title = loneHigh;
    const res = await a.users.trainer.inject({
      method: 'POST',
      url: files.importUrl(a),
      payload: file,
    });
    expect(issuePaths(expectError(res, 400, 'VALIDATION_FAILED'))).toEqual(['body.module.title']);
  });

  it('a well-formed pair (an emoji) is fine', async () => {
    const { a } = h.world;
    const lesson = await freshLesson(a);
    const res = await a.users.trainer.inject({
      method: 'POST',
      url: `/api/orgs/${a.id}/lessons/${lesson.id}/cards`,
      payload: { ...sampleCards.short, modelAnswer: 'Ctrl+S 💾' },
    });
    expect(res.statusCode, res.body).toBe(201);
  });
});

describe('logs keep secrets and personal data out', () => {
  /** The real app on the harness's database, logging at info into `lines`. */
  async function loggingApp() {
    const lines: string[] = [];
    const app = await buildApp({
      config: { ...h.config, logLevel: 'info' },
      db: h.db,
      clock: h.clock,
      logStream: { write: (line: string) => void lines.push(line) },
    });
    // A query that fails on a unique address, as a duplicate sign-up would.
    app.post('/api/failing-query', { config: { public: true } }, async () => {
      const values = {
        email: h.world.a.users.admin.email,
        name: 'Secret Name',
        locale: 'en' as const,
      };
      await h.db.insert(users).values({ ...values, passwordHash: 'x' });
    });
    await app.ready();
    return { app, logs: () => lines.join('') };
  }

  it('invitation tokens never appear in logged URLs', async () => {
    const { app, logs } = await loggingApp();
    const token = 'SECRETTOKEN1234567890abcdefABCDEF-_xyz0123';
    for (const url of [
      `/api/invitations/${token}`,
      `/api/invitations/${token}/accept`,
      `/invite/${token}`,
      `/login?next=${encodeURIComponent(`/invite/${token}`)}`,
    ]) {
      await app.inject({ method: url.endsWith('accept') ? 'POST' : 'GET', url });
    }
    await app.close();
    expect(logs()).toContain('/api/invitations/[redacted]/accept');
    expect(logs()).toContain('/invite/[redacted]');
    expect(logs()).not.toContain(token);
  });

  it('a failed query is logged with its SQL and code, not its parameters', async () => {
    const { app, logs } = await loggingApp();
    const res = await app.inject({ method: 'POST', url: '/api/failing-query' });
    await app.close();
    expectError(res, 500, 'INTERNAL');
    expect(logs()).toMatch(/insert into \\?"users\\?"/);
    expect(logs()).toContain('23505');
    expect(logs()).not.toContain(h.world.a.users.admin.email);
    expect(logs()).not.toContain('Secret Name');
  });
});

describe('Content-Security-Policy headers', () => {
  it("the web app's pages send the built page's policy as a header", async () => {
    const shell = fs.readFileSync(path.join(h.config.webDir!, 'index.html'), 'utf8');
    const meta = /http-equiv="content-security-policy"\s+content="([^"]*)"/.exec(shell)![1]!;
    for (const url of ['/', '/login', '/invite/abc']) {
      const res = await h.anon.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-security-policy'], url).toBe(meta);
    }
  });

  it('images in the web app come from this origin only', async () => {
    const res = await h.anon.inject({ method: 'GET', url: '/' });
    const policy = String(res.headers['content-security-policy']);
    expect(policy).toMatch(/img-src 'self' data: blob:(;|$)/);
    // The one source of the policy says the same.
    expect(svelteConfig.kit!.csp!.directives!['img-src']).toEqual(['self', 'data:', 'blob:']);
  });

  it('the API documentation page has a policy with no other host', async () => {
    for (const url of ['/api/docs', '/api/docs/', '/api/docs/static/swagger-initializer.js']) {
      const res = await h.anon.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      const policy = String(res.headers['content-security-policy']);
      expect(policy, url).toMatch(/default-src 'self';/);
      expect(policy, url).toMatch(/script-src 'self'( 'sha256-[^']+')*;/);
      expect(policy, url).toMatch(/img-src 'self' data:;/);
      expect(policy, url).not.toMatch(/https:|swagger\.io|upgrade-insecure/);
    }
  });

  it('an image from another host in a lesson is saved as a plain link, never shown', async () => {
    const { a } = h.world;
    const module = await freshModule(a);
    const markdown = 'Voir ![le schéma](https://track.example/pixel.gif)';
    const lesson = await freshLesson(a, module.id, { title: 'L', blocks: [textBlock(markdown)] });
    const html: string = lesson.blocks[0].html;
    expect(html).not.toContain('<img');
    expect(html).toContain('<a href="https://track.example/pixel.gif"');
    expect(html).toContain('le schéma</a>');
    expect(lesson.blocks[0].markdown).toBe(markdown);
  });
});

describe('the built web app is sent compressed', () => {
  /** A build as svelte.config.js makes it: each text file with its .br and .gz copies. */
  async function builtApp() {
    const webDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rappel-web-'));
    const script = `export const answer = "${'forty-two '.repeat(200)}";`;
    const files = {
      'index.html': fs.readFileSync(path.join(h.config.webDir!, 'index.html'), 'utf8'),
      '_app/immutable/entry/start.abc123.js': script,
      'service-worker.js': script,
    };
    for (const [name, text] of Object.entries(files)) {
      const file = path.join(webDir, name);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
      fs.writeFileSync(`${file}.br`, zlib.brotliCompressSync(text));
      fs.writeFileSync(`${file}.gz`, zlib.gzipSync(text));
    }
    const app = await buildApp({ config: { ...h.config, webDir }, db: h.db, clock: h.clock });
    await app.ready();
    return { app, files, webDir };
  }

  it('picks brotli or gzip from Accept-Encoding, and the plain file for those who ask for neither', async () => {
    const { app, files, webDir } = await builtApp();
    const url = '/_app/immutable/entry/start.abc123.js';
    const plain = files['_app/immutable/entry/start.abc123.js'];
    const cases = [
      { accept: 'gzip, deflate, br', encoding: 'br', decode: zlib.brotliDecompressSync },
      { accept: 'gzip', encoding: 'gzip', decode: zlib.gunzipSync },
      { accept: 'identity', encoding: undefined, decode: (b: Buffer) => b },
    ];
    for (const { accept, encoding, decode } of cases) {
      const res = await app.inject({ method: 'GET', url, headers: { 'accept-encoding': accept } });
      expect(res.statusCode, accept).toBe(200);
      expect(res.headers['content-encoding'], accept).toBe(encoding);
      expect(res.headers['content-type'], accept).toMatch(/javascript/);
      expect(res.headers.vary, accept).toMatch(/accept-encoding/i);
      // Hashed file names change with their content: a year in any cache.
      expect(res.headers['cache-control'], accept).toBe('public, max-age=31536000, immutable');
      expect(decode(res.rawPayload).toString(), accept).toBe(plain);
      if (encoding) expect(res.rawPayload.length, accept).toBeLessThan(plain.length / 10);
    }
    await app.close();
    fs.rmSync(webDir, { recursive: true });
  });

  it('the page itself, compressed, keeps its policy and is checked again at every visit', async () => {
    const { app, files, webDir } = await builtApp();
    for (const url of ['/', '/o/some-org/learn']) {
      const res = await app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'br' } });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-encoding'], url).toBe('br');
      expect(res.headers['content-type'], url).toMatch(/text\/html/);
      expect(res.headers['cache-control'], url).toBe('no-cache');
      expect(res.headers['content-security-policy'], url).toMatch(/default-src 'self'/);
      expect(zlib.brotliDecompressSync(res.rawPayload).toString(), url).toBe(files['index.html']);
    }
    const worker = await app.inject({
      method: 'GET',
      url: '/service-worker.js',
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(worker.headers['content-encoding']).toBe('gzip');
    expect(worker.headers['content-security-policy']).toBe("default-src 'self'");
    expect(worker.headers['cache-control']).toBe('no-cache');
    await app.close();
    fs.rmSync(webDir, { recursive: true });
  });
});
