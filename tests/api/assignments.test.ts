import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import * as structureRepo from '../../server/structure/repository';
import { DAY } from '../helpers/clock';
import {
  checkRoute,
  createHarness,
  expectError,
  issuePaths,
  json,
  type OrgFixture,
  STAFF,
  type UserFixture,
} from '../helpers/harness';
import { learningFixtures } from '../helpers/learning';

const h = await createHarness();
const f = learningFixtures(h);
const assignmentsUrl = (org: OrgFixture, rest = '') => `/api/orgs/${org.id}/assignments${rest}`;

let support: { id: string };
let accountant: { id: string };

beforeAll(async () => {
  // Managers, referents and learners of both organisations are in their organisation's team,
  // and the managers manage it.
  for (const org of [h.world.a, h.world.b]) {
    for (const role of ['manager', 'referent', 'learner'] as const) {
      await f.setMembership(org, org.users[role].id, { teamId: org.team.id });
    }
    await f.manageTeams(org, org.users.manager.id, [org.team.id]);
  }
  const { a } = h.world;
  support = await structureRepo.insertItem(h.db, 'team', a.id, 'Support', h.clock.now());
  accountant = await structureRepo.insertItem(h.db, 'jobRole', a.id, 'Accountant', h.clock.now());
});

/** A new member of organisation A with the given roles, job role and team. */
async function member(
  roles: UserFixture['roles'],
  values: { jobRoleId?: string | null; teamId?: string | null } = {},
) {
  const user = await h.addUser(h.world.a.id, roles);
  await f.setMembership(h.world.a, user.id, values);
  return user;
}

async function list(org: OrgFixture, query: string, as: UserFixture = org.users.trainer) {
  const res = await as.inject({ method: 'GET', url: assignmentsUrl(org, query) });
  expect(res.statusCode, res.body).toBe(200);
  return json(res).items as {
    id: string;
    moduleId: string;
    userId: string;
    reason: string;
    dueOn: string | null;
    opensAt: string;
    assignedBy: string | null;
  }[];
}
const usersOf = async (org: OrgFixture, moduleId: string) =>
  (await list(org, `?moduleId=${moduleId}`)).map((x) => x.userId).sort();
const modulesOf = async (org: OrgFixture, userId: string) =>
  (await list(org, `?userId=${userId}`)).map((x) => x.moduleId).sort();

describe('assignments from the targets', () => {
  it('publishing reaches the active learners whose job role and team the module targets', async () => {
    const { a } = h.world;
    const salesRepInSales = await member(['learner'], {
      jobRoleId: a.jobRole.id,
      teamId: a.team.id,
    });
    const salesRepInSupport = await member(['learner'], {
      jobRoleId: a.jobRole.id,
      teamId: support.id,
    });
    const accountantInSales = await member(['learner'], {
      jobRoleId: accountant.id,
      teamId: a.team.id,
    });
    const trainerSalesRep = await member(['trainer'], { jobRoleId: a.jobRole.id });
    const gone = await member(['learner'], { jobRoleId: a.jobRole.id });
    await a.users.admin.inject({
      method: 'PATCH',
      url: `/api/orgs/${a.id}/members/${gone.id}`,
      payload: { active: false },
    });

    const byRole = await f.publishedModule(a, { jobRoleIds: [a.jobRole.id] });
    const byRoleAndTeam = await f.publishedModule(a, {
      jobRoleIds: [a.jobRole.id],
      teamIds: [a.team.id],
    });
    const byTeam = await f.publishedModule(a, { teamIds: [support.id] });
    const untargeted = await f.publishedModule(a);
    const draft = await f.freshModule(a, { jobRoleIds: [a.jobRole.id] });

    expect(await usersOf(a, byRole.id)).toEqual([salesRepInSales.id, salesRepInSupport.id].sort());
    expect(await usersOf(a, byRoleAndTeam.id)).toEqual([salesRepInSales.id]);
    expect(await usersOf(a, byTeam.id)).toEqual([salesRepInSupport.id]);
    expect(await usersOf(a, untargeted.id)).toEqual([]);
    expect(await usersOf(a, draft.id)).toEqual([]);
    expect(await modulesOf(a, accountantInSales.id)).toEqual([]);
    expect(await modulesOf(a, trainerSalesRep.id)).toEqual([]);
    expect(await modulesOf(a, gone.id)).toEqual([]);

    const [one] = await list(a, `?moduleId=${byRoleAndTeam.id}`);
    expect(one).toEqual({
      id: expect.any(String),
      moduleId: byRoleAndTeam.id,
      userId: salesRepInSales.id,
      reason: 'target',
      opensAt: h.clock.now().toISOString(),
      dueOn: null,
      assignedBy: null,
      createdAt: h.clock.now().toISOString(),
    });
  });

  it('a learner who joins later through an invitation gets the modules they match', async () => {
    const { a } = h.world;
    const forSales = await f.publishedModule(a, { jobRoleIds: [a.jobRole.id] });
    const forAccountants = await f.publishedModule(a, { jobRoleIds: [accountant.id] });
    h.clock.advance(DAY);
    const invited = await a.users.admin.inject({
      method: 'POST',
      url: `/api/orgs/${a.id}/invitations`,
      payload: { email: `joiner-${randomUUID()}@example.test`, jobRoleId: a.jobRole.id },
    });
    const token = json(invited).link.split('/invite/')[1] as string;
    const accepted = await h.anon.inject({
      method: 'POST',
      url: `/api/invitations/${token}/accept`,
      payload: { password: 'a long enough password' },
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    const { userId } = json(accepted);
    const mine = await list(a, `?userId=${userId}`);
    const ids = mine.map((x) => x.moduleId);
    expect(ids).toContain(forSales.id);
    expect(ids).not.toContain(forAccountants.id);
    const forSalesAssignment = mine.find((x) => x.moduleId === forSales.id)!;
    expect(forSalesAssignment).toMatchObject({
      reason: 'target',
      opensAt: h.clock.now().toISOString(),
    });
  });

  it('a new job role, team or learner role, or a return, brings the modules now matched', async () => {
    const { a } = h.world;
    const forAccountants = await f.publishedModule(a, { jobRoleIds: [accountant.id] });
    const forSupport = await f.publishedModule(a, { teamIds: [support.id] });
    const patch = (userId: string, payload: object) =>
      a.users.admin.inject({
        method: 'PATCH',
        url: `/api/orgs/${a.id}/members/${userId}`,
        payload,
      });

    const mover = await member(['learner'], { jobRoleId: a.jobRole.id, teamId: a.team.id });
    expect(await modulesOf(a, mover.id)).not.toContain(forAccountants.id);
    expect((await patch(mover.id, { jobRoleId: accountant.id })).statusCode).toBe(200);
    expect(await modulesOf(a, mover.id)).toContain(forAccountants.id);
    expect((await patch(mover.id, { teamId: support.id })).statusCode).toBe(200);
    expect(await modulesOf(a, mover.id)).toContain(forSupport.id);
    // Moving away keeps what was learnt.
    expect((await patch(mover.id, { jobRoleId: a.jobRole.id, teamId: null })).statusCode).toBe(200);
    expect(await modulesOf(a, mover.id)).toEqual(
      expect.arrayContaining([forAccountants.id, forSupport.id]),
    );

    const becomesLearner = await member(['trainer'], { jobRoleId: accountant.id });
    expect(await modulesOf(a, becomesLearner.id)).toEqual([]);
    await patch(becomesLearner.id, { roles: ['trainer', 'learner'] });
    expect(await modulesOf(a, becomesLearner.id)).toContain(forAccountants.id);

    const away = await member(['learner'], { teamId: support.id });
    await patch(away.id, { active: false });
    const whileAway = await f.publishedModule(a, { teamIds: [support.id] });
    expect(await modulesOf(a, away.id)).not.toContain(whileAway.id);
    await patch(away.id, { active: true });
    expect(await modulesOf(a, away.id)).toContain(whileAway.id);
  });
});

describe('assigning by hand', () => {
  it('staff assign a published module (managers and referents: their teams)', async () => {
    const modules: Record<string, string> = {};
    for (const org of [h.world.a, h.world.b]) modules[org.id] = (await f.publishedModule(org)).id;
    await checkRoute(h, {
      request: (org) => ({
        method: 'POST',
        url: assignmentsUrl(org),
        payload: { moduleId: modules[org.id], userIds: [org.users.learner.id] },
      }),
      allow: STAFF,
      status: 201,
      badInput: (org) => ({
        method: 'POST',
        url: assignmentsUrl(org),
        payload: { moduleId: modules[org.id], userIds: [] },
      }),
    });
  });

  it('answers the assignments made, with the due date, opening and who assigned', async () => {
    const { a } = h.world;
    const module = await f.publishedModule(a);
    const first = await member(['learner']);
    const second = await member(['learner']);
    const opensAt = new Date(h.clock.now().getTime() + 3 * DAY).toISOString();
    const res = await a.users.trainer.inject({
      method: 'POST',
      url: assignmentsUrl(a),
      payload: {
        moduleId: module.id,
        userIds: [second.id, first.id],
        dueOn: '2026-04-01',
        opensAt,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const base = {
      id: expect.any(String),
      moduleId: module.id,
      reason: 'manual',
      opensAt,
      dueOn: '2026-04-01',
      assignedBy: a.users.trainer.id,
      createdAt: h.clock.now().toISOString(),
    };
    expect(json(res).items).toEqual([
      { ...base, userId: second.id },
      { ...base, userId: first.id },
    ]);
    // Without a date: opens now, no deadline.
    const other = await member(['learner']);
    const [plain] = await f.assign(a, module.id, [other.id]);
    expect(plain).toMatchObject({ opensAt: h.clock.now().toISOString(), dueOn: null });
  });

  it('an existing assignment only takes the new due date; its reason stays', async () => {
    const { a } = h.world;
    const learner = await member(['learner'], { jobRoleId: accountant.id });
    const module = await f.publishedModule(a, { jobRoleIds: [accountant.id] });
    const [target] = await list(a, `?userId=${learner.id}&moduleId=${module.id}`);
    expect(target!.reason).toBe('target');
    h.clock.advance(DAY);
    const [updated] = await f.assign(a, module.id, [learner.id], { dueOn: '2026-05-04' });
    expect(updated).toEqual({ ...target, dueOn: '2026-05-04' });
  });

  it('only published modules: a draft or an archived one is 400 at moduleId', async () => {
    const { a } = h.world;
    const draft = await f.freshModule(a);
    const archived = await f.publishedModule(a);
    await a.users.trainer.inject({
      method: 'PATCH',
      url: `/api/orgs/${a.id}/modules/${archived.id}`,
      payload: { status: 'archived' },
    });
    for (const [moduleId, words] of [
      [draft.id, /draft: publish it/],
      [archived.id, /archived: restore it/],
    ] as const) {
      const err = expectError(
        await a.users.trainer.inject({
          method: 'POST',
          url: assignmentsUrl(a),
          payload: { moduleId, userIds: [a.users.learner.id] },
        }),
        400,
        'VALIDATION_FAILED',
      );
      expect(issuePaths(err)).toEqual(['body.moduleId']);
      expect(err.message).toMatch(words);
      expect(err.issues![0]!.message).toMatch(words);
    }
  });

  it("another organisation's module or people, or unknown ones, are 404", async () => {
    const { a, b } = h.world;
    const mine = await f.publishedModule(a);
    const theirs = await f.publishedModule(b);
    const post = (payload: object) =>
      a.users.trainer.inject({ method: 'POST', url: assignmentsUrl(a), payload });
    expectError(
      await post({ moduleId: theirs.id, userIds: [a.users.learner.id] }),
      404,
      'NOT_FOUND',
    );
    expectError(await post({ moduleId: randomUUID(), userIds: [a.users.learner.id] }), 404);
    expectError(
      await post({ moduleId: mine.id, userIds: [a.users.learner.id, b.users.learner.id] }),
      404,
      'NOT_FOUND',
    );
    expectError(await post({ moduleId: mine.id, userIds: [randomUUID()] }), 404, 'NOT_FOUND');
    // Nothing was assigned on the way.
    expect(await usersOf(a, mine.id)).toEqual([]);
  });

  it('managers assign the teams they manage, referents their own (403 outside)', async () => {
    const { a } = h.world;
    const module = await f.publishedModule(a);
    const teammate = await member(['learner'], { teamId: a.team.id });
    const outsider = await member(['learner'], { teamId: support.id });
    const noTeam = await member(['learner']);
    for (const role of ['manager', 'referent'] as const) {
      const as = a.users[role];
      await f.assign(a, module.id, [teammate.id], {}, as);
      for (const other of [outsider, noTeam]) {
        expectError(
          await as.inject({
            method: 'POST',
            url: assignmentsUrl(a),
            payload: { moduleId: module.id, userIds: [teammate.id, other.id] },
          }),
          403,
          'FORBIDDEN',
        );
      }
    }
    // A manager who manages no team assigns nobody.
    const teamless = await member(['manager']);
    expectError(
      await teamless.inject({
        method: 'POST',
        url: assignmentsUrl(a),
        payload: { moduleId: module.id, userIds: [teammate.id] },
      }),
      403,
      'FORBIDDEN',
    );
    expect(await usersOf(a, module.id)).toEqual([teammate.id]);
  });
});

describe('listing and removing assignments', () => {
  it("staff list them; managers and referents see their teams' only", async () => {
    await checkRoute(h, {
      request: (org) => ({ method: 'GET', url: assignmentsUrl(org) }),
      allow: STAFF,
      status: 200,
      badInput: (org) => ({ method: 'GET', url: assignmentsUrl(org, '?moduleId=nope') }),
    });
    const { a } = h.world;
    const module = await f.publishedModule(a);
    const teammate = await member(['learner'], { teamId: a.team.id });
    const outsider = await member(['learner'], { teamId: support.id });
    await f.assign(a, module.id, [teammate.id, outsider.id]);
    const seen = async (as: UserFixture) =>
      (await list(a, `?moduleId=${module.id}`, as)).map((x) => x.userId).sort();
    expect(await seen(a.users.trainer)).toEqual([teammate.id, outsider.id].sort());
    expect(await seen(a.users.admin)).toEqual([teammate.id, outsider.id].sort());
    expect(await seen(a.users.manager)).toEqual([teammate.id]);
    expect(await seen(a.users.referent)).toEqual([teammate.id]);
    expect(await list(a, `?moduleId=${module.id}&userId=${outsider.id}`)).toHaveLength(1);
    expect(await list(a, `?moduleId=${module.id}&userId=${outsider.id}`, a.users.manager)).toEqual(
      [],
    );
    // Another organisation's assignments never show.
    const { b } = h.world;
    expect(await list(b, `?moduleId=${module.id}`, b.users.admin)).toEqual([]);
  });

  it('staff remove one made by hand; it no longer shows', async () => {
    const modules: Record<string, string> = {};
    for (const org of [h.world.a, h.world.b]) modules[org.id] = (await f.publishedModule(org)).id;
    await checkRoute(h, {
      request: async (org, owner) => {
        const [made] = await f.assign(owner, modules[owner.id]!, [owner.users.learner.id]);
        return { method: 'DELETE', url: assignmentsUrl(org, `/${made!.id}`) };
      },
      allow: STAFF,
      status: 204,
      objectInPath: true,
    });
    const { a } = h.world;
    const learner = await member(['learner'], { teamId: a.team.id });
    const [made] = await f.assign(a, modules[a.id]!, [learner.id]);
    const del = await a.users.manager.inject({
      method: 'DELETE',
      url: assignmentsUrl(a, `/${made!.id}`),
    });
    expect(del.statusCode).toBe(204);
    expect(await modulesOf(a, learner.id)).toEqual([]);
    expectError(
      await a.users.trainer.inject({ method: 'DELETE', url: assignmentsUrl(a, `/${made!.id}`) }),
      404,
      'NOT_FOUND',
    );
  });

  it('one from the targets is 409; one outside the team is 403 for managers', async () => {
    const { a } = h.world;
    const learner = await member(['learner'], { jobRoleId: accountant.id, teamId: support.id });
    const module = await f.publishedModule(a, { jobRoleIds: [accountant.id] });
    const [target] = await list(a, `?userId=${learner.id}&moduleId=${module.id}`);
    expectError(
      await a.users.trainer.inject({
        method: 'DELETE',
        url: assignmentsUrl(a, `/${target!.id}`),
      }),
      409,
      'CONFLICT',
    );
    const other = await f.publishedModule(a);
    const [manual] = await f.assign(a, other.id, [learner.id]);
    expectError(
      await a.users.manager.inject({
        method: 'DELETE',
        url: assignmentsUrl(a, `/${manual!.id}`),
      }),
      403,
      'FORBIDDEN',
    );
    expect(await modulesOf(a, learner.id)).toEqual([module.id, other.id].sort());
  });
});
