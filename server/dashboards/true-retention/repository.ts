/**
 * The true-retention dashboard's queries: the observed pass rate of refreshers per period beside
 * the recall the model predicted for those same answers, and the same answers by predicted
 * recall (calibration), from the review log.
 */
import { eq, type SQL, sql } from 'drizzle-orm';
import { type CalibrationBin, emptyBins } from '../../../shared/calibration';
import type { RetentionPeriod } from '../../../shared/dashboards';
import type { Database, Executor } from '../../db/client';
import { fsrsFits } from '../../db/schema';
import { pauseShiftsSql } from '../sql/pauses';
import { reportPlanSql } from '../sql/planner';
import type { Raw } from '../sql/rows';
import { rowsOf } from '../../db/rows';
import { moduleFilterSql, type PeopleFilter, scopedPeopleSql } from '../sql/scope';
import { answersThrough, storedKindOf } from './periods-repository';
import {
  answerCurveSql,
  binSql,
  type FitDecay,
  localPeriodSql,
  refresherColumnsSql,
  refreshersWhereSql,
} from './refreshers-sql';

export { type FitDecay, MATURE_DAYS } from './refreshers-sql';

export interface TrueRetentionParams extends PeopleFilter {
  moduleId?: string;
  period: RetentionPeriod;
  timeZone: string;
  /**
   * The organisation's fitted weights: each answer is predicted with the curve of the weights it
   * was scheduled with (`review_logs.fsrs_fit_id`), FSRS-6's default one when none. Omitted or
   * empty: the organisation never had any, every answer was scheduled with the defaults.
   */
  fits?: readonly FitDecay[];
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

export interface TrueRetentionDbResult {
  /** Oldest first; only periods with at least one refresher. */
  periods: TrueRetentionDbRow[];
  /** The same refreshers in ten bins of predicted recall (shared/calibration.ts), all ten. */
  bins: CalibrationBin[];
}

/**
 * The refreshers in scope (refreshers-sql.ts) answered at `since` or later (all without), as
 * `answers` (period, young, passed, predicted), then counted per period × bin as `groups`.
 * Each answer carries its predecessor (`prev_*`, written with the review: the learner's
 * previous answer to the card, as lag() over their log of it would find it), so the statement
 * reads every row on its own, from review_logs_org_refresher_idx alone (an index-only scan over
 * the answers that have a predecessor), instead of sorting the whole log to find them; since a
 * watermark, from review_logs_org_reviewed_at_idx. The answers are kept a level apart
 * (`offset 0`) so that each one's R is computed once, not once for its bin and again for the
 * sum. The groups are counted in a CTE planned on its own (materialized): planned with the
 * final ORDER BY, the planner would sort every answer to group them in that order.
 */
function answerGroupsSql(orgId: string, p: TrueRetentionParams, since?: Date): SQL {
  const { ctes, join, curve } = answerCurveSql(p.fits ?? []);
  const after = since ? sql`and rl.reviewed_at >= ${since.toISOString()}::timestamptz` : sql``;
  return sql`
    with ${ctes} people as (${scopedPeopleSql(orgId, p)}),
    answers as (
      select ${localPeriodSql(p.period, p.timeZone)} as period, ${refresherColumnsSql(curve)}
      from review_logs rl
      join people pe on pe.user_id = rl.user_id
      ${join}
      where ${refreshersWhereSql(orgId)} ${after}
        ${moduleFilterSql(sql`rl.module_id`, p.moduleId)}
      offset 0
    ),
    groups as materialized (
      select a.period, ${binSql(sql`a.predicted`)} as bin,
        count(*) filter (where a.young)::int as young_reviews,
        count(*) filter (where a.young and a.passed)::int as young_passed,
        count(*) filter (where not a.young)::int as mature_reviews,
        count(*) filter (where not a.young and a.passed)::int as mature_passed,
        count(*)::int as answers, count(*) filter (where a.passed)::int as passed,
        sum(a.predicted) as predicted
      from answers a
      group by 1, 2
    )`;
}

const SUMS = sql`sum(young_reviews)::int as young_reviews, sum(young_passed)::int as young_passed,
  sum(mature_reviews)::int as mature_reviews, sum(mature_passed)::int as mature_passed,
  sum(answers)::int as answers, sum(passed)::int as passed, sum(predicted) as predicted`;

/**
 * Per period (its first day in the organisation's time zone; weeks start on Monday): the
 * refreshers, young (previous interval under 21 days) and mature, how many passed (rating
 * above Again), and the sum of R predicted at answer time from the previous answer's
 * stability, with the curve of the weights the answer was scheduled with. Then the same
 * refreshers per bin of that prediction (`bin`, 0 for 0–10% … 9 for 90–100%, as
 * shared/calibration.ts `addToBins`). The answers are counted once, per period × bin (ten
 * groups a period at most), and those groups summed into periods and into bins: a second
 * statement would read every answer again, and grouping sets over the answers hashed each one
 * twice (1.22× the periods alone at the bench's organisation on PGlite, against 1.17× this
 * way). All from the log.
 */
export function trueRetentionSql(orgId: string, p: TrueRetentionParams): SQL {
  return sql`${answerGroupsSql(orgId, p)}
    select grouping(period) = 0 as by_period, to_char(period, 'YYYY-MM-DD') as period_start, bin,
      ${SUMS}
    from groups
    group by grouping sets ((period), (bin))
    order by period, bin`;
}

/**
 * The same rows as `trueRetentionSql`, from the people's rows counted before the watermark
 * `through` (dashboard_answer_periods: weeks, or months, which quarters sum; their bins in
 * dashboard_answer_bins) and their refreshers from `through` on, read from the log. Not for a
 * module: the rows are not per module.
 */
export function trueRetentionSinceSql(orgId: string, p: TrueRetentionParams, through: Date) {
  const period =
    p.period === 'quarter'
      ? sql`date_trunc('quarter', s.period_start::timestamp)::date`
      : sql`s.period_start`;
  return sql`${answerGroupsSql(orgId, p, through)},
    stored as (
      select ${period} as period, s.young_reviews, s.young_passed, s.mature_reviews,
        s.mature_passed, s.young_reviews + s.mature_reviews as answers,
        s.young_passed + s.mature_passed as passed, s.predicted
      from dashboard_answer_periods s join people pe on pe.user_id = s.user_id
      where s.org_id = ${orgId}::uuid and s.period = ${storedKindOf(p.period)}
    ),
    periods as (
      select period, young_reviews, young_passed, mature_reviews, mature_passed, answers, passed,
        predicted
      from groups
      union all
      select * from stored
    ),
    bins as (
      select bin, answers, passed, predicted from groups
      union all
      select b.i::int - 1, b.answers, b.passed, b.predicted
      from dashboard_answer_bins s join people pe on pe.user_id = s.user_id,
        unnest(s.answers, s.passed, s.predicted) with ordinality as b(answers, passed, predicted, i)
      where s.org_id = ${orgId}::uuid
    )
    select true as by_period, to_char(period, 'YYYY-MM-DD') as period_start, null::int as bin,
      ${SUMS}
    from periods group by period
    union all
    select false, null, bin, 0, 0, 0, 0, sum(answers)::int, sum(passed)::int, sum(predicted)
    from bins group by bin
    order by period_start, bin`;
}

function resultOf(rows: Raw[]): TrueRetentionDbResult {
  const periods: TrueRetentionDbRow[] = [];
  const bins = emptyBins();
  for (const r of rows) {
    const [n, predicted] = [Number(r.answers), Number(r.predicted)];
    if (r.by_period) {
      periods.push({
        periodStart: String(r.period_start),
        young: { reviews: Number(r.young_reviews), passed: Number(r.young_passed) },
        mature: { reviews: Number(r.mature_reviews), passed: Number(r.mature_passed) },
        predicted: predicted / n,
      });
    } else bins[Number(r.bin)] = { n, predicted, right: Number(r.passed) };
  }
  return { periods, bins };
}

/**
 * True retention's rows: from the stored rows and the log since their watermark
 * (periods-repository.ts) when the organisation's are counted in its time zone and the view is
 * not on one module, else from the log alone. One snapshot for both reads (repeatable read): a
 * refresh committing between them would otherwise count its answers twice.
 */
export function trueRetention(
  db: Database,
  orgId: string,
  p: TrueRetentionParams,
): Promise<TrueRetentionDbResult> {
  return db.transaction(
    async (tx) => {
      await tx.execute(reportPlanSql);
      const through = p.moduleId ? null : await answersThrough(tx, orgId, p.timeZone);
      const statement = through
        ? trueRetentionSinceSql(orgId, p, through)
        : trueRetentionSql(orgId, p);
      return resultOf(rowsOf<Raw>(await tx.execute(statement)));
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}

/** Every set of weights ever fitted for the organisation, in use or not. */
export function fits(db: Executor, orgId: string) {
  return db
    .select({ id: fsrsFits.id, weights: fsrsFits.weights })
    .from(fsrsFits)
    .where(eq(fsrsFits.orgId, orgId));
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
