import type { Member, UpdateMemberBody } from '../../shared/orgs';
import { syncTargetAssignments } from '../assignments/sync';
import type { PrincipalCache } from '../auth/principal-cache';
import * as authRepo from '../auth/repository';
import type { Database, Executor } from '../db/client';
import type { Clock } from '../lib/clock';
import { ConflictError, NotFoundError, ValidationError } from '../lib/errors';
import * as structureRepo from '../structure/repository';
import * as repo from './repository';

export type MemberService = ReturnType<typeof createMemberService>;

/** Refuses a team or job role id that is not one of this organisation's. */
export async function checkStructureRefs(
  db: Executor,
  orgId: string,
  refs: { teamId?: string | null; jobRoleId?: string | null },
) {
  const issues = [];
  if (refs.teamId && !(await structureRepo.findItem(db, 'team', orgId, refs.teamId))) {
    issues.push({ path: ['teamId'], message: 'No such team in this organisation.' });
  }
  if (refs.jobRoleId && !(await structureRepo.findItem(db, 'jobRole', orgId, refs.jobRoleId))) {
    issues.push({ path: ['jobRoleId'], message: 'No such job role in this organisation.' });
  }
  if (issues.length) throw new ValidationError('Some fields are invalid.', issues);
}

/** Refuses managed teams that are not this organisation's. */
async function checkManagedTeams(db: Executor, orgId: string, teamIds: string[] | undefined) {
  if (!teamIds) return;
  const found = await repo.findTeamIds(db, orgId, teamIds);
  if (teamIds.every((id) => found.has(id))) return;
  const message = 'No such team in this organisation.';
  throw new ValidationError('Some fields are invalid.', [{ path: ['managedTeamIds'], message }]);
}

export function createMemberService({
  db,
  clock,
  principals,
}: {
  db: Database;
  clock: Clock;
  principals: PrincipalCache;
}) {
  return {
    list: (orgId: string): Promise<Member[]> => repo.listMembers(db, orgId),

    /**
     * Changes a member's roles, team, job role, managed teams or active state. The organisation
     * always keeps one active admin. A learner gets the published modules their new job role or team is
     * targeted by (and keeps those they had). Deactivation ends the person's access at once: their sessions are
     * revoked unless they still belong to another organisation, whose access they keep.
     */
    async update(orgId: string, userId: string, body: UpdateMemberBody): Promise<Member> {
      await db.transaction(async (tx) => {
        await repo.lockOrg(tx, orgId);
        const [current] = await repo.listMembers(tx, orgId, userId);
        if (!current) throw new NotFoundError('Member');
        await checkStructureRefs(tx, orgId, body);
        await checkManagedTeams(tx, orgId, body.managedTeamIds);
        const staysAdmin =
          (body.roles ?? current.roles).includes('admin') && (body.active ?? current.active);
        const wasAdmin = current.roles.includes('admin') && current.active;
        if (
          wasAdmin &&
          !staysAdmin &&
          (await repo.countOtherActiveAdmins(tx, orgId, userId)) === 0
        ) {
          throw new ConflictError(
            'This is the last active admin of the organisation. Make someone else admin first.',
            'LAST_ADMIN',
          );
        }
        const { active, managedTeamIds, ...rest } = body;
        const now = clock.now();
        const values = {
          ...rest,
          ...(active === undefined ? {} : { deactivatedAt: active ? null : now }),
        };
        // A change of managed teams alone leaves the membership row as it is.
        if (Object.keys(values).length > 0) await repo.updateMembership(tx, orgId, userId, values);
        if (managedTeamIds) await repo.setManagedTeams(tx, orgId, userId, managedTeamIds);
        if (active === false && current.active) {
          const count = await authRepo.countMemberships(tx, userId);
          if (count.active === 0) await authRepo.revokeUserSessions(tx, userId, now);
        }
        // A new job role, team or role, or a return, may bring modules the person now matches.
        const reactivated = active === true && !current.active;
        if (
          rest.roles ||
          rest.teamId !== undefined ||
          rest.jobRoleId !== undefined ||
          reactivated
        ) {
          await syncTargetAssignments(tx, orgId, { userId }, now);
        }
      });
      await principals.forgetUser(userId);
      const [member] = await repo.listMembers(db, orgId, userId);
      return member!;
    },
  };
}
