import { and, asc, eq, isNull, ne, sql } from 'drizzle-orm';
import type { Role } from '../../shared/common';
import type { Executor } from '../db/client';
import { memberships, organisations, users } from '../db/schema';

const memberColumns = {
  userId: memberships.userId,
  name: users.name,
  email: users.email,
  roles: memberships.roles,
  teamId: memberships.teamId,
  jobRoleId: memberships.jobRoleId,
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
