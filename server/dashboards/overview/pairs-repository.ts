import { type SQL, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { daysBetweenSql, type FsrsParams, recallSlopeSql, recallSql } from '../sql/fsrs';
import { rowsOf } from '../../db/rows';
import { instantSql } from '../sql/rows';
import { pairForecastSql } from '../forecast/curves';
import { PAIR_DAYS } from '../forecast/days';

/**
 * How long a learner × module row's recall (dashboard_pairs, server/db/schema/dashboards.ts)
 * stands for recall now, extrapolated along its slope. The first-order error is half of
 * R'' · Δt²: for a memory of one day an hour away, under 0.02 points of recall, against about
 * 7 points of decline a day at R = 0.9 (longer memories: far less). Rows further from `now`, and
 * rows marked by a write, are computed from the tables instead.
 */
export const PAIRS_FRESH_MS = 60 * 60 * 1000;

/** The refresh job computes again rows older than this, every `PAIRS_REFRESH_EVERY_MS`. */
export const PAIRS_REFRESH_AFTER_MS = 30 * 60 * 1000;
export const PAIRS_REFRESH_EVERY_MS = 15 * 60 * 1000;

/** Rows per refresh transaction: each is short, so that an answer waiting for a row never waits long. */
const BATCH = 2000;

/** `r`'s pair in `alias`: `alias.org_id = r.org_id and …`. */
const samePair = (alias: string) =>
  sql.raw(`${alias}.org_id = r.org_id and ${alias}.user_id = r.user_id
    and ${alias}.module_id = r.module_id`);

/**
 * Row `r`'s pair computed from the tables at `now`, each part from one table's learner × module
 * index alone, one row each: of its learnt card states (those with a last review), the sum of R
 * and of its slope, their number and whether one was answered again a day (24 hours) or more
 * after its first review, i.e. a refresher; when its assignment opens (null: none); whether any
 * lesson progress exists, and the lessons completed or known; and the forecast's sums over the
 * learnt cards on its coarse days, with their slopes (server/dashboards/forecast/curves.ts).
 */
const parts = {
  memory: (now: Date, fsrs: FsrsParams) => {
    const days = daysBetweenSql(sql`cs.last_review`, instantSql(now));
    return sql`select coalesce(sum(${recallSql(days, sql`cs.stability`, fsrs)}), 0) as recall_sum,
        coalesce(sum(${recallSlopeSql(days, sql`cs.stability`, fsrs)}), 0) as recall_slope,
        count(*)::int as cards,
        coalesce(bool_or(cs.last_review >= cs.first_review + interval '24 hours'), false)
          as refreshed
      from card_states cs where ${samePair('cs')} and cs.last_review is not null`;
  },
  assignment: () =>
    sql`select min(a.opens_at) as opens_at from assignments a where ${samePair('a')}`,
  progress: () => sql`select count(*) > 0 as started,
      coalesce(array_agg(lp.lesson_id) filter (
        where lp.completed_at is not null or lp.known_at is not null), '{}') as done_lessons
    from lesson_progress lp where ${samePair('lp')}`,
  forecast: (now: Date, fsrs: FsrsParams) => pairForecastSql(PAIR_DAYS, now, fsrs),
};

/** The columns of a dashboard_pairs row computed from the tables, with the part each is in. */
const PART_OF = {
  recall_sum: 'memory',
  recall_slope: 'memory',
  cards: 'memory',
  refreshed: 'memory',
  opens_at: 'assignment',
  started: 'progress',
  done_lessons: 'progress',
  forecast_without: 'forecast',
  forecast_without_slope: 'forecast',
  forecast_scheduled: 'forecast',
  forecast_scheduled_slope: 'forecast',
} as const;
export type PairFact = keyof typeof PART_OF;
export const PAIR_FACTS = Object.keys(PART_OF) as PairFact[];

/** Row `r`'s pair computed from the tables at `now`: one row of `PAIR_FACTS`, in that order. */
export function pairFactsSql(now: Date, fsrs: FsrsParams): SQL {
  return sql`select ${sql.raw(PAIR_FACTS.join(', '))}
    from (${parts.memory(now, fsrs)}) l, (${parts.assignment()}) a, (${parts.progress()}) p,
      (${parts.forecast(now, fsrs)}) fc`;
}

/** Whether row `r` stands for `now` (`PAIRS_FRESH_MS`): computed, and within the hour. */
export function freshSql(now: Date): SQL {
  const at = now.toISOString();
  const within = `${PAIRS_FRESH_MS / 1000} seconds`;
  return sql`coalesce(r.as_of between ${at}::timestamptz - ${within}::interval
    and ${at}::timestamptz + ${within}::interval, false)`;
}

/**
 * Row `r`'s column `column` at `now`: stored when the row is fresh, the recall sum extrapolated
 * along its slope; else computed from the one table it comes from (only for such rows: CASE
 * evaluates its subquery only when taken).
 */
export function pairColumnSql(column: PairFact, now: Date, fsrs: FsrsParams) {
  const stored =
    column === 'recall_sum'
      ? sql`r.recall_sum + r.recall_slope * ${daysBetweenSql(sql`r.as_of`, instantSql(now))}`
      : sql.raw(`r.${column}`);
  return sql`case when ${freshSql(now)} then ${stored}
    else (select f.${sql.raw(column)} from (${parts[PART_OF[column]](now, fsrs)}) f) end`;
}

/** A Postgres array literal of uuids, for `::uuid[]`. */
const uuidArray = (ids: string[]) => `{${ids.join(',')}}`;

/**
 * Computes again, at `now`, the rows marked by a write, or older than `PAIRS_REFRESH_AFTER_MS`
 * (or as far ahead: another instance's clock), `BATCH` at a time, each batch its own
 * transaction; rows locked by a write in progress are skipped (its trigger marks them; the next
 * run has them). Answers how many rows were written.
 *
 * A batch locks its rows first and computes them in a second statement, whose snapshot then
 * holds every write committed before the lock: a write committing later has to wait for the
 * lock in its trigger, which marks the row again after this batch. Computed in the statement
 * that locks them, a write committed in between would be missed, and the row stamped fresh.
 *
 * `fsrs` must be what the dashboards use (server/dashboards/settings-service.ts: FSRS-6's
 * defaults until organisations get their own parameters; then this runs per organisation with
 * its own).
 */
export async function refreshPairs(
  db: Database,
  {
    now,
    orgId,
    exceptOrgIds = [],
    ...fsrs
  }: FsrsParams & { now: Date; orgId?: string; exceptOrgIds?: string[] },
): Promise<number> {
  const at = now.toISOString();
  const after = `${PAIRS_REFRESH_AFTER_MS / 1000} seconds`;
  const org = orgId
    ? sql`and org_id = ${orgId}::uuid`
    : exceptOrgIds.length
      ? sql`and org_id <> all(${uuidArray(exceptOrgIds)}::uuid[])`
      : sql``;
  const columns = sql.raw(PAIR_FACTS.join(', '));
  let written = 0;
  for (;;) {
    const n = await db.transaction(async (tx) => {
      const due = rowsOf<{ org_id: string; user_id: string; module_id: string }>(
        await tx.execute(sql`select org_id, user_id, module_id from dashboard_pairs
          where (as_of is null or as_of < ${at}::timestamptz - ${after}::interval
            or as_of > ${at}::timestamptz + ${after}::interval) ${org}
          limit ${BATCH}
          for update skip locked`),
      );
      if (due.length === 0) return 0;
      await tx.execute(sql`update dashboard_pairs r
        set (${columns}) = (${pairFactsSql(now, fsrs)}), as_of = ${at}::timestamptz
        from unnest(${uuidArray(due.map((d) => d.org_id))}::uuid[],
          ${uuidArray(due.map((d) => d.user_id))}::uuid[],
          ${uuidArray(due.map((d) => d.module_id))}::uuid[]) as due(org_id, user_id, module_id)
        where ${samePair('due')}`);
      return due.length;
    });
    written += n;
    if (n < BATCH) return written;
  }
}
