import { and, asc, count, eq, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { invitations, jobRoles, memberships, teams } from '../db/schema';

/** Teams and job roles are the same small shape: a named group inside one organisation. */
export type StructureKind = 'team' | 'jobRole';

// Both tables have identical columns; the cast lets one set of queries serve both.
const tables = {
  team: { table: teams, member: memberships.teamId, invited: invitations.teamId },
  jobRole: {
    table: jobRoles as unknown as typeof teams,
    member: memberships.jobRoleId,
    invited: invitations.jobRoleId,
  },
};

/** The organisation's items with their active member counts; one item when `id` is given. */
export async function listItems(db: Executor, kind: StructureKind, orgId: string, id?: string) {
  const { table, member } = tables[kind];
  return db
    .select({
      id: table.id,
      name: table.name,
      createdAt: table.createdAt,
      memberCount: count(memberships.id),
    })
    .from(table)
    .leftJoin(memberships, and(eq(member, table.id), isNull(memberships.deactivatedAt)))
    .where(and(eq(table.orgId, orgId), id ? eq(table.id, id) : undefined))
    .groupBy(table.id)
    .orderBy(asc(sql`lower(${table.name})`));
}

export async function findItem(db: Executor, kind: StructureKind, orgId: string, id: string) {
  const { table } = tables[kind];
  const [row] = await db
    .select()
    .from(table)
    .where(and(eq(table.orgId, orgId), eq(table.id, id)));
  return row;
}

export async function insertItem(
  db: Executor,
  kind: StructureKind,
  orgId: string,
  name: string,
  now: Date,
) {
  const { table } = tables[kind];
  const [row] = await db.insert(table).values({ orgId, name, createdAt: now }).returning();
  return row!;
}

export async function renameItem(
  db: Executor,
  kind: StructureKind,
  orgId: string,
  id: string,
  name: string,
) {
  const { table } = tables[kind];
  const [row] = await db
    .update(table)
    .set({ name })
    .where(and(eq(table.orgId, orgId), eq(table.id, id)))
    .returning();
  return row;
}

export async function deleteItem(db: Executor, kind: StructureKind, orgId: string, id: string) {
  const { table } = tables[kind];
  const rows = await db
    .delete(table)
    .where(and(eq(table.orgId, orgId), eq(table.id, id)))
    .returning({ id: table.id });
  return rows.length > 0;
}

/** How many memberships (active or not) and pending invitations still point at the item. */
export async function countUses(db: Executor, kind: StructureKind, orgId: string, id: string) {
  const { member, invited } = tables[kind];
  const [m] = await db
    .select({ n: count() })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(member, id)));
  const [i] = await db
    .select({ n: count() })
    .from(invitations)
    .where(
      and(
        eq(invitations.orgId, orgId),
        eq(invited, id),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
      ),
    );
  return { members: m?.n ?? 0, invitations: i?.n ?? 0 };
}
