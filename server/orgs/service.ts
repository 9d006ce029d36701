import { mayCreateOrg, type Org } from '../../shared/orgs';
import type { PrincipalCache } from '../auth/principal-cache';
import * as authRepo from '../auth/repository';
import type { Database } from '../db/client';
import type { Clock } from '../lib/clock';
import { ForbiddenError, NotFoundError } from '../lib/errors';
import { seedDefaultPersonas } from '../personas/defaults';
import * as repo from './repository';

export type OrgService = ReturnType<typeof createOrgService>;

export function createOrgService({
  db,
  clock,
  principals,
}: {
  db: Database;
  clock: Clock;
  principals: PrincipalCache;
}) {
  return {
    /**
     * Creates an organisation for those `mayCreateOrg` allows (403 otherwise); the creator
     * becomes its admin. It starts with the default personas, in the creator's language.
     */
    async create(userId: string, name: string) {
      const orgId = await db.transaction(async (tx) => {
        const active = await authRepo.listUserMemberships(tx, userId);
        const { all } = await authRepo.countMemberships(tx, userId);
        if (!mayCreateOrg(active, all > active.length)) {
          throw new ForbiddenError(
            'Organisations are created by admins and trainers. Ask your administrator for access.',
          );
        }
        const now = clock.now();
        const org = await repo.insertOrg(tx, name, now);
        await repo.insertMembership(tx, { orgId: org.id, userId, roles: ['admin'], now });
        const creator = await authRepo.findUserById(tx, userId);
        await seedDefaultPersonas(tx, org.id, creator?.locale ?? 'fr', now);
        return org.id;
      });
      await principals.forgetUser(userId);
      return orgId;
    },

    async get(orgId: string): Promise<Org> {
      const org = await repo.findOrg(db, orgId);
      if (!org) throw new NotFoundError('Organisation');
      return org;
    },

    async rename(orgId: string, name: string): Promise<Org> {
      const org = await repo.updateOrgName(db, orgId, name);
      if (!org) throw new NotFoundError('Organisation');
      await principals.forgetOrg(orgId);
      return org;
    },
  };
}
