import { describe, expect, it } from 'vitest';

import {
  checkRoute,
  createHarness,
  expectError,
  json,
  PASSWORD,
  type OrgFixture,
} from '../helpers/harness';

const h = await createHarness({ config: { publicUrl: 'https://rappel.example.com' } });
const invitationsUrl = (orgId: string) => `/api/orgs/${orgId}/invitations`;
let n = 0;
const newEmail = () => `invitee${++n}@example.test`;

async function invite(org: OrgFixture, body: Record<string, unknown> = {}) {
  const res = await org.users.admin.inject({
    method: 'POST',
    url: invitationsUrl(org.id),
    payload: { email: newEmail(), ...body },
  });
  expect(res.statusCode, res.body).toBe(201);
  const created = json(res);
  return { ...created, token: created.link.split('/invite/')[1] as string };
}
const accept = (token: string, payload: Record<string, unknown>) =>
  h.anon.inject({ method: 'POST', url: `/api/invitations/${token}/accept`, payload });

describe('inviting people', () => {
  it('creates an invitation with a link (admin, trainer)', async () => {
    await checkRoute(h, {
      request: (org) => ({
        method: 'POST',
        url: invitationsUrl(org.id),
        payload: { email: newEmail() },
      }),
      allow: ['admin', 'trainer'],
      status: 201,
      badInput: (org) => ({
        method: 'POST',
        url: invitationsUrl(org.id),
        payload: { email: 'not an address' },
      }),
    });
    const { a } = h.world;
    const res = await a.users.admin.inject({
      method: 'POST',
      url: invitationsUrl(a.id),
      payload: {
        email: ' Lea.Martin@Example.TEST ',
        roles: ['learner'],
        teamId: a.team.id,
        jobRoleId: a.jobRole.id,
        locale: 'fr',
      },
    });
    expect(res.statusCode).toBe(201);
    const body = json(res);
    expect(body.link).toMatch(/^https:\/\/rappel\.example\.com\/invite\/[A-Za-z0-9_-]{43}$/);
    expect(body.invitation).toMatchObject({
      email: 'lea.martin@example.test',
      roles: ['learner'],
      teamId: a.team.id,
      jobRoleId: a.jobRole.id,
      locale: 'fr',
      invitedBy: 'Org A admin',
      expired: false,
    });
    expect(new Date(body.invitation.expiresAt).getTime() - h.clock.now().getTime()).toBe(
      h.config.invitationTtlMs,
    );
  });

  it('lets a trainer invite learners only', async () => {
    const { a } = h.world;
    const res = await a.users.trainer.inject({
      method: 'POST',
      url: invitationsUrl(a.id),
      payload: { email: newEmail(), roles: ['admin'] },
    });
    expectError(res, 403, 'FORBIDDEN');
    const ok = await a.users.trainer.inject({
      method: 'POST',
      url: invitationsUrl(a.id),
      payload: { email: newEmail() },
    });
    expect(json(ok).invitation.roles).toEqual(['learner']);
  });

  it('refuses members, foreign teams and unknown fields', async () => {
    const { a, b } = h.world;
    const url = invitationsUrl(a.id);
    expectError(
      await a.users.admin.inject({
        method: 'POST',
        url,
        payload: { email: a.users.learner.email.toUpperCase() },
      }),
      409,
      'ALREADY_MEMBER',
    );
    const err = expectError(
      await a.users.admin.inject({
        method: 'POST',
        url,
        payload: { email: newEmail(), jobRoleId: b.jobRole.id },
      }),
      400,
      'VALIDATION_FAILED',
    );
    expect(err.issues![0]!.path).toEqual(['body', 'jobRoleId']);
    expectError(
      await a.users.admin.inject({
        method: 'POST',
        url,
        payload: { email: newEmail(), isAdmin: true },
      }),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('lists pending invitations, flags expired ones, and never another organisation’s', async () => {
    await checkRoute(h, {
      request: (org) => ({ method: 'GET', url: invitationsUrl(org.id) }),
      allow: ['admin', 'trainer'],
      status: 200,
    });
    const { a, b } = h.world;
    const mine = await invite(a);
    const theirs = await invite(b);
    const list = json(
      await a.users.trainer.inject({ method: 'GET', url: invitationsUrl(a.id) }),
    ).items;
    const ids = list.map((i: { id: string }) => i.id);
    expect(ids).toContain(mine.invitation.id);
    expect(ids).not.toContain(theirs.invitation.id);
    expect(JSON.stringify(list)).not.toContain(mine.token);
  });

  it('revokes (the link stops working) and renews (a new link, the old one dies)', async () => {
    await checkRoute(h, {
      request: async (org, owner) => ({
        method: 'DELETE',
        url: `${invitationsUrl(org.id)}/${(await invite(owner)).invitation.id}`,
      }),
      allow: ['admin', 'trainer'],
      status: 204,
      objectInPath: true,
    });
    await checkRoute(h, {
      request: async (org, owner) => ({
        method: 'POST',
        url: `${invitationsUrl(org.id)}/${(await invite(owner)).invitation.id}/renew`,
      }),
      allow: ['admin', 'trainer'],
      status: 200,
      objectInPath: true,
    });
    const { a } = h.world;
    const revoked = await invite(a);
    await a.users.admin.inject({
      method: 'DELETE',
      url: `${invitationsUrl(a.id)}/${revoked.invitation.id}`,
    });
    expectError(
      await h.anon.inject({ method: 'GET', url: `/api/invitations/${revoked.token}` }),
      404,
      'INVITATION_INVALID',
    );
    expectError(
      await accept(revoked.token, { password: 'a brand new password' }),
      404,
      'INVITATION_INVALID',
    );

    const old = await invite(a);
    h.clock.advance(60 * 60 * 1000); // renewed an hour later: a fresh full lifetime
    const renewed = json(
      await a.users.admin.inject({
        method: 'POST',
        url: `${invitationsUrl(a.id)}/${old.invitation.id}/renew`,
      }),
    );
    expect(renewed.link).not.toBe(old.link);
    expect(renewed.invitation).toMatchObject({ id: old.invitation.id, invitedBy: 'Org A admin' });
    expect(new Date(renewed.invitation.expiresAt).getTime()).toBe(
      h.clock.now().getTime() + h.config.invitationTtlMs,
    );
    expectError(
      await h.anon.inject({ method: 'GET', url: `/api/invitations/${old.token}` }),
      404,
      'INVITATION_INVALID',
    );
    const token = renewed.link.split('/invite/')[1];
    expect(
      (await h.anon.inject({ method: 'GET', url: `/api/invitations/${token}` })).statusCode,
    ).toBe(200);
    // A trainer cannot revoke an invitation for a manager.
    const manager = await invite(a, { roles: ['manager'] });
    expectError(
      await a.users.trainer.inject({
        method: 'DELETE',
        url: `${invitationsUrl(a.id)}/${manager.invitation.id}`,
      }),
      403,
      'FORBIDDEN',
    );
  });
});

describe('accepting an invitation', () => {
  it('a newcomer sets a password and name, joins with the invited roles and is signed in', async () => {
    const { a } = h.world;
    const inv = await invite(a, { teamId: a.team.id, locale: 'fr' });
    const preview = await h.anon.inject({ method: 'GET', url: `/api/invitations/${inv.token}` });
    expect(json(preview)).toEqual({
      orgName: 'Org A',
      email: inv.invitation.email,
      roles: ['learner'],
      invitedBy: 'Org A admin',
      locale: 'fr',
      expiresAt: inv.invitation.expiresAt,
      existingAccount: false,
    });
    expectError(await accept(inv.token, { password: 'short' }), 400, 'VALIDATION_FAILED');
    const res = await accept(inv.token, { password: 'my own long password', name: 'Léa Martin' });
    expect(res.statusCode, res.body).toBe(200);
    expect(json(res)).toEqual({ orgId: a.id, userId: expect.any(String) });
    const token = res.cookies.find((c) => c.name === 'rappel_session')!.value;
    const me = json(
      await h.app.inject({ method: 'GET', url: '/api/me', cookies: { rappel_session: token } }),
    );
    expect(me.user).toMatchObject({
      name: 'Léa Martin',
      locale: 'fr',
      email: inv.invitation.email,
    });
    expect(me.memberships).toEqual([{ orgId: a.id, orgName: 'Org A', roles: ['learner'] }]);
    const members = json(
      await a.users.admin.inject({ method: 'GET', url: `/api/orgs/${a.id}/members` }),
    ).items;
    expect(members.find((m: { userId: string }) => m.userId === me.user.id).teamId).toBe(a.team.id);
    // The link works once.
    expectError(
      await accept(inv.token, { password: 'my own long password' }),
      404,
      'INVITATION_INVALID',
    );
    expect(
      json(await a.users.admin.inject({ method: 'GET', url: invitationsUrl(a.id) })).items.map(
        (i: { id: string }) => i.id,
      ),
    ).not.toContain(inv.invitation.id);
  });

  it('an existing account proves it with its own password and gains the organisation', async () => {
    const { b } = h.world;
    const consultant = await h.addUser(h.world.a.id, ['trainer']);
    const inv = await invite(b, { email: consultant.email, roles: ['trainer'] });
    expect(
      json(await h.anon.inject({ method: 'GET', url: `/api/invitations/${inv.token}` }))
        .existingAccount,
    ).toBe(true);
    expectError(
      await accept(inv.token, { password: 'not my password' }),
      401,
      'INVALID_CREDENTIALS',
    );
    const res = await accept(inv.token, { password: PASSWORD });
    expect(res.statusCode).toBe(200);
    const me = json(await consultant.inject({ method: 'GET', url: '/api/me' }));
    expect(me.memberships.map((m: { orgName: string }) => m.orgName).sort()).toEqual([
      'Org A',
      'Org B',
    ]);
  });

  it('expires after its time-to-live', async () => {
    const inv = await invite(h.world.a);
    h.clock.advance(h.config.invitationTtlMs + 1);
    expectError(
      await h.anon.inject({ method: 'GET', url: `/api/invitations/${inv.token}` }),
      404,
      'INVITATION_INVALID',
    );
    expectError(
      await accept(inv.token, { password: 'a brand new password' }),
      404,
      'INVITATION_INVALID',
    );
    const listed = json(
      await h.world.a.users.admin.inject({ method: 'GET', url: invitationsUrl(h.world.a.id) }),
    ).items;
    expect(listed.find((i: { id: string }) => i.id === inv.invitation.id).expired).toBe(true);
    h.clock.advance(-h.config.invitationTtlMs - 1);
  });

  it('two acceptances of one link at the same moment: exactly one joins', async () => {
    const inv = await invite(h.world.a);
    const results = await Promise.all(
      [1, 2, 3].map(() => accept(inv.token, { password: 'a brand new password' })),
    );
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(1);
    for (const r of results.filter((r) => r.statusCode !== 200)) {
      expect([404, 409]).toContain(r.statusCode);
      expect(json(r).error.code).toMatch(/INVITATION_INVALID|CONFLICT|ALREADY_MEMBER/);
    }
  });

  it('rejects malformed tokens and bodies with 400, unknown tokens with 404', async () => {
    expectError(
      await h.anon.inject({ method: 'GET', url: '/api/invitations/short' }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await h.anon.inject({ method: 'GET', url: `/api/invitations/${'x'.repeat(43)}` }),
      404,
      'INVITATION_INVALID',
    );
    const inv = await invite(h.world.a);
    expectError(
      await accept(inv.token, { password: 'a brand new password', roles: ['admin'] }),
      400,
      'VALIDATION_FAILED',
    );
  });
});
