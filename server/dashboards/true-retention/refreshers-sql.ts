/**
 * What true retention reads of one answer `rl` of the review log, written once for the report
 * read from the log and for the counts kept per learner × period (periods-repository.ts).
 */
import { type SQL, sql } from 'drizzle-orm';
import { CALIBRATION_BINS } from '../../../shared/calibration';
import type { RetentionPeriod } from '../../../shared/dashboards';
import { curveOf, curveRecallSql, type CurveSql, daysBetweenSql, DEFAULT_FSRS } from '../sql/fsrs';

/** A set of the organisation's fitted weights (`fsrs_fits`) by the decay of its curve. */
export interface FitDecay {
  id: string;
  decay: number;
}

/** The previous interval from which a memory counts as mature (Anki's and FSRS's 21 days). */
export const MATURE_DAYS = 21;

/**
 * The curve each answer `rl` was predicted with: its fit's, by `fsrs_fit_id` (held in
 * review_logs_org_refresher_idx, so the answers are still read from the index alone), FSRS-6's
 * defaults without one. An organisation that never had fitted weights needs no join at all.
 * A fit's weights never change once stored, so neither does an answer's prediction. `ctes`
 * goes first in the statement's WITH: the fits' curves and a comma, or nothing.
 */
export function answerCurveSql(fits: readonly FitDecay[]): {
  ctes: SQL;
  join: SQL;
  curve: CurveSql;
} {
  const fallback = curveOf(DEFAULT_FSRS.decay);
  if (fits.length === 0) return { ctes: sql``, join: sql``, curve: fallback };
  const values = fits.map((f) => {
    const c = curveOf(f.decay);
    return sql`(${f.id}::uuid, ${c.decay}, ${c.factor})`;
  });
  return {
    ctes: sql`fits (id, decay, factor) as (values ${sql.join(values, sql`, `)}),`,
    join: sql`left join fits fi on fi.id = rl.fsrs_fit_id`,
    curve: {
      decay: sql`coalesce(fi.decay, ${fallback.decay})`,
      factor: sql`coalesce(fi.factor, ${fallback.factor})`,
    },
  };
}

/**
 * The refreshers of `orgId`: answers at least a day after the previous answer to the same card
 * (the time since it computed, not the log's `elapsed_days`, which counts UTC calendar days and
 * is 0 for a card in the learning state).
 */
export const refreshersWhereSql = (orgId: string) =>
  sql`rl.org_id = ${orgId}::uuid and rl.prev_reviewed_at is not null
    and rl.reviewed_at >= rl.prev_reviewed_at + interval '1 day'`;

/**
 * Refresher `rl`'s `young` (previous interval under 21 days), `passed` (rating above Again) and
 * `predicted` (R at answer time from the previous answer's stability, on `curve`).
 */
export function refresherColumnsSql(curve: CurveSql): SQL {
  const predicted = curveRecallSql(
    daysBetweenSql(sql`rl.prev_reviewed_at`, sql`rl.reviewed_at`),
    sql`rl.prev_stability`,
    curve,
  );
  return sql`rl.prev_scheduled_days < ${MATURE_DAYS} as young, rl.rating > 1 as passed,
    ${predicted} as predicted`;
}

/** The first day of `rl`'s period in `timeZone` (weeks start on Monday), a date. */
export const localPeriodSql = (period: RetentionPeriod, timeZone: string) =>
  sql`date_trunc(${period}, rl.reviewed_at at time zone ${timeZone})::date`;

/** The bin of predicted recall `predicted`: 0 for 0–10% … 9 for 90–100% (shared/calibration.ts). */
export const binSql = (predicted: SQL) =>
  sql`least(floor(${predicted} * ${CALIBRATION_BINS}), ${CALIBRATION_BINS - 1})::int`;
