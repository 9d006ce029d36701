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
 * The previous answer comes from lag() over the person's log of that card, which is exact: the
 * log's own `elapsed_days` counts UTC calendar days (23:00 then 01:00 is "1 day") and is 0 for
 * an answer of a card in the learning state, whatever time passed.
 */
export function trueRetentionSql(orgId: string, p: TrueRetentionParams): SQL {
  const predicted = recallAfterDaysSql(
    daysBetweenSql(sql`a.prev_at`, sql`a.reviewed_at`),
    sql`a.prev_stability`,
    p.decay,
  );
  const young = sql`a.prev_scheduled < ${MATURE_DAYS}`;
  return sql`
    with people as (${scopedPeopleSql(orgId, p)}),
    answers as (
      select rl.reviewed_at, rl.rating,
        lag(rl.reviewed_at) over w as prev_at,
        lag(rl.stability) over w as prev_stability,
        lag(rl.scheduled_days) over w as prev_scheduled
      from review_logs rl
      join people pe on pe.user_id = rl.user_id
      where rl.org_id = ${orgId}::uuid ${moduleFilterSql(sql`rl.module_id`, p.moduleId)}
      window w as (partition by rl.user_id, rl.card_id order by rl.reviewed_at)
    ),
    periods as (
      select date_trunc(${p.period}, a.reviewed_at at time zone ${p.timeZone}) as period,
        count(*) filter (where ${young})::int as young_reviews,
        count(*) filter (where ${young} and a.rating > 1)::int as young_passed,
        count(*) filter (where not ${young})::int as mature_reviews,
        count(*) filter (where not ${young} and a.rating > 1)::int as mature_passed,
        avg(${predicted}) as predicted
      from answers a
      where a.prev_at is not null and a.reviewed_at >= a.prev_at + interval '1 day'
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
  const rows = rowsOf<Record<string, unknown>>(
    await db.transaction(async (tx) => {
      // As for the overview (repository.ts): no JIT, and a plan for these very filters.
      await tx.execute(sql`set local jit = off`);
      await tx.execute(sql`set local plan_cache_mode = force_custom_plan`);
      // The organisation's answers through review_logs_org_reviewed_at_idx (or the module's
      // index), never a scan of every organisation's: at the largest one (70% of the rows) the
      // planner would otherwise pick one, and its time would grow with everybody's log.
      await tx.execute(sql`set local enable_seqscan = off`);
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
