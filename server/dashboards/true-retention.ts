/**
 * The true-retention dashboard's queries (issue 5): the observed pass rate of refreshers per
 * period beside the recall the model predicted for those same answers, from the review log.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { RetentionPeriod } from '../../shared/dashboards';
import type { Executor } from '../db/client';
import { daysBetweenSql, recallAfterDaysSql, scopedPeopleSql } from './forecast-sql';
import { moduleFilterSql, type PeopleFilter, rowsOf } from './scope-sql';
import { shiftsSql } from './forecast';

export interface TrueRetentionParams extends PeopleFilter {
  moduleId?: string;
  period: RetentionPeriod;
  decay: number;
  timeZone: string;
}

export interface PassRate {
  reviews: number;
  passed: number;
}

export interface TrueRetentionDbRow {
  periodStart: string;
  young: PassRate;
  mature: PassRate;
  predicted: number;
}

/** The previous interval from which a memory counts as mature (Anki's and FSRS's 21 days). */
export const MATURE_DAYS = 21;

/**
 * Per period (its first day in the organisation's time zone; weeks start on Monday): the
 * refreshers, i.e. answers at least a day after the previous answer to the same card, young
 * (previous interval under 21 days) and mature, how many passed (rating above Again), and the
 * mean R predicted at answer time from the previous answer's stability. Oldest first; only
 * periods with at least one refresher.
 *
 * Each answer carries its predecessor (`prev_*`, written with the review: the learner's
 * previous answer to the card, as lag() over their log of it would find it), so the statement
 * reads every row on its own, from review_logs_org_refresher_idx alone (an index-only scan over
 * the answers that have a predecessor), instead of sorting the whole log to find them. The
 * time since the previous answer is computed, not the log's `elapsed_days`, which counts UTC
 * calendar days (23:00 then 01:00 is "1 day") and is 0 for an answer of a card in the learning
 * state, whatever time passed. The periods are counted in a CTE planned on its own
 * (materialized): planned with the final ORDER BY, the planner would sort every answer to
 * group them in that order.
 */
export function trueRetentionSql(orgId: string, p: TrueRetentionParams): SQL {
  const predicted = recallAfterDaysSql(
    daysBetweenSql(sql`rl.prev_reviewed_at`, sql`rl.reviewed_at`),
    sql`rl.prev_stability`,
    p.decay,
  );
  const young = sql`rl.prev_scheduled_days < ${MATURE_DAYS}`;
  return sql`
    with people as (${scopedPeopleSql(orgId, p)}),
    periods as materialized (
      select date_trunc(${p.period}, rl.reviewed_at at time zone ${p.timeZone}) as period,
        count(*) filter (where ${young})::int as young_reviews,
        count(*) filter (where ${young} and rl.rating > 1)::int as young_passed,
        count(*) filter (where not ${young})::int as mature_reviews,
        count(*) filter (where not ${young} and rl.rating > 1)::int as mature_passed,
        avg(${predicted}) as predicted
      from review_logs rl
      join people pe on pe.user_id = rl.user_id
      where rl.org_id = ${orgId}::uuid and rl.prev_reviewed_at is not null
        and rl.reviewed_at >= rl.prev_reviewed_at + interval '1 day'
        ${moduleFilterSql(sql`rl.module_id`, p.moduleId)}
      group by 1
    )
    select to_char(period, 'YYYY-MM-DD') as period_start, young_reviews, young_passed,
      mature_reviews, mature_passed, predicted
    from periods
    order by period`;
}

/**
 * True retention's planner settings, for its transaction only, in one round trip: no JIT and a
 * plan for these very filters, as for the overview (repository.ts); the organisation's answers
 * read through review_logs_org_refresher_idx, never by a scan of every organisation's log (at
 * the bench's largest organisation, 70% of the rows, the planner may otherwise pick one, whose
 * time grows with everybody's log; and right after migration 0008, before a VACUUM has marked
 * the pages all-visible, an index-only scan looks dear to it); and 64 MB per hash, with which
 * the planner counts the periods in a hash table rather than sorting the 1.6 M answers (it
 * cannot tell that they fall into a hundred periods at most).
 */
export const trueRetentionSettingsSql = sql`select set_config('jit', 'off', true),
  set_config('plan_cache_mode', 'force_custom_plan', true),
  set_config('enable_seqscan', 'off', true), set_config('work_mem', '64MB', true)`;

export async function trueRetention(
  db: Executor,
  orgId: string,
  p: TrueRetentionParams,
): Promise<TrueRetentionDbRow[]> {
  const rows = rowsOf<Record<string, unknown>>(
    await db.transaction(async (tx) => {
      await tx.execute(trueRetentionSettingsSql);
      return tx.execute(trueRetentionSql(orgId, p));
    }),
  );
  return rows.map((r) => ({
    periodStart: String(r.period_start),
    young: { reviews: Number(r.young_reviews), passed: Number(r.young_passed) },
    mature: { reviews: Number(r.mature_reviews), passed: Number(r.mature_passed) },
    predicted: Number(r.predicted),
  }));
}

/**
 * The earliest due date of a learnt card in scope, pushed back by pauses as the forecast does
 * (the empty state's "the first ones are due on …").
 */
export async function firstDue(
  db: Executor,
  orgId: string,
  p: PeopleFilter & { moduleId?: string; timeZone: string },
): Promise<Date | null> {
  const rows = rowsOf<{ first_due: unknown }>(
    await db.execute(sql`
      with people as (${scopedPeopleSql(orgId, p)}),
      shifts as (${shiftsSql(orgId, p)})
      select min(cs.due + coalesce(sh.shift, interval '0')) as first_due
      from card_states cs
      join people pe on pe.user_id = cs.user_id
      left join shifts sh on sh.user_id = cs.user_id and sh.card_id = cs.card_id
      where cs.org_id = ${orgId}::uuid and cs.last_review is not null
        ${moduleFilterSql(sql`cs.module_id`, p.moduleId)}`),
  );
  const v = rows[0]?.first_due;
  return v === null || v === undefined ? null : new Date(v as string | Date);
}

/** The organisation's target and time zone. */
export async function orgSettings(db: Executor, orgId: string) {
  const rows = rowsOf<{ desired_retention: unknown; time_zone: string }>(
    await db.execute(
      sql`select desired_retention, time_zone from organisations where id = ${orgId}::uuid`,
    ),
  );
  return { target: Number(rows[0]!.desired_retention), timeZone: rows[0]!.time_zone };
}
