import { and, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { invitations, jobRoles, memberships, teams, users } from '../db/schema';

/** The addresses among `emails` (lower-cased) that belong to a member, active or not. */
export async function memberEmails(db: Executor, orgId: string, emails: string[]) {
  if (emails.length === 0) return new Set<string>();
  const email = sql<string>`lower(${users.email})`;
  const rows = await db
    .select({ email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, orgId), inArray(email, emails)));
  return new Set(rows.map((r) => r.email));
}

/** The addresses among `emails` with a pending invitation that has not expired at `now`. */
export async function pendingEmails(db: Executor, orgId: string, emails: string[], now: Date) {
  if (emails.length === 0) return new Set<string>();
  const rows = await db
    .select({ email: invitations.email })
    .from(invitations)
    .where(
      and(
        eq(invitations.orgId, orgId),
        inArray(invitations.email, emails),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
        gt(invitations.expiresAt, now),
      ),
    );
  return new Set(rows.map((r) => r.email));
}

/** The organisation's teams and job roles, id by name. */
export async function structureNames(db: Executor, orgId: string) {
  const [teamRows, jobRoleRows] = await Promise.all([
    db.select({ id: teams.id, name: teams.name }).from(teams).where(eq(teams.orgId, orgId)),
    db
      .select({ id: jobRoles.id, name: jobRoles.name })
      .from(jobRoles)
      .where(eq(jobRoles.orgId, orgId)),
  ]);
  return { teams: teamRows, jobRoles: jobRoleRows };
}
