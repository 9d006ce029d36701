import { and, desc, eq, inArray, isNotNull, max, sql } from 'drizzle-orm';
import type { Database, Executor } from '../db/client';
import { rowsOf } from '../db/rows';
import {
  cardStates,
  dashboardPairs,
  fsrsFits,
  jobs,
  organisations,
  reviewLogs,
} from '../db/schema';
import type { Answer } from '../srs/fit-weights';

export type FitRow = typeof fsrsFits.$inferSelect;
export type NewFit = typeof fsrsFits.$inferInsert;

/** Most learner × card histories a fit reads: the most recently started ones. */
export const HISTORIES_READ = 50_000;

/** The organisation's fits, newest first. */
export function listFits(db: Executor, orgId: string, limit = 52) {
  return db
    .select()
    .from(fsrsFits)
    .where(eq(fsrsFits.orgId, orgId))
    .orderBy(desc(fsrsFits.fittedAt))
    .limit(limit);
}

export async function countFits(db: Executor, orgId: string) {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int`.mapWith(Number) })
    .from(fsrsFits)
    .where(eq(fsrsFits.orgId, orgId));
  return row!.n;
}

export async function fitInUse(db: Executor, orgId: string) {
  const [row] = await db
    .select()
    .from(fsrsFits)
    .where(and(eq(fsrsFits.orgId, orgId), eq(fsrsFits.inUse, true)));
  return row ?? null;
}

/** Every organisation's fit in use. */
export function fitsInUse(db: Executor) {
  return db
    .select({ orgId: fsrsFits.orgId, weights: fsrsFits.weights })
    .from(fsrsFits)
    .where(eq(fsrsFits.inUse, true));
}

export async function findFit(db: Executor, orgId: string, fitId: string) {
  const [row] = await db
    .select()
    .from(fsrsFits)
    .where(and(eq(fsrsFits.orgId, orgId), eq(fsrsFits.id, fitId)));
  return row ?? null;
}

/** The organisation's refreshers (answers after a first one), counted up to `upTo`. */
export async function countAnswers(db: Executor, orgId: string, upTo: number) {
  const result = await db.execute(sql`select count(*)::int as n from (
      select 1 from ${reviewLogs} where ${reviewLogs.orgId} = ${orgId}
        and ${reviewLogs.prevReviewedAt} is not null limit ${upTo}) r`);
  return Number(rowsOf<{ n: number }>(result)[0]!.n);
}

/**
 * Answers of the organisation's most recently started learner × card histories (at most
 * `HISTORIES_READ`), each history oldest first.
 */
export async function readHistories(db: Database, orgId: string): Promise<Answer[][]> {
  const result = await db.execute(
    sql`with started as (
        select ${cardStates.userId} as user_id, ${cardStates.cardId} as card_id
        from ${cardStates}
        where ${cardStates.orgId} = ${orgId} and ${isNotNull(cardStates.firstReview)}
        order by ${cardStates.firstReview} desc limit ${HISTORIES_READ})
      select l.user_id, l.card_id, l.rating, l.reviewed_at as at
      from started s join ${reviewLogs} l on l.user_id = s.user_id and l.card_id = s.card_id
      where l.org_id = ${orgId}
      order by l.user_id, l.card_id, l.reviewed_at`,
  );
  const rows = rowsOf<{ user_id: string; card_id: string; rating: number; at: string | Date }>(
    result,
  );
  const histories: Answer[][] = [];
  let key = '';
  for (const row of rows) {
    const k = `${row.user_id}:${row.card_id}`;
    if (k !== key) histories.push([]);
    key = k;
    histories.at(-1)!.push({ rating: Number(row.rating), at: new Date(row.at) });
  }
  return histories;
}

/**
 * The dashboards' learner × module rows hold recall computed with the weights then in use:
 * marked, they are computed again with the new ones (server/dashboards/overview).
 */
async function recomputePairs(tx: Executor, orgId: string) {
  await tx.update(dashboardPairs).set({ asOf: null }).where(eq(dashboardPairs.orgId, orgId));
}

/** Records a fit; a better one is put in use in the same transaction. */
export async function saveFit(db: Database, fit: NewFit) {
  return db.transaction(async (tx) => {
    if (fit.inUse) {
      await tx
        .update(fsrsFits)
        .set({ inUse: false, changedAt: fit.fittedAt, changedBy: null })
        .where(and(eq(fsrsFits.orgId, fit.orgId), eq(fsrsFits.inUse, true)));
    }
    const [row] = await tx.insert(fsrsFits).values(fit).returning();
    if (fit.inUse) await recomputePairs(tx, fit.orgId);
    return row!;
  });
}

/** Puts `fitId` in use (null: the defaults), by `userId` at `at`. */
export async function useFit(
  db: Database,
  orgId: string,
  fitId: string | null,
  { userId, at }: { userId: string; at: Date },
) {
  await db.transaction(async (tx) => {
    await tx
      .update(fsrsFits)
      .set({ inUse: false, changedAt: at, changedBy: userId })
      .where(and(eq(fsrsFits.orgId, orgId), eq(fsrsFits.inUse, true)));
    if (fitId) {
      await tx
        .update(fsrsFits)
        .set({ inUse: true, changedAt: at, changedBy: userId })
        .where(and(eq(fsrsFits.orgId, orgId), eq(fsrsFits.id, fitId)));
    }
    await recomputePairs(tx, orgId);
  });
}

/** Organisations with their latest fit's time (null: never fitted). */
export function orgsWithLastFit(db: Executor) {
  return db
    .select({ orgId: organisations.id, lastFittedAt: max(fsrsFits.fittedAt) })
    .from(organisations)
    .leftJoin(fsrsFits, eq(fsrsFits.orgId, organisations.id))
    .groupBy(organisations.id);
}

/** Whether a fit of the organisation waits or runs. */
export async function fitPending(db: Executor, orgId: string, jobName: string) {
  const [row] = await db
    .select({ id: jobs.id })
    .from(jobs)
    .where(
      and(
        eq(jobs.orgId, orgId),
        eq(jobs.name, jobName),
        inArray(jobs.status, ['queued', 'running']),
      ),
    )
    .limit(1);
  return !!row;
}
