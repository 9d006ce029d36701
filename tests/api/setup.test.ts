import { describe, expect, it } from 'vitest';
import { createHarness, expectError, json } from '../helpers/harness';

const h = await createHarness({ seed: false });

const body = (n = 1) => ({
  organisation: { name: `Acme ${n}` },
  admin: { name: 'Ann Admin', email: `Ann${n}@Acme.test`, password: 'correct horse battery' },
});

describe('first-run set-up', () => {
  it('refuses bad input with field issues and changes nothing', async () => {
    const res = await h.anon.inject({
      method: 'POST',
      url: '/api/setup',
      payload: {
        organisation: { name: '' },
        admin: { name: 'A', email: 'nope', password: 'short' },
      },
    });
    const err = expectError(res, 400, 'VALIDATION_FAILED');
    const paths = err.issues!.map((i) => i.path.join('.'));
    expect(paths).toEqual(
      expect.arrayContaining(['body.organisation.name', 'body.admin.email', 'body.admin.password']),
    );
    expect(json(await h.anon.inject({ method: 'GET', url: '/api/setup' }))).toEqual({
      needed: true,
    });
  });

  it('exactly one of several concurrent set-ups wins; then set-up is gone for good', async () => {
    expect(json(await h.anon.inject({ method: 'GET', url: '/api/setup' }))).toEqual({
      needed: true,
    });
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map((n) =>
        h.anon.inject({ method: 'POST', url: '/api/setup', payload: body(n) }),
      ),
    );
    const won = results.filter((r) => r.statusCode === 201);
    expect(won).toHaveLength(1);
    for (const r of results.filter((r) => r.statusCode !== 201)) expectError(r, 409, 'SETUP_DONE');

    const winner = won[0]!;
    expect(json(winner)).toEqual({ orgId: expect.any(String), userId: expect.any(String) });
    const cookie = winner.cookies.find((c) => c.name === 'rappel_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie.secure).toBeFalsy();

    // The new admin is signed in, in the new organisation, with the admin role.
    const me = await h.app.inject({
      method: 'GET',
      url: '/api/me',
      cookies: { rappel_session: cookie.value },
    });
    expect(me.statusCode).toBe(200);
    expect(json(me).memberships).toEqual([
      { orgId: json(winner).orgId, orgName: expect.stringMatching(/^Acme \d$/), roles: ['admin'] },
    ]);
    expect(json(me).user.email).toMatch(/^ann\d@acme\.test$/);

    // The organisation starts with its three personas, in the admin's language (French by default).
    const personas = await h.app.inject({
      method: 'GET',
      url: `/api/orgs/${json(winner).orgId}/personas`,
      cookies: { rappel_session: cookie.value },
    });
    expect(json(personas).items.map((p: { name: string }) => p.name)).toEqual([
      'Pas à pas',
      'Autonome',
      'Expert',
    ]);

    expect(json(await h.anon.inject({ method: 'GET', url: '/api/setup' }))).toEqual({
      needed: false,
    });
    expectError(
      await h.anon.inject({ method: 'POST', url: '/api/setup', payload: body(9) }),
      409,
      'SETUP_DONE',
    );
  });
});
