import { and, asc, eq, exists, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { assignments, memberships, modules } from '../db/schema';

export type AssignmentRow = typeof assignments.$inferSelect;

/** The module's status, its row share-locked so it is not archived while being assigned. */
export async function lockModuleForAssigning(db: Executor, orgId: string, moduleId: string) {
  const [row] = await db
    .select({ id: modules.id, status: modules.status })
    .from(modules)
    .where(and(eq(modules.orgId, orgId), eq(modules.id, moduleId)))
    .for('share');
  return row;
}

/** The team of each of `userIds` who is a member of the organisation (active or not). */
export async function findMemberTeams(db: Executor, orgId: string, userIds: string[]) {
  if (userIds.length === 0) return new Map<string, string | null>();
  const rows = await db
    .select({ userId: memberships.userId, teamId: memberships.teamId })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), inArray(memberships.userId, userIds)));
  return new Map(rows.map((r) => [r.userId, r.teamId]));
}

/**
 * Assigns the module to each user by hand; an existing assignment (whatever its reason) only
 * takes the new due date. Returns every row created or updated.
 */
export async function upsertManual(
  db: Executor,
  orgId: string,
  values: {
    moduleId: string;
    userIds: string[];
    dueOn: string | null;
    opensAt: Date;
    assignedBy: string;
    now: Date;
  },
): Promise<AssignmentRow[]> {
  const { moduleId, userIds, dueOn, opensAt, assignedBy, now } = values;
  return db
    .insert(assignments)
    .values(
      // One order for every request: two naming the same people in other orders would each
      // hold a row the other waits for (a deadlock, then a 500).
      [...userIds].sort().map((userId) => ({
        orgId,
        moduleId,
        userId,
        reason: 'manual' as const,
        opensAt,
        dueOn,
        assignedBy,
        createdAt: now,
      })),
    )
    .onConflictDoUpdate({
      target: [assignments.moduleId, assignments.userId],
      set: { dueOn: sql`excluded.due_on` },
    })
    .returning();
}

/**
 * The organisation's assignments, oldest first; `teamIds` keeps those of these teams' members
 * only (empty: none at all).
 */
export async function listAssignments(
  db: Executor,
  orgId: string,
  filter: { moduleId?: string; userId?: string; id?: string; teamIds?: string[] },
): Promise<AssignmentRow[]> {
  const { moduleId, userId, id, teamIds } = filter;
  const inTeams =
    teamIds === undefined
      ? undefined
      : teamIds.length === 0
        ? sql`false`
        : exists(
            db
              .select({ one: sql`1` })
              .from(memberships)
              .where(
                and(
                  eq(memberships.orgId, orgId),
                  eq(memberships.userId, assignments.userId),
                  inArray(memberships.teamId, teamIds),
                ),
              ),
          );
  return db
    .select()
    .from(assignments)
    .where(
      and(
        eq(assignments.orgId, orgId),
        moduleId ? eq(assignments.moduleId, moduleId) : undefined,
        userId ? eq(assignments.userId, userId) : undefined,
        id ? eq(assignments.id, id) : undefined,
        inTeams,
      ),
    )
    .orderBy(asc(assignments.createdAt), asc(assignments.id));
}

export async function deleteAssignment(db: Executor, orgId: string, id: string) {
  const rows = await db
    .delete(assignments)
    .where(and(eq(assignments.orgId, orgId), eq(assignments.id, id)))
    .returning({ id: assignments.id });
  return rows.length > 0;
}
