import { count, eq } from 'drizzle-orm';
import type { Role } from '../../shared/common';
import type { Executor } from '../db/client';
import { memberships, organisations } from '../db/schema';

export async function insertOrg(db: Executor, name: string, now: Date) {
  const [row] = await db.insert(organisations).values({ name, createdAt: now }).returning();
  return row!;
}

export async function findOrg(db: Executor, orgId: string) {
  const [row] = await db.select().from(organisations).where(eq(organisations.id, orgId));
  return row;
}

export async function updateOrgName(db: Executor, orgId: string, name: string) {
  const [row] = await db
    .update(organisations)
    .set({ name })
    .where(eq(organisations.id, orgId))
    .returning();
  return row;
}

export async function countOrgs(db: Executor) {
  const [row] = await db.select({ n: count() }).from(organisations);
  return row?.n ?? 0;
}

export async function insertMembership(
  db: Executor,
  values: {
    orgId: string;
    userId: string;
    roles: Role[];
    teamId?: string | null;
    jobRoleId?: string | null;
    now: Date;
  },
) {
  const { now, ...rest } = values;
  const [row] = await db
    .insert(memberships)
    .values({ ...rest, createdAt: now })
    .returning();
  return row!;
}
