import { describe, expect, it } from 'vitest';
import {
  checkRoute,
  createHarness,
  expectError,
  json,
  type OrgFixture,
  STAFF,
} from '../helpers/harness';
import * as structureRepo from '../../server/structure/repository';

const h = await createHarness();

for (const { path, kind, label } of [
  { path: 'teams', kind: 'team', label: 'team' },
  { path: 'job-roles', kind: 'jobRole', label: 'job role' },
] as const) {
  const fresh = async (org: OrgFixture) =>
    structureRepo.insertItem(h.db, kind, org.id, `${label} ${Math.random()}`, h.clock.now());

  describe(`/api/orgs/:orgId/${path}`, () => {
    it('lists items with member counts for staff roles', async () => {
      await checkRoute(h, {
        request: (org) => ({ method: 'GET', url: `/api/orgs/${org.id}/${path}` }),
        allow: [...STAFF],
        status: 200,
      });
      const res = await h.world.a.users.manager.inject({
        method: 'GET',
        url: `/api/orgs/${h.world.a.id}/${path}`,
      });
      const own = h.world.a[kind];
      expect(json(res).items).toContainEqual(
        expect.objectContaining({ id: own.id, name: own.name, memberCount: 0 }),
      );
      // Nothing of organisation B leaks into A's list.
      expect(json(res).items.map((i: { id: string }) => i.id)).not.toContain(h.world.b[kind].id);
    });

    it('creates (admin only), refuses duplicates case-insensitively', async () => {
      let n = 0;
      await checkRoute(h, {
        request: (org) => ({
          method: 'POST',
          url: `/api/orgs/${org.id}/${path}`,
          payload: { name: `New ${label} ${++n}` },
        }),
        allow: ['admin'],
        status: 201,
        badInput: (org) => ({
          method: 'POST',
          url: `/api/orgs/${org.id}/${path}`,
          payload: { name: '   ' },
        }),
      });
      const admin = h.world.a.users.admin;
      const url = `/api/orgs/${h.world.a.id}/${path}`;
      const created = await admin.inject({ method: 'POST', url, payload: { name: 'Finance' } });
      expect(created.statusCode).toBe(201);
      expect(json(created)).toMatchObject({ name: 'Finance', memberCount: 0 });
      expectError(
        await admin.inject({ method: 'POST', url, payload: { name: 'FINANCE' } }),
        409,
        'CONFLICT',
      );
      // The same name is fine in another organisation.
      const other = await h.world.b.users.admin.inject({
        method: 'POST',
        url: `/api/orgs/${h.world.b.id}/${path}`,
        payload: { name: 'Finance' },
      });
      expect(other.statusCode).toBe(201);
      expectError(
        await admin.inject({ method: 'POST', url, payload: { name: 'X', extra: 1 } }),
        400,
        'VALIDATION_FAILED',
      );
    });

    it('renames (admin only); another organisation’s item is 404', async () => {
      await checkRoute(h, {
        request: async (org, owner) => ({
          method: 'PATCH',
          url: `/api/orgs/${org.id}/${path}/${(await fresh(owner)).id}`,
          payload: { name: `Renamed ${Math.random()}` },
        }),
        allow: ['admin'],
        status: 200,
        objectInPath: true,
        badInput: async (org) => ({
          method: 'PATCH',
          url: `/api/orgs/${org.id}/${path}/${(await fresh(org)).id}`,
          payload: { name: 42 },
        }),
      });
      expectError(
        await h.world.a.users.admin.inject({
          method: 'PATCH',
          url: `/api/orgs/${h.world.a.id}/${path}/not-a-uuid`,
          payload: { name: 'x' },
        }),
        400,
        'VALIDATION_FAILED',
      );
    });

    it('deletes an unused item; refuses one in use with IN_USE', async () => {
      await checkRoute(h, {
        request: async (org, owner) => ({
          method: 'DELETE',
          url: `/api/orgs/${org.id}/${path}/${(await fresh(owner)).id}`,
        }),
        allow: ['admin'],
        status: 204,
        objectInPath: true,
      });
      const { a } = h.world;
      const item = await fresh(a);
      const field = kind === 'team' ? 'teamId' : 'jobRoleId';
      const moved = await a.users.admin.inject({
        method: 'PATCH',
        url: `/api/orgs/${a.id}/members/${a.users.learner.id}`,
        payload: { [field]: item.id },
      });
      expect(moved.statusCode).toBe(200);
      const refused = expectError(
        await a.users.admin.inject({
          method: 'DELETE',
          url: `/api/orgs/${a.id}/${path}/${item.id}`,
        }),
        409,
        'IN_USE',
      );
      expect(refused.message).toContain('1 member(s)');
      const list = await a.users.admin.inject({ method: 'GET', url: `/api/orgs/${a.id}/${path}` });
      expect(json(list).items.find((i: { id: string }) => i.id === item.id).memberCount).toBe(1);
      await a.users.admin.inject({
        method: 'PATCH',
        url: `/api/orgs/${a.id}/members/${a.users.learner.id}`,
        payload: { [field]: null },
      });
      const res = await a.users.admin.inject({
        method: 'DELETE',
        url: `/api/orgs/${a.id}/${path}/${item.id}`,
      });
      expect(res.statusCode).toBe(204);
      expectError(
        await a.users.admin.inject({
          method: 'DELETE',
          url: `/api/orgs/${a.id}/${path}/${item.id}`,
        }),
        404,
        'NOT_FOUND',
      );
    });

    it('a revoked invitation does not keep an item in use', async () => {
      const { a } = h.world;
      const item = await fresh(a);
      const field = kind === 'team' ? 'teamId' : 'jobRoleId';
      const invitations = `/api/orgs/${a.id}/invitations`;
      const created = await a.users.admin.inject({
        method: 'POST',
        url: invitations,
        payload: { email: `${kind}-user@example.test`, [field]: item.id },
      });
      expect(created.statusCode).toBe(201);
      const url = `/api/orgs/${a.id}/${path}/${item.id}`;
      expectError(await a.users.admin.inject({ method: 'DELETE', url }), 409, 'IN_USE');
      const id = json(created).invitation.id;
      await a.users.admin.inject({ method: 'DELETE', url: `${invitations}/${id}` });
      expect((await a.users.admin.inject({ method: 'DELETE', url })).statusCode).toBe(204);
    });
  });
}
