import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { sessions } from '../../server/db/schema';
import { DAY, HOUR } from '../helpers/clock';
import { createHarness, expectError, json, PASSWORD } from '../helpers/harness';

const h = await createHarness();

function login(email: string, password: string, token?: string) {
  return h.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email, password },
    cookies: token ? { rappel_session: token } : {},
  });
}
const sessionOf = (res: { cookies: { name: string; value: string }[] }) =>
  res.cookies.find((c) => c.name === 'rappel_session')?.value;
const me = (token?: string) =>
  h.app.inject({ method: 'GET', url: '/api/me', cookies: token ? { rappel_session: token } : {} });

describe('login and sessions', () => {
  it('signs in with any letter case of the address and returns the account', async () => {
    const user = await h.addUser(h.world.a.id, ['learner', 'manager']);
    const res = await login(user.email.toUpperCase(), PASSWORD);
    expect(res.statusCode).toBe(200);
    expect(json(res)).toEqual({
      user: { id: user.id, email: user.email, name: user.name, locale: 'en' },
      memberships: [{ orgId: h.world.a.id, orgName: 'Org A', roles: ['learner', 'manager'] }],
    });
    const cookie = res.cookies.find((c) => c.name === 'rappel_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await me(cookie.value)).statusCode).toBe(200);
  });

  it('answers one generic 401 for an unknown address and for a wrong password', async () => {
    const user = await h.addUser(h.world.a.id, ['learner']);
    const unknown = expectError(
      await login('nobody@example.test', PASSWORD),
      401,
      'INVALID_CREDENTIALS',
    );
    const wrong = expectError(
      await login(user.email, 'not the password'),
      401,
      'INVALID_CREDENTIALS',
    );
    expect(unknown.message).toBe(wrong.message);
  });

  it('answers 429 after repeated failures, even with the right password, until the window passes', async () => {
    const user = await h.addUser(h.world.a.id, ['learner']);
    for (let i = 0; i < h.config.loginFailures.max; i++) {
      expectError(await login(user.email, 'wrong password'), 401, 'INVALID_CREDENTIALS');
    }
    const blocked = await login(user.email, PASSWORD);
    expectError(blocked, 429, 'RATE_LIMITED');
    expect(blocked.headers['retry-after']).toBeDefined();
    h.clock.advance(h.config.loginFailures.windowMs + 1000);
    expect((await login(user.email, PASSWORD)).statusCode).toBe(200);
  });

  it('rotates the token at login: the previous session of that browser ends', async () => {
    const user = await h.addUser(h.world.a.id, ['learner']);
    const first = sessionOf(await login(user.email, PASSWORD))!;
    const second = sessionOf(await login(user.email, PASSWORD, first))!;
    expect(second).not.toBe(first);
    expectError(await me(first), 401, 'UNAUTHENTICATED');
    expect((await me(second)).statusCode).toBe(200);
  });

  it('logs out: the session is revoked on the server and the cookie cleared', async () => {
    const user = await h.addUser(h.world.a.id, ['learner']);
    const token = sessionOf(await login(user.email, PASSWORD))!;
    const out = await h.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      cookies: { rappel_session: token },
    });
    expect(out.statusCode).toBe(204);
    expect(out.cookies.find((c) => c.name === 'rappel_session')?.value).toBe('');
    expectError(await me(token), 401, 'UNAUTHENTICATED');
    // Logging out without a session is harmless.
    expect((await h.anon.inject({ method: 'POST', url: '/api/auth/logout' })).statusCode).toBe(204);
  });

  it('refuses login to someone deactivated everywhere', async () => {
    const user = await h.addUser(h.world.a.id, ['learner']);
    const res = await h.world.a.users.admin.inject({
      method: 'PATCH',
      url: `/api/orgs/${h.world.a.id}/members/${user.id}`,
      payload: { active: false },
    });
    expect(json(res).active).toBe(false);
    expectError(await login(user.email, PASSWORD), 403, 'ACCOUNT_DEACTIVATED');
  });
});

describe('account', () => {
  it('GET /api/me needs a session', async () => {
    expectError(await me(), 401, 'UNAUTHENTICATED');
    expectError(await me('forged-token'), 401, 'UNAUTHENTICATED');
  });

  it('changes name and language', async () => {
    const user = await h.addUser(h.world.a.id, ['learner']);
    const res = await user.inject({
      method: 'PATCH',
      url: '/api/me',
      payload: { name: ' Zoé Martin ', locale: 'fr' },
    });
    expect(res.statusCode).toBe(200);
    expect(json(res).user).toMatchObject({ name: 'Zoé Martin', locale: 'fr' });
    expect(json(await user.inject({ method: 'GET', url: '/api/me' })).user.locale).toBe('fr');
    expectError(
      await user.inject({ method: 'PATCH', url: '/api/me', payload: { locale: 'de' } }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await user.inject({ method: 'PATCH', url: '/api/me', payload: {} }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await user.inject({ method: 'PATCH', url: '/api/me', payload: { email: 'x@y.z' } }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await h.anon.inject({ method: 'PATCH', url: '/api/me', payload: { name: 'X' } }),
      401,
      'UNAUTHENTICATED',
    );
  });

  it('changes the password: every other session ends, this browser gets a fresh one', async () => {
    const user = await h.addUser(h.world.a.id, ['learner']);
    const elsewhere = sessionOf(await login(user.email, PASSWORD))!;
    const url = '/api/me/password';
    const wrong = expectError(
      await user.inject({
        method: 'POST',
        url,
        payload: { currentPassword: 'nope', newPassword: 'a new long password' },
      }),
      400,
      'WRONG_PASSWORD',
    );
    expect(wrong.issues?.[0]?.path).toEqual(['body', 'currentPassword']);
    expectError(
      await user.inject({
        method: 'POST',
        url,
        payload: { currentPassword: PASSWORD, newPassword: 'short' },
      }),
      400,
      'VALIDATION_FAILED',
    );

    const res = await user.inject({
      method: 'POST',
      url,
      payload: { currentPassword: PASSWORD, newPassword: 'a new long password' },
    });
    expect(res.statusCode).toBe(204);
    const fresh = sessionOf(res)!;
    expectError(await me(elsewhere), 401, 'UNAUTHENTICATED');
    expectError(await user.inject({ method: 'GET', url: '/api/me' }), 401, 'UNAUTHENTICATED');
    expect((await me(fresh)).statusCode).toBe(200);
    expectError(await login(user.email, PASSWORD), 401, 'INVALID_CREDENTIALS');
    expect((await login(user.email, 'a new long password')).statusCode).toBe(200);
  });
});

// Last: moving the clock months ahead ends the sessions of the shared world too.
describe('session time-outs', () => {
  it('ends idle sessions and sessions past their absolute lifetime', async () => {
    const idle = await h.addUser(h.world.a.id, ['learner']);
    h.clock.advance(h.config.session.idleMs - HOUR);
    expect((await idle.inject({ method: 'GET', url: '/api/me' })).statusCode).toBe(200);
    h.clock.advance(h.config.session.idleMs - HOUR); // used an hour before the limit, so still alive
    expect((await idle.inject({ method: 'GET', url: '/api/me' })).statusCode).toBe(200);
    h.clock.advance(h.config.session.idleMs + 1);
    expectError(await idle.inject({ method: 'GET', url: '/api/me' }), 401, 'UNAUTHENTICATED');

    const busy = await h.addUser(h.world.a.id, ['learner']);
    const busySessions = () =>
      h.db
        .select()
        .from(sessions)
        .where(eq(sessions.userId, busy.id))
        .then((rows) => rows.length);
    expect(await busySessions()).toBe(1);
    for (let used = 0; used < h.config.session.absoluteMs; used += DAY) {
      h.clock.advance(DAY);
      const res = await busy.inject({ method: 'GET', url: '/api/me' });
      if (used + DAY >= h.config.session.absoluteMs) expectError(res, 401, 'UNAUTHENTICATED');
      else expect(res.statusCode).toBe(200);
    }
    // Housekeeping deletes sessions that can never be used again.
    await h.app.housekeeping();
    expect(await busySessions()).toBe(0);
  });
});
