import { describe, expect, it } from 'vitest';
import * as orgRepo from '../../server/orgs/repository';
import { Caller, checkRoute, createHarness, expectError, json } from '../helpers/harness';
import { ALL_ROLES } from '../helpers/harness';

const h = await createHarness();
/** A new session for a user, so that it sees their memberships as they are now. */
const fresh = async (userId: string) => new Caller(h.app, await h.signIn(userId));

describe('organisations', () => {
  it('a trainer creates an organisation and becomes its admin', async () => {
    const consultant = await h.addUser(h.world.a.id, ['trainer']);
    h.clock.advance(1000); // memberships are listed oldest first
    const res = await consultant.inject({
      method: 'POST',
      url: '/api/orgs',
      payload: { name: '  Client B  ' },
    });
    expect(res.statusCode).toBe(201);
    const { orgId } = json(res);
    const me = json(await consultant.inject({ method: 'GET', url: '/api/me' }));
    expect(me.memberships).toEqual([
      { orgId: h.world.a.id, orgName: 'Org A', roles: ['trainer'] },
      { orgId, orgName: 'Client B', roles: ['admin'] },
    ]);
    // The new organisation is empty apart from its creator.
    const members = json(
      await consultant.inject({ method: 'GET', url: `/api/orgs/${orgId}/members` }),
    );
    expect(members.items.map((m: { userId: string }) => m.userId)).toEqual([consultant.id]);
    // It starts with three personas in its creator's language (English here), and onboarding
    // rules that lead low, middle and high confidence to them.
    const personas = json(
      await consultant.inject({ method: 'GET', url: `/api/orgs/${orgId}/personas` }),
    ).items;
    expect(personas).toEqual([
      expect.objectContaining({ name: 'Step by step', confidence: 2, position: 0 }),
      expect.objectContaining({ name: 'Autonomous', confidence: 3, position: 1 }),
      expect.objectContaining({ name: 'Power user', confidence: 5, position: 2 }),
    ]);
    const [step, autonomous, power] = personas.map((p: { id: string }) => p.id);
    const rules = json(
      await consultant.inject({ method: 'GET', url: `/api/orgs/${orgId}/personas/rules` }),
    );
    expect(rules).toEqual({
      rules: [
        { minConfidence: 1, maxConfidence: 2, devices: [], personaId: step },
        { minConfidence: 3, maxConfidence: 4, devices: [], personaId: autonomous },
        { minConfidence: 5, maxConfidence: 5, devices: [], personaId: power },
      ],
      fallbackPersonaId: autonomous,
    });
    // Organisation A's personas are not touched.
    const inA = json(
      await consultant.inject({ method: 'GET', url: `/api/orgs/${h.world.a.id}/personas` }),
    ).items;
    expect(inA.map((p: { id: string }) => p.id)).not.toContain(step);
    expectError(
      await h.anon.inject({ method: 'POST', url: '/api/orgs', payload: { name: 'X' } }),
      401,
      'UNAUTHENTICATED',
    );
    expectError(
      await consultant.inject({ method: 'POST', url: '/api/orgs', payload: { name: '' } }),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('a new organisation’s personas speak the creator’s current language', async () => {
    const creator = await h.addUser(null, []);
    const fr = await creator.inject({ method: 'PATCH', url: '/api/me', payload: { locale: 'fr' } });
    expect(fr.statusCode).toBe(200);
    const { orgId } = json(
      await creator.inject({ method: 'POST', url: '/api/orgs', payload: { name: 'PME' } }),
    );
    const personas = json(
      await creator.inject({ method: 'GET', url: `/api/orgs/${orgId}/personas` }),
    );
    expect(personas.items.map((p: { name: string }) => p.name)).toEqual([
      'Pas à pas',
      'Autonome',
      'Expert',
    ]);
  });

  it('admins, trainers and people without an organisation create one; other roles are refused', async () => {
    const create = (caller: Caller) =>
      caller.inject({ method: 'POST', url: '/api/orgs', payload: { name: 'Own' } });
    for (const role of ALL_ROLES) {
      const res = await create(await h.addUser(h.world.a.id, [role]));
      if (role === 'admin' || role === 'trainer') expect(res.statusCode, role).toBe(201);
      else expectError(res, 403, 'FORBIDDEN');
    }
    // One creator role in any organisation is enough: a consultant who also learns elsewhere.
    const both = await h.addUser(h.world.a.id, ['learner', 'manager']);
    expectError(await create(both), 403, 'FORBIDDEN');
    await orgRepo.insertMembership(h.db, {
      orgId: h.world.b.id,
      userId: both.id,
      roles: ['trainer'],
      now: h.clock.now(),
    });
    expect((await create(await fresh(both.id))).statusCode).toBe(201);
    // Someone who never belonged anywhere sets their own up.
    expect((await create(await h.addUser(null, []))).statusCode).toBe(201);
    // A learner whose only membership ended asks their admin instead (even with a session).
    const removed = await h.addUser(h.world.a.id, ['learner']);
    const ended = await h.world.a.users.admin.inject({
      method: 'PATCH',
      url: `/api/orgs/${h.world.a.id}/members/${removed.id}`,
      payload: { active: false },
    });
    expect(ended.statusCode).toBe(200);
    expectError(await create(await fresh(removed.id)), 403, 'FORBIDDEN');
  });

  it('GET /api/orgs/:orgId answers every member and nobody else', async () => {
    await checkRoute(h, {
      request: (org) => ({ method: 'GET', url: `/api/orgs/${org.id}` }),
      allow: ALL_ROLES,
      status: 200,
    });
    const res = await h.world.a.users.learner.inject({
      method: 'GET',
      url: `/api/orgs/${h.world.a.id}`,
    });
    expect(json(res)).toEqual({
      id: h.world.a.id,
      name: 'Org A',
      createdAt: expect.stringMatching(/Z$/),
    });
    expectError(
      await h.world.a.users.admin.inject({ method: 'GET', url: '/api/orgs/not-a-uuid' }),
      404,
      'NOT_FOUND',
    );
    expectError(
      await h.world.a.users.admin.inject({
        method: 'GET',
        url: '/api/orgs/00000000-0000-4000-8000-000000000000',
      }),
      404,
      'NOT_FOUND',
    );
  });

  it('PATCH /api/orgs/:orgId renames (admin)', async () => {
    await checkRoute(h, {
      request: (org) => ({
        method: 'PATCH',
        url: `/api/orgs/${org.id}`,
        payload: { name: `${org.name}` },
      }),
      allow: ['admin'],
      status: 200,
      badInput: (org) => ({
        method: 'PATCH',
        url: `/api/orgs/${org.id}`,
        payload: { name: 'x'.repeat(500) },
      }),
    });
  });
});
