/**
 * The true-retention dashboard's queries: the observed pass rate of refreshers per period beside
 * the recall the model predicted for those same answers, and the same answers by predicted
 * recall (calibration), from the review log.
 */
import { eq, type SQL, sql } from 'drizzle-orm';
import { CALIBRATION_BINS, type CalibrationBin, emptyBins } from '../../../shared/calibration';
import type { RetentionPeriod } from '../../../shared/dashboards';
import type { Executor } from '../../db/client';
import { fsrsFits } from '../../db/schema';
import { curveOf, curveRecallSql, type CurveSql, daysBetweenSql, DEFAULT_FSRS } from '../sql/fsrs';
import { pauseShiftsSql } from '../sql/pauses';
import { reportPlanSql, runPlanned } from '../sql/planner';
import { rowsOf } from '../../db/rows';
import { moduleFilterSql, type PeopleFilter, scopedPeopleSql } from '../sql/scope';

/** A set of the organisation's fitted weights (`fsrs_fits`) by the decay of its curve. */
export interface FitDecay {
  id: string;
  decay: number;
}

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

/** The previous interval from which a memory counts as mature (Anki's and FSRS's 21 days). */
export const MATURE_DAYS = 21;

/**
 * The curve each answer `rl` was predicted with: its fit's, by `fsrs_fit_id` (held in
 * review_logs_org_refresher_idx, so the answers are still read from the index alone), FSRS-6's
 * defaults without one. An organisation that never had fitted weights needs no join at all.
 */
function answerCurveSql(fits: readonly FitDecay[]): { cte: SQL; join: SQL; curve: CurveSql } {
  const fallback = curveOf(DEFAULT_FSRS.decay);
  if (fits.length === 0) return { cte: sql``, join: sql``, curve: fallback };
  const values = fits.map((f) => {
    const c = curveOf(f.decay);
    return sql`(${f.id}::uuid, ${c.decay}, ${c.factor})`;
  });
  return {
    cte: sql`, fits (id, decay, factor) as (values ${sql.join(values, sql`, `)})`,
    join: sql`left join fits fi on fi.id = rl.fsrs_fit_id`,
    curve: {
      decay: sql`coalesce(fi.decay, ${fallback.decay})`,
      factor: sql`coalesce(fi.factor, ${fallback.factor})`,
    },
  };
}

/**
 * Per period (its first day in the organisation's time zone; weeks start on Monday): the
 * refreshers, i.e. answers at least a day after the previous answer to the same card, young
 * (previous interval under 21 days) and mature, how many passed (rating above Again), and the
 * sum of R predicted at answer time from the previous answer's stability, with the curve of the
 * weights the answer was scheduled with. Then the same refreshers per bin of that prediction
 * (`bin`, 0 for 0–10% … 9 for 90–100%, as shared/calibration.ts `addToBins`). The answers are
 * counted once, per period × bin (ten groups a period at most), and those groups summed into
 * periods and into bins: a second statement would read every answer again, and grouping sets
 * over the answers hashed each one twice (1.22× the periods alone at the bench's organisation on
 * PGlite, against 1.17× this way).
 *
 * Each answer carries its predecessor (`prev_*`, written with the review: the learner's
 * previous answer to the card, as lag() over their log of it would find it), so the statement
 * reads every row on its own, from review_logs_org_refresher_idx alone (an index-only scan over
 * the answers that have a predecessor), instead of sorting the whole log to find them. The
 * time since the previous answer is computed, not the log's `elapsed_days`, which counts UTC
 * calendar days (23:00 then 01:00 is "1 day") and is 0 for an answer of a card in the learning
 * state, whatever time passed. The answers are kept a level apart (`offset 0`) so that each
 * one's R is computed once, not once for its bin and again for the sum. The period × bin groups
 * are counted in a CTE planned on its own (materialized): planned with the final ORDER BY, the
 * planner would sort every answer to group them in that order.
 */
export function trueRetentionSql(orgId: string, p: TrueRetentionParams): SQL {
  const { cte, join, curve } = answerCurveSql(p.fits ?? []);
  const predicted = curveRecallSql(
    daysBetweenSql(sql`rl.prev_reviewed_at`, sql`rl.reviewed_at`),
    sql`rl.prev_stability`,
    curve,
  );
  const bin = sql`least(floor(a.predicted * ${CALIBRATION_BINS}), ${CALIBRATION_BINS - 1})::int`;
  return sql`
    with people as (${scopedPeopleSql(orgId, p)})${cte},
    answers as (
      select date_trunc(${p.period}, rl.reviewed_at at time zone ${p.timeZone}) as period,
        rl.prev_scheduled_days < ${MATURE_DAYS} as young, rl.rating > 1 as passed,
        ${predicted} as predicted
      from review_logs rl
      join people pe on pe.user_id = rl.user_id
      ${join}
      where rl.org_id = ${orgId}::uuid and rl.prev_reviewed_at is not null
        and rl.reviewed_at >= rl.prev_reviewed_at + interval '1 day'
        ${moduleFilterSql(sql`rl.module_id`, p.moduleId)}
      offset 0
    ),
    groups as materialized (
      select a.period, ${bin} as bin,
        count(*) filter (where a.young)::int as young_reviews,
        count(*) filter (where a.young and a.passed)::int as young_passed,
        count(*) filter (where not a.young)::int as mature_reviews,
        count(*) filter (where not a.young and a.passed)::int as mature_passed,
        count(*)::int as answers, count(*) filter (where a.passed)::int as passed,
        sum(a.predicted) as predicted
      from answers a
      group by 1, 2
    )
    select grouping(period) = 0 as by_period, to_char(period, 'YYYY-MM-DD') as period_start, bin,
      sum(young_reviews)::int as young_reviews, sum(young_passed)::int as young_passed,
      sum(mature_reviews)::int as mature_reviews, sum(mature_passed)::int as mature_passed,
      sum(answers)::int as answers, sum(passed)::int as passed, sum(predicted) as predicted
    from groups
    group by grouping sets ((period), (bin))
    order by period, bin`;
}

export async function trueRetention(
  db: Executor,
  orgId: string,
  p: TrueRetentionParams,
): Promise<TrueRetentionDbResult> {
  const rows = await runPlanned(db, reportPlanSql, trueRetentionSql(orgId, p));
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
