import { and, asc, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import type { Role } from '../../shared/common';
import type { Executor } from '../db/client';
import { managedTeams, memberships, organisations, teams, users } from '../db/schema';

/** The teams a membership manages, as a column of any query over `memberships`. */
export const managedTeamIdsColumn = sql<string[]>`array(
  select ${managedTeams.teamId} from ${managedTeams}
  where ${managedTeams.orgId} = ${memberships.orgId}
    and ${managedTeams.userId} = ${memberships.userId}
  order by ${managedTeams.teamId})`;

const memberColumns = {
  userId: memberships.userId,
  name: users.name,
  email: users.email,
  roles: memberships.roles,
  teamId: memberships.teamId,
  jobRoleId: memberships.jobRoleId,
  managedTeamIds: managedTeamIdsColumn,
  active: sql<boolean>`${memberships.deactivatedAt} is null`.mapWith(Boolean),
  joinedAt: memberships.createdAt,
};

/** Members of an organisation (or one of them), sorted by name. */
export async function listMembers(db: Executor, orgId: string, userId?: string) {
  return db
    .select(memberColumns)
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, orgId), userId ? eq(memberships.userId, userId) : undefined))
    .orderBy(asc(sql`lower(${users.name})`), asc(users.email));
}

export async function updateMembership(
  db: Executor,
  orgId: string,
  userId: string,
  values: {
    roles?: Role[];
    teamId?: string | null;
    jobRoleId?: string | null;
    deactivatedAt?: Date | null;
  },
) {
  const rows = await db
    .update(memberships)
    .set(values)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)))
    .returning({ userId: memberships.userId });
  return rows.length > 0;
}

/** Replaces the teams a member manages. */
export async function setManagedTeams(
  db: Executor,
  orgId: string,
  userId: string,
  teamIds: string[],
) {
  await db
    .delete(managedTeams)
    .where(and(eq(managedTeams.orgId, orgId), eq(managedTeams.userId, userId)));
  if (teamIds.length === 0) return;
  await db.insert(managedTeams).values(teamIds.map((teamId) => ({ orgId, userId, teamId })));
}

/** Those of `teamIds` that are teams of the organisation. */
export async function findTeamIds(db: Executor, orgId: string, teamIds: string[]) {
  if (teamIds.length === 0) return new Set<string>();
  const rows = await db
    .select({ id: teams.id })
    .from(teams)
    .where(and(eq(teams.orgId, orgId), inArray(teams.id, teamIds)));
  return new Set(rows.map((r) => r.id));
}

/** Locks the organisation row so concurrent role changes are checked one after the other. */
export async function lockOrg(db: Executor, orgId: string) {
  await db
    .select({ id: organisations.id })
    .from(organisations)
    .where(eq(organisations.id, orgId))
    .for('update');
}

/** Active admins other than `userId`. */
export async function countOtherActiveAdmins(db: Executor, orgId: string, userId: string) {
  const [row] = await db
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(memberships)
    .where(
      and(
        eq(memberships.orgId, orgId),
        ne(memberships.userId, userId),
        isNull(memberships.deactivatedAt),
        sql`'admin' = any(${memberships.roles})`,
      ),
    );
  return row?.n ?? 0;
}
