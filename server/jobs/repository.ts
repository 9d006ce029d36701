import {
  and,
  desc,
  eq,
  inArray,
  isNotNull,
  isNull,
  lt,
  lte,
  max,
  notInArray,
  or,
  type SQL,
  sql,
} from 'drizzle-orm';
import type { Database } from '../db/client';
import { jobs } from '../db/schema';

export type JobRow = typeof jobs.$inferSelect;

const DAY_MS = 24 * 60 * 60_000;

/**
 * Claims up to `batch` jobs named in `names`: queued and due, or running with a lease run out
 * (its runner died). Locked rows are skipped, so runners sharing the database never claim one
 * job twice. Times are the runner's clock's, never the database's `now()`.
 */
export async function claimJobs(
  db: Database,
  {
    names,
    now,
    batch,
    me,
    lockedUntil,
  }: {
    names: string[];
    now: Date;
    batch: number;
    me: string;
    lockedUntil: SQL;
  },
): Promise<JobRow[]> {
  const due = db
    .select({ id: jobs.id })
    .from(jobs)
    .where(
      and(
        inArray(jobs.name, names),
        or(
          and(eq(jobs.status, 'queued'), lte(jobs.runAt, now)),
          and(eq(jobs.status, 'running'), lt(jobs.lockedUntil, now)),
        ),
      ),
    )
    .orderBy(jobs.runAt)
    .limit(batch)
    .for('update', { skipLocked: true });
  return db
    .update(jobs)
    .set({
      status: 'running',
      lockedBy: me,
      lockedUntil,
      attempts: sql`${jobs.attempts} + 1`,
      startedAt: now,
    })
    .where(inArray(jobs.id, due))
    .returning();
}

/** Gives back jobs `me` claimed and did not begin: as if never tried. */
export async function unclaim(db: Database, me: string, ids: string[]) {
  await db
    .update(jobs)
    .set({
      status: 'queued',
      lockedBy: null,
      lockedUntil: null,
      attempts: sql`${jobs.attempts} - 1`,
    })
    .where(and(inArray(jobs.id, ids), eq(jobs.lockedBy, me), eq(jobs.status, 'running')));
}

/** Every running job back to the queue (its try counted); answers how many. */
export async function requeueRunning(db: Database): Promise<number> {
  const released = await db
    .update(jobs)
    .set({ status: 'queued', lockedBy: null, lockedUntil: null })
    .where(eq(jobs.status, 'running'))
    .returning({ id: jobs.id });
  return released.length;
}

/**
 * Deletes jobs done more than `doneAgeMs` before `now` (failed: `failedAgeMs`), keeping each
 * name's last success and last failure for the status screen. Answers how many.
 */
export async function purgeJobs(
  db: Database,
  now: Date,
  { doneAgeMs = 30 * DAY_MS, failedAgeMs = 90 * DAY_MS } = {},
): Promise<number> {
  const latest = db
    .selectDistinctOn([jobs.name, jobs.status], { id: jobs.id })
    .from(jobs)
    .where(inArray(jobs.status, ['done', 'failed']))
    .orderBy(jobs.name, jobs.status, sql`${jobs.finishedAt} desc nulls last`);
  const old = (status: 'done' | 'failed', ageMs: number) =>
    and(eq(jobs.status, status), lt(jobs.finishedAt, new Date(now.getTime() - ageMs)));
  const deleted = await db
    .delete(jobs)
    .where(and(or(old('done', doneAgeMs), old('failed', failedAgeMs)), notInArray(jobs.id, latest)))
    .returning({ id: jobs.id });
  return deleted.length;
}

/** Jobs of `orgId`, and jobs of no organisation among `installNames`. */
const statusScope = (orgId: string, installNames: string[]) =>
  or(eq(jobs.orgId, orgId), and(isNull(jobs.orgId), inArray(jobs.name, installNames)));
const isInstall = sql<boolean>`(${jobs.orgId} is null)`;
const endedAt = sql`coalesce(${jobs.finishedAt}, ${jobs.startedAt}, ${jobs.runAt})`;
const countOf = (status: JobRow['status']) =>
  sql<number>`count(*) filter (where ${jobs.status} = ${status})`.mapWith(Number);

/** Per job name and scope (organisation or install): last run, last success, counts by state. */
export function jobTotals(db: Database, orgId: string, installNames: string[]) {
  return db
    .select({
      name: jobs.name,
      install: isInstall,
      lastRunAt: max(jobs.startedAt),
      lastSuccessAt:
        sql<Date | null>`max(${jobs.finishedAt}) filter (where ${jobs.status} = 'done')`.mapWith(
          jobs.finishedAt,
        ),
      failed: countOf('failed'),
      queued: countOf('queued'),
      running: countOf('running'),
      nextRunAt:
        sql<Date | null>`min(${jobs.runAt}) filter (where ${jobs.status} = 'queued')`.mapWith(
          jobs.runAt,
        ),
    })
    .from(jobs)
    .where(statusScope(orgId, installNames))
    .groupBy(jobs.name, isInstall);
}

/** Per job name and scope, the latest job whose last try failed, with when it ended. */
export function lastFailures(db: Database, orgId: string, installNames: string[]) {
  return db
    .selectDistinctOn([jobs.name, isInstall], {
      name: jobs.name,
      install: isInstall,
      at: endedAt.mapWith(jobs.runAt),
      reason: jobs.lastError,
      status: jobs.status,
      runAt: jobs.runAt,
    })
    .from(jobs)
    .where(and(statusScope(orgId, installNames), isNotNull(jobs.lastError)))
    .orderBy(jobs.name, isInstall, desc(endedAt));
}
