import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app';
import { createPasswordHasher, type PasswordHasher } from '../../server/auth/passwords';
import { createScheduler } from '../../server/srs/fsrs';
import {
  Caller,
  createHarness,
  expectError,
  json,
  PASSWORD,
  type UserFixture,
} from '../helpers/harness';

/**
 * Sessions that must end, and password guessing that must stay bounded per account and per
 * address, whatever the entry point and however many guesses arrive at once.
 */
const h = await createHarness();
const { a, b } = h.world;
const max = h.config.loginFailures.max;

/** The real hasher, counting every password check (a verification or its stand-in). */
let checks = 0;
const real = createPasswordHasher(h.config.argon2);
const counting: PasswordHasher = {
  hash: (password) => real.hash(password),
  verify: (stored, password) => (checks++, real.verify(stored, password)),
  burn: (password) => (checks++, real.burn(password)),
};
// A second instance on the same database, like a second API server behind a load balancer.
const app: FastifyInstance = await buildApp({
  config: h.config,
  db: h.db,
  clock: h.clock,
  hasher: counting,
  scheduler: createScheduler({ fuzz: false }),
});
afterAll(() => app.close());

let ip = 0;
/** Every request from another address (a botnet), so that only the per-account limits apply. */
const from = () => `198.51.100.${(ip = (ip % 250) + 1)}`;

const login = (email: string, password: string) =>
  app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email, password },
    remoteAddress: from(),
  });
const acceptAnon = (token: string, payload: Record<string, unknown>) =>
  app.inject({
    method: 'POST',
    url: `/api/invitations/${token}/accept`,
    payload,
    remoteAddress: from(),
  });
const sessionOf = (res: LightMyRequestResponse) =>
  res.cookies.find((c) => c.name === 'rappel_session' && c.value !== '')?.value;
const statuses = (results: LightMyRequestResponse[]) =>
  results.map((r) => r.statusCode).sort((x, y) => x - y);

/** `/api/me` and a tenant route both refuse the cookie. */
async function expectEnded(caller: Caller) {
  expectError(await caller.inject({ method: 'GET', url: '/api/me' }), 401, 'UNAUTHENTICATED');
  expectError(
    await caller.inject({ method: 'GET', url: `/api/orgs/${a.id}` }),
    401,
    'UNAUTHENTICATED',
  );
}

async function expectLive(caller: Caller) {
  expect((await caller.inject({ method: 'GET', url: '/api/me' })).statusCode).toBe(200);
  expect((await caller.inject({ method: 'GET', url: `/api/orgs/${a.id}` })).statusCode).toBe(200);
}

/** Another session of the same user, opened through the login (on the second instance). */
async function secondSession(user: UserFixture) {
  const res = await login(user.email, PASSWORD);
  expect(res.statusCode, res.body).toBe(200);
  return new Caller(app, sessionOf(res));
}

describe('cookies replayed after the session ended', () => {
  it('after logout: 401 everywhere, on both instances; other sessions live on', async () => {
    const user = await h.addUser(a.id, ['learner']);
    const other = await secondSession(user);
    await expectLive(user);
    const out = await user.inject({ method: 'POST', url: '/api/auth/logout' });
    expect(out.statusCode).toBe(204);
    await expectEnded(user);
    await expectEnded(new Caller(app, user.token));
    await expectLive(other);
  });

  it('after a password change: every old cookie 401, the new one works', async () => {
    const user = await h.addUser(a.id, ['learner']);
    const other = await secondSession(user);
    const res = await user.inject({
      method: 'POST',
      url: '/api/me/password',
      payload: { currentPassword: PASSWORD, newPassword: 'another long password' },
    });
    expect(res.statusCode, res.body).toBe(204);
    await expectEnded(user);
    await expectEnded(other);
    await expectLive(new Caller(h.app, sessionOf(res)));
  });

  it('after deactivation: every cookie of that person 401', async () => {
    const user = await h.addUser(a.id, ['learner']);
    const other = await secondSession(user);
    const res = await a.users.admin.inject({
      method: 'PATCH',
      url: `/api/orgs/${a.id}/members/${user.id}`,
      payload: { active: false },
    });
    expect(json(res).active).toBe(false);
    await expectEnded(user);
    await expectEnded(other);
    await expectEnded(new Caller(app, user.token));
  });
});

describe('guessing passwords at the login', () => {
  it('one at a time: the password is checked `max` times per window, then 429 even when right', async () => {
    const victim = await h.addUser(a.id, ['learner']);
    checks = 0;
    for (let i = 0; i < max; i++) {
      expectError(await login(victim.email, `guess number ${i}`), 401, 'INVALID_CREDENTIALS');
    }
    for (const password of ['one more guess', PASSWORD]) {
      const res = await login(victim.email, password);
      expectError(res, 429, 'RATE_LIMITED');
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      expect(sessionOf(res)).toBeUndefined();
    }
    expect(checks).toBe(max);
    // Someone else is not locked out.
    expect((await login(a.users.learner.email, PASSWORD)).statusCode).toBe(200);
    h.clock.advance(h.config.loginFailures.windowMs + 1);
    expect((await login(victim.email, PASSWORD)).statusCode).toBe(200);
  });

  it('25 at once: at most `max` reach the password check, the rest 429', async () => {
    const victim = await h.addUser(a.id, ['learner']);
    const bystander = await h.addUser(b.id, ['learner']);
    checks = 0;
    const results = await Promise.all(
      Array.from({ length: 25 }, (_, i) => login(victim.email, `parallel guess ${i}`)),
    );
    expect(checks).toBeLessThanOrEqual(max);
    expect(statuses(results)).toEqual([
      ...Array<number>(checks).fill(401),
      ...Array<number>(25 - checks).fill(429),
    ]);
    for (const res of results.filter((r) => r.statusCode === 429)) {
      expectError(res, 429, 'RATE_LIMITED');
    }
    expectError(await login(victim.email, PASSWORD), 429, 'RATE_LIMITED');
    expect((await login(bystander.email, PASSWORD)).statusCode).toBe(200);
  });

  it('an address without an account is bounded the same way', async () => {
    checks = 0;
    const results = await Promise.all(
      Array.from({ length: 25 }, (_, i) => login('nobody-here@example.test', `guess ${i}`)),
    );
    expect(checks).toBeLessThanOrEqual(max);
    expect(results.filter((r) => r.statusCode === 401)).toHaveLength(checks);
    expect(results.every((r) => r.statusCode === 401 || r.statusCode === 429)).toBe(true);
  });
});

describe('guessing passwords through an invitation', () => {
  /** Anyone signed in can make an organisation and invite any address: here, B's admin. */
  async function inviteVictim() {
    const victim = await h.addUser(a.id, ['learner']);
    const res = await b.users.admin.inject({
      method: 'POST',
      url: `/api/orgs/${b.id}/invitations`,
      payload: { email: victim.email, roles: ['admin'] },
    });
    expect(res.statusCode, res.body).toBe(201);
    return { victim, token: json(res).link.split('/invite/')[1] as string };
  }

  async function expectNotJoined(victim: UserFixture) {
    const me = json(await victim.inject({ method: 'GET', url: '/api/me' }));
    expect(me.memberships.map((m: { orgId: string }) => m.orgId)).toEqual([a.id]);
  }

  it('15 wrong passwords while the login is locked, then the right one: no session, no membership', async () => {
    const { victim, token } = await inviteVictim();
    for (let i = 0; i < max; i++) await login(victim.email, `lockout ${i}`);
    expectError(await login(victim.email, PASSWORD), 429, 'RATE_LIMITED');
    checks = 0;
    for (let i = 0; i < 15; i++) {
      const res = await acceptAnon(token, { password: `accept guess ${i}` });
      expectError(res, 409, 'SIGN_IN_REQUIRED');
      expect(sessionOf(res)).toBeUndefined();
    }
    const right = await acceptAnon(token, { password: PASSWORD });
    expectError(right, 409, 'SIGN_IN_REQUIRED');
    expect(sessionOf(right)).toBeUndefined();
    expect(checks).toBe(0);
    await expectNotJoined(victim);
  });

  it('in parallel too: no password is checked and no session opened', async () => {
    const { victim, token } = await inviteVictim();
    checks = 0;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        acceptAnon(token, { password: i === 7 ? PASSWORD : `parallel accept ${i}` }),
      ),
    );
    for (const res of results) {
      expectError(res, 409, 'SIGN_IN_REQUIRED');
      expect(sessionOf(res)).toBeUndefined();
    }
    expect(checks).toBe(0);
    await expectNotJoined(victim);
    // Their own login was not locked by any of it.
    expect((await login(victim.email, PASSWORD)).statusCode).toBe(200);
  });
});
