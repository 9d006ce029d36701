/**
 * The true-retention dashboard's queries: the observed pass rate of refreshers per period beside
 * the recall the model predicted for those same answers, from the review log.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { RetentionPeriod } from '../../../shared/dashboards';
import type { Executor } from '../../db/client';
import { daysBetweenSql, type FsrsParams, recallSql } from '../sql/fsrs';
import { pauseShiftsSql } from '../sql/pauses';
import { reportPlanSql, runPlanned } from '../sql/planner';
import { rowsOf } from '../../db/rows';
import { moduleFilterSql, type PeopleFilter, scopedPeopleSql } from '../sql/scope';

export interface TrueRetentionParams extends PeopleFilter, FsrsParams {
  moduleId?: string;
  period: RetentionPeriod;
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
  const predicted = recallSql(
    daysBetweenSql(sql`rl.prev_reviewed_at`, sql`rl.reviewed_at`),
    sql`rl.prev_stability`,
    p,
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

export async function trueRetention(
  db: Executor,
  orgId: string,
  p: TrueRetentionParams,
): Promise<TrueRetentionDbRow[]> {
  const rows = await runPlanned(db, reportPlanSql, trueRetentionSql(orgId, p));
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
      shifts as (${pauseShiftsSql(orgId, p)})
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
