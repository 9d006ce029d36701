import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import * as structureRepo from '../../server/structure/repository';
import {
  checkRoute,
  createHarness,
  expectError,
  json,
  type OrgFixture,
  type UserFixture,
} from '../helpers/harness';
import { learningFixtures } from '../helpers/learning';

const h = await createHarness();
const f = learningFixtures(h);
const memberUrl = (org: OrgFixture, userId: string) => `/api/orgs/${org.id}/members/${userId}`;

let sales: { id: string };
let support: { id: string };
let warehouse: { id: string };

beforeAll(async () => {
  const { a } = h.world;
  sales = a.team;
  support = await structureRepo.insertItem(h.db, 'team', a.id, 'Support', h.clock.now());
  warehouse = await structureRepo.insertItem(h.db, 'team', a.id, 'Warehouse', h.clock.now());
});

/** A new member of organisation A with the given roles, in team `teamId`. */
async function member(roles: UserFixture['roles'], teamId: string | null = null) {
  const user = await h.addUser(h.world.a.id, roles);
  await f.setMembership(h.world.a, user.id, { teamId });
  return user;
}

async function patch(userId: string, payload: object) {
  const { a } = h.world;
  return a.users.admin.inject({ method: 'PATCH', url: memberUrl(a, userId), payload });
}

async function listed(userId: string) {
  const { a } = h.world;
  const res = await a.users.admin.inject({ method: 'GET', url: `/api/orgs/${a.id}/members` });
  return json(res).items.find((m: { userId: string }) => m.userId === userId);
}

describe('the teams a manager manages', () => {
  it('the admin sets them; the member list shows them', async () => {
    await checkRoute(h, {
      request: async (org, owner) => ({
        method: 'PATCH',
        url: memberUrl(org, (await h.addUser(owner.id, ['manager'])).id),
        payload: { managedTeamIds: [owner.team.id] },
      }),
      allow: ['admin'],
      status: 200,
      objectInPath: true,
      badInput: (org) => ({
        method: 'PATCH',
        url: memberUrl(org, org.users.manager.id),
        payload: { managedTeamIds: ['nope'] },
      }),
    });
    const manager = await member(['manager'], sales.id);
    const res = await patch(manager.id, { managedTeamIds: [support.id, warehouse.id] });
    expect(res.statusCode, res.body).toBe(200);
    expect(json(res)).toMatchObject({
      roles: ['manager'],
      teamId: sales.id,
      managedTeamIds: [support.id, warehouse.id].sort(),
    });
    expect((await listed(manager.id)).managedTeamIds).toEqual([support.id, warehouse.id].sort());
    // The list is replaced as a whole; an empty one manages nothing.
    expect(json(await patch(manager.id, { managedTeamIds: [] })).managedTeamIds).toEqual([]);
  });

  it('refuses another organisation’s team at the field, repeats and too many', async () => {
    const { b } = h.world;
    const manager = await member(['manager']);
    for (const teamId of [b.team.id, randomUUID()]) {
      const err = expectError(
        await patch(manager.id, { managedTeamIds: [sales.id, teamId] }),
        400,
        'VALIDATION_FAILED',
      );
      expect(err.issues).toEqual([
        { path: ['body', 'managedTeamIds'], message: expect.any(String) },
      ]);
    }
    const tooMany = Array.from({ length: 51 }, () => randomUUID());
    for (const managedTeamIds of [[sales.id, sales.id], tooMany]) {
      expectError(await patch(manager.id, { managedTeamIds }), 400, 'VALIDATION_FAILED');
    }
    // Nothing was stored on the way.
    expect((await listed(manager.id)).managedTeamIds).toEqual([]);
  });

  it('a new manager in a team manages nothing until the admin says so', async () => {
    const manager = await member(['learner'], sales.id);
    const res = await patch(manager.id, { roles: ['learner', 'manager'] });
    expect(json(res)).toMatchObject({ teamId: sales.id, managedTeamIds: [] });
  });
});

describe('assigning within the managed teams', () => {
  async function assign(as: UserFixture, userIds: string[]) {
    const { a } = h.world;
    const module = await f.publishedModule(a);
    return as.inject({
      method: 'POST',
      url: `/api/orgs/${a.id}/assignments`,
      payload: { moduleId: module.id, userIds },
    });
  }

  async function seen(as: UserFixture, moduleId: string) {
    const res = await as.inject({
      method: 'GET',
      url: `/api/orgs/${h.world.a.id}/assignments?moduleId=${moduleId}`,
    });
    return json(res)
      .items.map((x: { userId: string }) => x.userId)
      .sort();
  }

  it('a manager of two teams assigns to both, not to a third; and sees both', async () => {
    const { a } = h.world;
    const manager = await member(['manager']);
    await f.manageTeams(a, manager.id, [sales.id, support.id]);
    const inSales = await member(['learner'], sales.id);
    const inSupport = await member(['learner'], support.id);
    const inWarehouse = await member(['learner'], warehouse.id);
    expect((await assign(manager, [inSales.id, inSupport.id])).statusCode).toBe(201);
    expectError(await assign(manager, [inSales.id, inWarehouse.id]), 403, 'FORBIDDEN');
    const module = await f.publishedModule(a);
    await f.assign(a, module.id, [inSales.id, inSupport.id, inWarehouse.id]);
    expect(await seen(manager, module.id)).toEqual([inSales.id, inSupport.id].sort());
  });

  it('being in a team is not managing it', async () => {
    const { a } = h.world;
    const manager = await member(['manager'], sales.id);
    await f.manageTeams(a, manager.id, [support.id]);
    const colleague = await member(['learner'], sales.id);
    const managed = await member(['learner'], support.id);
    const err = expectError(await assign(manager, [colleague.id]), 403, 'FORBIDDEN');
    expect(err.message).toBe(
      'Managers and referents assign modules to the members of the teams they look after.',
    );
    expect((await assign(manager, [managed.id])).statusCode).toBe(201);
  });

  it('managed teams count only while the member is a manager', async () => {
    const { a } = h.world;
    const manager = await member(['manager']);
    await f.manageTeams(a, manager.id, [support.id]);
    const managed = await member(['learner'], support.id);
    expect(json(await patch(manager.id, { roles: ['learner'] })).managedTeamIds).toEqual([
      support.id,
    ]);
    expectError(await assign(manager, [managed.id]), 403, 'FORBIDDEN');
    await patch(manager.id, { roles: ['learner', 'manager'] });
    expect((await assign(manager, [managed.id])).statusCode).toBe(201);
  });

  it('a referent stays scoped to their own team', async () => {
    const { a } = h.world;
    const referent = await member(['referent'], sales.id);
    // Stored managed teams do not count for someone who is not a manager.
    await f.manageTeams(a, referent.id, [support.id]);
    const teammate = await member(['learner'], sales.id);
    const other = await member(['learner'], support.id);
    expect((await assign(referent, [teammate.id])).statusCode).toBe(201);
    expectError(await assign(referent, [other.id]), 403, 'FORBIDDEN');
    // A manager who is also a referent looks after both.
    const both = await member(['manager', 'referent'], sales.id);
    await f.manageTeams(a, both.id, [support.id]);
    expect((await assign(both, [teammate.id, other.id])).statusCode).toBe(201);
  });
});

describe('pausing within the managed teams', () => {
  const pauseFor = (as: UserFixture, userId: string, startsOn: string) =>
    as.inject({
      method: 'POST',
      url: `/api/orgs/${h.world.a.id}/pauses`,
      payload: { userId, startsOn, endsOn: startsOn },
    });

  it('a manager pauses the members of the teams they manage, not of their own team', async () => {
    const { a } = h.world;
    const manager = await member(['manager'], sales.id);
    await f.manageTeams(a, manager.id, [support.id, warehouse.id]);
    const inSupport = await member(['learner'], support.id);
    const inWarehouse = await member(['learner'], warehouse.id);
    const colleague = await member(['learner'], sales.id);
    expect((await pauseFor(manager, inSupport.id, '2026-05-04')).statusCode).toBe(201);
    expect((await pauseFor(manager, inWarehouse.id, '2026-05-04')).statusCode).toBe(201);
    expectError(await pauseFor(manager, colleague.id, '2026-05-04'), 403, 'FORBIDDEN');
    // A referent or trainer handles only their own, whatever teams are stored for them.
    const trainer = await member(['trainer'], support.id);
    await f.manageTeams(a, trainer.id, [support.id]);
    expectError(await pauseFor(trainer, inSupport.id, '2026-05-11'), 403, 'FORBIDDEN');
  });
});
