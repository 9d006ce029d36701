import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';

import * as structureRepo from '../../server/structure/repository';
import {
  Caller,
  checkRoute,
  createHarness,
  expectError,
  json,
  PASSWORD,
  type OrgFixture,
} from '../helpers/harness';
import { learningFixtures } from '../helpers/learning';

const h = await createHarness({ config: { publicUrl: 'https://rappel.example.com' } });
const f = learningFixtures(h);
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
let ip = 0;
/** Each from its own address: this file accepts more often than the per-IP limit allows. */
const accept = (token: string, payload: Record<string, unknown>, as: Caller = h.anon) =>
  as.inject({
    method: 'POST',
    url: `/api/invitations/${token}/accept`,
    payload,
    remoteAddress: `192.0.2.${++ip % 250}`,
  });
const preview = (token: string) =>
  h.anon.inject({ method: 'GET', url: `/api/invitations/${token}` });
const orgNames = async (caller: Caller) =>
  json(await caller.inject({ method: 'GET', url: '/api/me' }))
    .memberships.map((m: { orgName: string }) => m.orgName)
    .sort();

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

  it('ten invitations to one address at once leave one pending link: the last one made', async () => {
    const { a } = h.world;
    const email = newEmail();
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        a.users.admin.inject({ method: 'POST', url: invitationsUrl(a.id), payload: { email } }),
      ),
    );
    for (const res of results) expect(res.statusCode, res.body).toBe(201);
    const pending = json(
      await a.users.admin.inject({ method: 'GET', url: invitationsUrl(a.id) }),
    ).items.filter((i: { email: string }) => i.email === email);
    expect(pending).toHaveLength(1);
    // Each newer one replaced the one before it: only the survivor's link opens.
    const opened = [];
    for (const res of results) {
      const { invitation, link } = json(res);
      const status = (await preview(link.split('/invite/')[1])).statusCode;
      expect([200, 404]).toContain(status);
      if (status === 200) opened.push(invitation.id);
    }
    expect(opened).toEqual([pending[0].id]);
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
    });
    for (const payload of [{ password: 'short' }, { name: 'No password' }]) {
      const err = expectError(await accept(inv.token, payload), 400, 'VALIDATION_FAILED');
      expect(err.issues).toEqual([{ path: ['body', 'password'], message: expect.any(String) }]);
    }
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

  it('the preview never says whether the address has an account', async () => {
    const { b } = h.world;
    const consultant = await h.addUser(h.world.a.id, ['trainer']);
    const existing = await invite(b, { email: consultant.email, roles: ['trainer'] });
    const newcomer = await invite(b, { roles: ['trainer'] });
    const shown = async (inv: { token: string }) => {
      const res = await preview(inv.token);
      expect(res.statusCode, res.body).toBe(200);
      return json(res);
    };
    const [one, other] = [await shown(existing), await shown(newcomer)];
    // Identical but for the invitation's own fields (its address and expiry).
    expect({ ...one, email: '', expiresAt: '' }).toEqual({ ...other, email: '', expiresAt: '' });
    expect(one.email).toBe(consultant.email);
    expect(Object.keys(one).sort()).toEqual(
      ['email', 'expiresAt', 'invitedBy', 'locale', 'orgName', 'roles'].sort(),
    );
  });

  it('an existing account signed in as the invited address joins without a password', async () => {
    const { b } = h.world;
    const consultant = await h.addUser(h.world.a.id, ['trainer']);
    const inv = await invite(b, { email: consultant.email, roles: ['trainer'] });
    const res = await accept(inv.token, {}, consultant);
    expect(res.statusCode, res.body).toBe(200);
    expect(json(res)).toEqual({ orgId: b.id, userId: consultant.id });
    // The session this browser has stays the one it uses.
    expect(res.cookies.find((c) => c.name === 'rappel_session')).toBeUndefined();
    expect(await orgNames(consultant)).toEqual(['Org A', 'Org B']);
    expectError(await accept(inv.token, {}, consultant), 404, 'INVITATION_INVALID');
  });

  it('an existing account not signed in is asked to sign in; no password is checked, no session opened', async () => {
    const { b } = h.world;
    const consultant = await h.addUser(h.world.a.id, ['trainer']);
    const inv = await invite(b, { email: consultant.email, roles: ['trainer'] });
    for (const payload of [{ password: 'not my password' }, { password: PASSWORD }, {}]) {
      const res = await accept(inv.token, payload);
      const err = expectError(res, 409, 'SIGN_IN_REQUIRED');
      expect(err.message).toMatch(/sign in/i);
      expect(res.cookies.find((c) => c.name === 'rappel_session')).toBeUndefined();
    }
    expect(await orgNames(consultant)).toEqual(['Org A']);
    // The link still works for them once signed in.
    expect((await preview(inv.token)).statusCode).toBe(200);
    expect((await accept(inv.token, {}, consultant)).statusCode).toBe(200);
  });

  it('signed in as another address: refused, and nothing changes', async () => {
    const { b } = h.world;
    const someoneElse = await h.addUser(h.world.a.id, ['learner']);
    for (const email of [newEmail(), (await h.addUser(null, [])).email]) {
      const inv = await invite(b, { email });
      const err = expectError(
        await accept(inv.token, { password: 'a brand new password' }, someoneElse),
        409,
        'WRONG_ACCOUNT',
      );
      expect(err.message).toContain(email);
      expect(err.message).toContain(someoneElse.email);
      expect(await orgNames(someoneElse)).toEqual(['Org A']);
      expect((await preview(inv.token)).statusCode).toBe(200);
    }
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

describe('inviting a manager with the teams they will manage', () => {
  let sales: { id: string };
  let support: { id: string };
  let warehouse: { id: string };

  beforeAll(async () => {
    const { a } = h.world;
    sales = a.team;
    support = await structureRepo.insertItem(h.db, 'team', a.id, 'Support', h.clock.now());
    warehouse = await structureRepo.insertItem(h.db, 'team', a.id, 'Warehouse', h.clock.now());
  });

  /** An invitation sent by organisation A's admin, as the API answers it (201 or not). */
  const post = (payload: Record<string, unknown>) =>
    h.world.a.users.admin.inject({
      method: 'POST',
      url: invitationsUrl(h.world.a.id),
      payload: { email: newEmail(), ...payload },
    });

  const pendingEmails = async () =>
    json(
      await h.world.a.users.admin.inject({ method: 'GET', url: invitationsUrl(h.world.a.id) }),
    ).items.map((i: { email: string }) => i.email);

  /** Accepts as a newcomer and returns their signed-in caller. */
  async function join(token: string) {
    const res = await accept(token, { password: 'my own long password', name: 'New manager' });
    expect(res.statusCode, res.body).toBe(200);
    const session = res.cookies.find((c) => c.name === 'rappel_session')!.value;
    return Object.assign(new Caller(h.app, session), json(res) as { userId: string });
  }

  it('only admins invite managers with teams; a bad list is refused at the field', async () => {
    await checkRoute(h, {
      request: (org) => ({
        method: 'POST',
        url: invitationsUrl(org.id),
        payload: { email: newEmail(), roles: ['manager'], managedTeamIds: [org.team.id] },
      }),
      allow: ['admin'],
      status: 201,
      badInput: (org) => ({
        method: 'POST',
        url: invitationsUrl(org.id),
        payload: { email: newEmail(), roles: ['manager'], managedTeamIds: ['nope'] },
      }),
    });
  });

  it('a manager invited with two teams manages exactly those once they accept', async () => {
    const { a } = h.world;
    const inv = await invite(a, {
      roles: ['manager'],
      teamId: warehouse.id, // being in a team is not managing it
      managedTeamIds: [support.id, sales.id],
    });
    const both = [sales.id, support.id].sort();
    expect(inv.invitation).toMatchObject({ roles: ['manager'], managedTeamIds: both });
    const listed = json(
      await a.users.trainer.inject({ method: 'GET', url: invitationsUrl(a.id) }),
    ).items.find((i: { id: string }) => i.id === inv.invitation.id);
    expect(listed.managedTeamIds).toEqual(both);

    const manager = await join(inv.token);
    const members = json(
      await a.users.admin.inject({ method: 'GET', url: `/api/orgs/${a.id}/members` }),
    ).items;
    expect(members.find((m: { userId: string }) => m.userId === manager.userId)).toMatchObject({
      roles: ['manager'],
      teamId: warehouse.id,
      managedTeamIds: both,
    });

    // The new manager's scope: the people of Sales and Support, not of Warehouse.
    const people = [];
    for (const teamId of [sales.id, support.id, warehouse.id]) {
      const learner = await h.addUser(a.id, ['learner']);
      await f.setMembership(a, learner.id, { teamId });
      people.push(learner.id);
    }
    const module = await f.publishedModule(a);
    await f.assign(a, module.id, people);
    const seen = json(
      await manager.inject({
        method: 'GET',
        url: `/api/orgs/${a.id}/assignments?moduleId=${module.id}`,
      }),
    ).items.map((x: { userId: string }) => x.userId);
    expect(seen.sort()).toEqual([people[0], people[1]].sort());
  });

  it('refuses teams on an invitation without the manager role', async () => {
    const { a } = h.world;
    for (const [as, roles] of [
      [a.users.admin, ['learner']],
      [a.users.admin, ['referent', 'trainer']],
      [a.users.admin, undefined], // learner by default
      [a.users.trainer, undefined],
    ] as const) {
      const email = newEmail();
      const err = expectError(
        await as.inject({
          method: 'POST',
          url: invitationsUrl(a.id),
          payload: { email, ...(roles ? { roles } : {}), managedTeamIds: [sales.id] },
        }),
        400,
        'VALIDATION_FAILED',
      );
      expect(err.issues).toEqual([
        expect.objectContaining({ path: ['body', 'managedTeamIds'], message: expect.any(String) }),
      ]);
      expect(await pendingEmails()).not.toContain(email);
    }
    // An empty list is no list: anyone may be invited with it.
    const ok = await post({ roles: ['learner'], managedTeamIds: [] });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(json(ok).invitation.managedTeamIds).toEqual([]);
  });

  it('refuses another organisation’s team, unknown and malformed ids, repeats', async () => {
    const { b } = h.world;
    for (const teamId of [b.team.id, randomUUID()]) {
      const email = newEmail();
      const err = expectError(
        await post({ email, roles: ['manager'], managedTeamIds: [sales.id, teamId] }),
        400,
        'VALIDATION_FAILED',
      );
      expect(err.issues).toEqual([
        { path: ['body', 'managedTeamIds'], message: expect.any(String) },
      ]);
      expect(await pendingEmails()).not.toContain(email);
    }
    const tooMany = Array.from({ length: 51 }, () => randomUUID());
    for (const managedTeamIds of [['nope'], [sales.id, sales.id], tooMany, sales.id, null]) {
      const err = expectError(
        await post({ roles: ['manager'], managedTeamIds }),
        400,
        'VALIDATION_FAILED',
      );
      expect(err.issues![0]!.path.slice(0, 2)).toEqual(['body', 'managedTeamIds']);
    }
  });

  it('keeps its teams when renewed; a team deleted meanwhile is simply gone', async () => {
    const { a } = h.world;
    const temp = await structureRepo.insertItem(h.db, 'team', a.id, 'Temporary', h.clock.now());
    const inv = await invite(a, { roles: ['manager'], managedTeamIds: [temp.id, support.id] });
    const deleted = await a.users.admin.inject({
      method: 'DELETE',
      url: `/api/orgs/${a.id}/teams/${temp.id}`,
    });
    expect(deleted.statusCode, deleted.body).toBe(204);
    const renewed = json(
      await a.users.admin.inject({
        method: 'POST',
        url: `${invitationsUrl(a.id)}/${inv.invitation.id}/renew`,
      }),
    );
    expect(renewed.invitation.managedTeamIds).toEqual([support.id]);
    const manager = await join(renewed.link.split('/invite/')[1]);
    const members = json(
      await a.users.admin.inject({ method: 'GET', url: `/api/orgs/${a.id}/members` }),
    ).items;
    expect(
      members.find((m: { userId: string }) => m.userId === manager.userId).managedTeamIds,
    ).toEqual([support.id]);
  });

  it('an existing account invited as a manager gains the teams in the new organisation only', async () => {
    const { a, b } = h.world;
    const consultant = await h.addUser(b.id, ['manager']);
    const inv = await invite(a, {
      email: consultant.email,
      roles: ['manager'],
      managedTeamIds: [warehouse.id],
    });
    expect((await accept(inv.token, {}, consultant)).statusCode).toBe(200);
    const managed = async (org: OrgFixture) =>
      json(
        await org.users.admin.inject({ method: 'GET', url: `/api/orgs/${org.id}/members` }),
      ).items.find((m: { userId: string }) => m.userId === consultant.id).managedTeamIds;
    expect(await managed(a)).toEqual([warehouse.id]);
    expect(await managed(b)).toEqual([]);
  });
});
