import { and, asc, eq, gte, inArray } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { orgClosures, organisations } from '../db/schema';

/** An organisation's calendar settings. */
export async function findCalendarSettings(db: Executor, orgId: string) {
  const [row] = await findCalendarSettingsOf(db, [orgId]);
  return row;
}

export async function findCalendarSettingsOf(db: Executor, orgIds: readonly string[]) {
  if (orgIds.length === 0) return [];
  return db
    .select({
      orgId: organisations.id,
      timeZone: organisations.timeZone,
      country: organisations.country,
      region: organisations.region,
      workingWeekdays: organisations.workingWeekdays,
    })
    .from(organisations)
    .where(inArray(organisations.id, [...orgIds]));
}

export async function updateCalendarSettings(
  db: Executor,
  orgId: string,
  values: { country: string; region: string | null; workingWeekdays: number[] },
) {
  const rows = await db
    .update(organisations)
    .set(values)
    .where(eq(organisations.id, orgId))
    .returning({ id: organisations.id });
  return rows.length > 0;
}

const closureColumns = {
  id: orgClosures.id,
  orgId: orgClosures.orgId,
  startsOn: orgClosures.startsOn,
  endsOn: orgClosures.endsOn,
  label: orgClosures.label,
  createdAt: orgClosures.createdAt,
};

/** Closures of these organisations ending on or after `since` (all when absent), in order. */
export async function listClosures(db: Executor, orgIds: readonly string[], since?: string) {
  if (orgIds.length === 0) return [];
  const inOrgs = inArray(orgClosures.orgId, [...orgIds]);
  return db
    .select(closureColumns)
    .from(orgClosures)
    .where(since ? and(inOrgs, gte(orgClosures.endsOn, since)) : inOrgs)
    .orderBy(asc(orgClosures.startsOn), asc(orgClosures.endsOn));
}

export async function insertClosure(
  db: Executor,
  values: { orgId: string; startsOn: string; endsOn: string; label: string; createdAt: Date },
) {
  const [row] = await db.insert(orgClosures).values(values).returning(closureColumns);
  return row!;
}

export async function deleteClosure(db: Executor, orgId: string, closureId: string) {
  const rows = await db
    .delete(orgClosures)
    .where(and(eq(orgClosures.orgId, orgId), eq(orgClosures.id, closureId)))
    .returning({ id: orgClosures.id });
  return rows.length > 0;
}
