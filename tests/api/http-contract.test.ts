import { describe, expect, it } from 'vitest';
import { withFailingRoute } from '../helpers/failing-route';
import { createHarness, expectError, json } from '../helpers/harness';

const h = await createHarness();

describe('health', () => {
  it('answers ok while the database answers', async () => {
    const res = await h.anon.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(json(res)).toEqual({ status: 'ok' });
  });
});

describe('the one error shape for bad requests, never a 500', () => {
  const login = (
    payload: string,
    headers: Record<string, string> = { 'content-type': 'application/json' },
  ) => h.anon.inject({ method: 'POST', url: '/api/auth/login', payload, headers });

  it('malformed JSON', async () => {
    expectError(await login('{"email": '), 400, 'VALIDATION_FAILED');
  });
  it('wrong types and missing fields, with the field paths', async () => {
    const err = expectError(await login(JSON.stringify({ email: 42 })), 400, 'VALIDATION_FAILED');
    expect(err.issues!.map((i) => i.path.join('.'))).toEqual(
      expect.arrayContaining(['body.email', 'body.password']),
    );
  });
  it('NUL characters, which PostgreSQL cannot store, in a body or a query string', async () => {
    const { a } = h.world;
    const tool = await a.users.trainer.inject({
      method: 'POST',
      url: `/api/orgs/${a.id}/tools`,
      payload: { name: 'CRM\u0000', description: 'ok' },
    });
    const err = expectError(tool, 400, 'VALIDATION_FAILED');
    expect(err.issues!.map((i) => i.path.join('.'))).toEqual(['body.name']);
    const list = await a.users.trainer.inject({
      method: 'GET',
      url: `/api/orgs/${a.id}/modules?status=draft%00`,
    });
    expect(expectError(list, 400, 'VALIDATION_FAILED').issues![0]!.path).toEqual([
      'querystring',
      'status',
    ]);
  });
  it('unknown fields', async () => {
    const err = expectError(
      await login(JSON.stringify({ email: 'a@b.co', password: 'x', admin: true })),
      400,
      'VALIDATION_FAILED',
    );
    expect(err.issues!.length).toBeGreaterThan(0);
  });
  it('__proto__ and constructor.prototype payloads', async () => {
    expectError(await login('{"email":"a@b.co","password":"x","__proto__":{"isAdmin":true}}'), 400);
    expectError(
      await login('{"email":"a@b.co","password":"x","constructor":{"prototype":{"isAdmin":true}}}'),
      400,
    );
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });
  it('oversized bodies', async () => {
    const big = JSON.stringify({ email: 'a@b.co', password: 'x'.repeat(h.config.bodyLimit) });
    expectError(await login(big), 413, 'PAYLOAD_TOO_LARGE');
  });
  it('bodies that are not JSON', async () => {
    expectError(
      await login('email=a@b.co', { 'content-type': 'application/x-www-form-urlencoded' }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
    expectError(
      await login('hello', { 'content-type': 'text/plain' }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
  });
  it('an empty body announced as JSON', async () => {
    expectError(await login(''), 400, 'VALIDATION_FAILED');
  });
  it('a path parameter over 100 characters keeps its 414, in the one shape', async () => {
    const { a } = h.world;
    const res = await a.users.admin.inject({
      method: 'GET',
      url: `/api/orgs/${a.id}/tools/${'x'.repeat(101)}`,
    });
    expectError(res, 414, 'VALIDATION_FAILED');
    expectError(
      await h.anon.inject({ method: 'GET', url: `/api/invitations/${'t'.repeat(200)}` }),
      414,
    );
  });
  it('bad percent-encoding in the path keeps its 400, in the one shape', async () => {
    const { a } = h.world;
    const res = await a.users.admin.inject({
      method: 'GET',
      url: `/api/orgs/${a.id}/tools/%E0%A4%A`,
    });
    expectError(res, 400, 'VALIDATION_FAILED');
    expectError(await h.anon.inject({ method: 'GET', url: '/api/invitations/%ff' }), 400);
  });
  it('unknown API paths answer JSON 404, signed in or not', async () => {
    expectError(await h.anon.inject({ method: 'GET', url: '/api/nope' }), 404, 'NOT_FOUND');
    expectError(
      await h.world.a.users.admin.inject({ method: 'DELETE', url: '/api/orgs' }),
      404,
      'NOT_FOUND',
    );
    expectError(await h.anon.inject({ method: 'GET', url: '/api' }), 404, 'NOT_FOUND');
  });
  it('an unexpected failure is a 500 with a request id and no internals', async () => {
    const app = await withFailingRoute(h);
    const res = await app.inject({ method: 'GET', url: '/api/boom' });
    const err = expectError(res, 500, 'INTERNAL');
    expect(err).toHaveProperty('requestId');
    expect(res.body).not.toContain('secret detail');
    await app.close();
  });
});

describe('the web app', () => {
  it('serves the SPA for any non-API path (client-side routes)', async () => {
    for (const url of ['/', '/login', '/o/123/people', '/invite/abc']) {
      const res = await h.anon.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.body).toContain('Rappel test shell');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
    const api = await h.anon.inject({ method: 'GET', url: '/api/health' });
    expect(api.headers['x-content-type-options']).toBe('nosniff');
  });
});

describe('cross-site requests', () => {
  it('refuses state-changing requests from another origin', async () => {
    const { a } = h.world;
    const evil = await a.users.admin.inject({
      method: 'POST',
      url: `/api/orgs/${a.id}/teams`,
      payload: { name: 'Evil' },
      headers: { origin: 'https://evil.example' },
    });
    expectError(evil, 403, 'BAD_ORIGIN');
    const fetchSite = await a.users.admin.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { 'sec-fetch-site': 'cross-site' },
    });
    expectError(fetchSite, 403, 'BAD_ORIGIN');
    const same = await a.users.admin.inject({
      method: 'POST',
      url: `/api/orgs/${a.id}/teams`,
      payload: { name: 'Same origin' },
      headers: { origin: 'http://localhost:80', host: 'localhost:80' },
    });
    expect(same.statusCode).toBe(201);
    // Reads are not state-changing: a foreign Origin on GET is fine.
    const read = await a.users.admin.inject({
      method: 'GET',
      url: '/api/me',
      headers: { origin: 'https://evil.example' },
    });
    expect(read.statusCode).toBe(200);
  });

  it('marks the session cookie Secure when served over HTTPS', async () => {
    const https = await createHarness({
      seed: false,
      config: { publicUrl: 'https://rappel.example.com' },
    });
    try {
      const res = await https.anon.inject({
        method: 'POST',
        url: '/api/setup',
        payload: {
          organisation: { name: 'S' },
          admin: { name: 'A', email: 'a@s.test', password: 'a long password' },
        },
      });
      expect(res.cookies.find((c) => c.name === 'rappel_session')).toMatchObject({
        secure: true,
        httpOnly: true,
        sameSite: 'Lax',
      });
    } finally {
      await https.close();
    }
    // A second harness migrates a database of its own: seconds on a busy machine.
  }, 60_000);
});

describe('API documentation', () => {
  it('serves an OpenAPI 3 document listing every API route, and the interactive page', async () => {
    const res = await h.anon.inject({ method: 'GET', url: '/api/docs/json' });
    expect(res.statusCode).toBe(200);
    const spec = json(res);
    expect(spec.openapi).toMatch(/^3\./);
    const documented = new Set<string>();
    for (const [p, ops] of Object.entries<Record<string, unknown>>(spec.paths)) {
      for (const m of Object.keys(ops))
        documented.add(`${m.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')}`);
    }
    const expected = [
      'GET /api/health',
      'GET /api/setup',
      'POST /api/setup',
      'POST /api/auth/login',
      'POST /api/auth/logout',
      'GET /api/me',
      'PATCH /api/me',
      'POST /api/me/password',
      'POST /api/orgs',
      'GET /api/orgs/:orgId',
      'PATCH /api/orgs/:orgId',
      'GET /api/orgs/:orgId/members',
      'PATCH /api/orgs/:orgId/members/:userId',
      'GET /api/orgs/:orgId/teams',
      'POST /api/orgs/:orgId/teams',
      'PATCH /api/orgs/:orgId/teams/:teamId',
      'DELETE /api/orgs/:orgId/teams/:teamId',
      'GET /api/orgs/:orgId/job-roles',
      'POST /api/orgs/:orgId/job-roles',
      'PATCH /api/orgs/:orgId/job-roles/:jobRoleId',
      'DELETE /api/orgs/:orgId/job-roles/:jobRoleId',
      'GET /api/orgs/:orgId/invitations',
      'POST /api/orgs/:orgId/invitations',
      'DELETE /api/orgs/:orgId/invitations/:invitationId',
      'POST /api/orgs/:orgId/invitations/:invitationId/renew',
      'GET /api/invitations/:token',
      'POST /api/invitations/:token/accept',
      'GET /api/orgs/:orgId/personas',
      'POST /api/orgs/:orgId/personas',
      'GET /api/orgs/:orgId/personas/:personaId',
      'PATCH /api/orgs/:orgId/personas/:personaId',
      'DELETE /api/orgs/:orgId/personas/:personaId',
      'GET /api/orgs/:orgId/personas/rules',
      'PUT /api/orgs/:orgId/personas/rules',
      'POST /api/orgs/:orgId/personas/rules/preview',
      'GET /api/orgs/:orgId/tools',
      'POST /api/orgs/:orgId/tools',
      'GET /api/orgs/:orgId/tools/:toolId',
      'PATCH /api/orgs/:orgId/tools/:toolId',
      'DELETE /api/orgs/:orgId/tools/:toolId',
      'POST /api/orgs/:orgId/tools/:toolId/processes',
      'PATCH /api/orgs/:orgId/processes/:processId',
      'DELETE /api/orgs/:orgId/processes/:processId',
      'GET /api/orgs/:orgId/processes/:processId/next-uses',
      'GET /api/orgs/:orgId/settings/learning',
      'PATCH /api/orgs/:orgId/settings/learning',
      'GET /api/orgs/:orgId/me/learner',
      'POST /api/orgs/:orgId/me/onboarding',
      'PATCH /api/orgs/:orgId/me/persona',
      'GET /api/orgs/:orgId/assignments',
      'POST /api/orgs/:orgId/assignments',
      'DELETE /api/orgs/:orgId/assignments/:assignmentId',
      'GET /api/orgs/:orgId/me/today',
      'GET /api/orgs/:orgId/me/modules',
      'GET /api/orgs/:orgId/me/modules/:moduleId',
      'PUT /api/orgs/:orgId/me/lessons/:lessonId/progress',
      'POST /api/orgs/:orgId/me/modules/:moduleId/placement',
      'POST /api/orgs/:orgId/me/modules/:moduleId/placement/check',
      'GET /api/orgs/:orgId/pauses',
      'POST /api/orgs/:orgId/pauses',
      'DELETE /api/orgs/:orgId/pauses/:pauseId',
      'GET /api/orgs/:orgId/dashboards/overview',
      'GET /api/orgs/:orgId/dashboards/forecast',
      'GET /api/orgs/:orgId/dashboards/true-retention',
      'GET /api/orgs/:orgId/dashboards/at-risk',
      'GET /api/orgs/:orgId/dashboards/learners/:userId',
    ];
    for (const route of expected) expect(documented, route).toContain(route);
    // Every documented operation has a response schema for its success status.
    for (const ops of Object.values<Record<string, { responses: Record<string, unknown> }>>(
      spec.paths,
    )) {
      for (const op of Object.values(ops))
        expect(Object.keys(op.responses).length).toBeGreaterThan(0);
    }
    const ui = await h.anon.inject({ method: 'GET', url: '/api/docs' });
    expect([200, 302]).toContain(ui.statusCode);
  });
});
