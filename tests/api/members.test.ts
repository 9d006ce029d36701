import { describe, expect, it } from 'vitest';
import { checkRoute, createHarness, expectError, json } from '../helpers/harness';

const h = await createHarness();
const membersUrl = (orgId: string) => `/api/orgs/${orgId}/members`;

describe('people', () => {
  it('lists members with roles, team and job role (admin, trainer)', async () => {
    await checkRoute(h, {
      request: (org) => ({ method: 'GET', url: membersUrl(org.id) }),
      allow: ['admin', 'trainer'],
      status: 200,
    });
    const { a, b } = h.world;
    const items = json(
      await a.users.trainer.inject({ method: 'GET', url: membersUrl(a.id) }),
    ).items;
    expect(items).toHaveLength(5);
    expect(items).toContainEqual({
      userId: a.users.learner.id,
      name: 'Org A learner',
      email: a.users.learner.email,
      roles: ['learner'],
      teamId: null,
      jobRoleId: null,
      managedTeamIds: [],
      active: true,
      joinedAt: expect.any(String),
    });
    expect(items.map((m: { userId: string }) => m.userId)).not.toContain(b.users.learner.id);
  });

  it('changes roles, team and job role (admin); another organisation’s member is 404', async () => {
    await checkRoute(h, {
      request: async (org, owner) => ({
        method: 'PATCH',
        url: `${membersUrl(org.id)}/${(await h.addUser(owner.id, ['learner'])).id}`,
        payload: {
          roles: ['learner', 'manager'],
          teamId: owner.team.id,
          jobRoleId: owner.jobRole.id,
        },
      }),
      allow: ['admin'],
      status: 200,
      objectInPath: true,
      badInput: (org) => ({
        method: 'PATCH',
        url: `${membersUrl(org.id)}/${org.users.learner.id}`,
        payload: { roles: ['learner', 'wizard'] },
      }),
    });
    const { a, b } = h.world;
    const learner = await h.addUser(a.id, ['learner']);
    const url = `${membersUrl(a.id)}/${learner.id}`;
    const res = await a.users.admin.inject({
      method: 'PATCH',
      url,
      payload: { roles: ['learner', 'referent'], teamId: a.team.id },
    });
    expect(json(res)).toMatchObject({
      userId: learner.id,
      roles: ['learner', 'referent'],
      teamId: a.team.id,
      jobRoleId: null,
    });
    // The member sees the new roles at once.
    expect(
      json(await learner.inject({ method: 'GET', url: '/api/me' })).memberships[0].roles,
    ).toEqual(['learner', 'referent']);
    // A team of another organisation is refused at the field.
    const foreign = expectError(
      await a.users.admin.inject({ method: 'PATCH', url, payload: { teamId: b.team.id } }),
      400,
      'VALIDATION_FAILED',
    );
    expect(foreign.issues).toEqual([{ path: ['body', 'teamId'], message: expect.any(String) }]);
    for (const payload of [
      {},
      { roles: [] },
      { roles: ['learner', 'learner'] },
      { nickname: 'x' },
    ]) {
      expectError(
        await a.users.admin.inject({ method: 'PATCH', url, payload }),
        400,
        'VALIDATION_FAILED',
      );
    }
  });

  it('keeps at least one active admin', async () => {
    const org = await h.addUser(null, []);
    const created = json(
      await org.inject({ method: 'POST', url: '/api/orgs', payload: { name: 'Solo' } }),
    );
    const url = `${membersUrl(created.orgId)}/${org.id}`;
    expectError(
      await org.inject({ method: 'PATCH', url, payload: { roles: ['trainer'] } }),
      409,
      'LAST_ADMIN',
    );
    expectError(
      await org.inject({ method: 'PATCH', url, payload: { active: false } }),
      409,
      'LAST_ADMIN',
    );
    const res = await org.inject({
      method: 'PATCH',
      url,
      payload: { roles: ['admin', 'trainer'] },
    });
    expect(json(res).roles).toEqual(['admin', 'trainer']);
  });

  it('deactivation ends the person’s sessions at once; reactivation lets them sign in again', async () => {
    const { a } = h.world;
    const person = await h.addUser(a.id, ['learner']);
    const url = `${membersUrl(a.id)}/${person.id}`;
    expect((await person.inject({ method: 'GET', url: '/api/me' })).statusCode).toBe(200);
    const res = await a.users.admin.inject({ method: 'PATCH', url, payload: { active: false } });
    expect(json(res).active).toBe(false);
    expectError(await person.inject({ method: 'GET', url: '/api/me' }), 401, 'UNAUTHENTICATED');
    // Still listed, as inactive, so an admin can reactivate them.
    const listed = json(await a.users.admin.inject({ method: 'GET', url: membersUrl(a.id) })).items;
    expect(listed.find((m: { userId: string }) => m.userId === person.id).active).toBe(false);
    expect(
      json(await a.users.admin.inject({ method: 'PATCH', url, payload: { active: true } })).active,
    ).toBe(true);
    const again = await h.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: person.email, password: 'a long test password' },
    });
    expect(again.statusCode).toBe(200);
  });

  it('a consultant deactivated in one organisation keeps the others, but loses this one at once', async () => {
    const { a, b } = h.world;
    const consultant = await h.addUser(a.id, ['trainer']);
    await h.world.b.users.admin.inject({ method: 'GET', url: '/api/me' });
    // The consultant joins B through an invitation, signed in as themselves.
    const invite = json(
      await b.users.admin.inject({
        method: 'POST',
        url: `/api/orgs/${b.id}/invitations`,
        payload: { email: consultant.email, roles: ['trainer'] },
      }),
    );
    const token = invite.link.split('/invite/')[1];
    expect(
      (
        await consultant.inject({
          method: 'POST',
          url: `/api/invitations/${token}/accept`,
          payload: {},
        })
      ).statusCode,
    ).toBe(200);

    await a.users.admin.inject({
      method: 'PATCH',
      url: `${membersUrl(a.id)}/${consultant.id}`,
      payload: { active: false },
    });
    const me = json(await consultant.inject({ method: 'GET', url: '/api/me' }));
    expect(me.memberships.map((m: { orgId: string }) => m.orgId)).toEqual([b.id]);
    expectError(
      await consultant.inject({ method: 'GET', url: membersUrl(a.id) }),
      404,
      'NOT_FOUND',
    );
    expect((await consultant.inject({ method: 'GET', url: membersUrl(b.id) })).statusCode).toBe(
      200,
    );
  });
});
