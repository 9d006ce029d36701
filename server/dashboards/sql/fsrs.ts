/**
 * FSRS-6 in SQL, for the dashboards to average it in the database instead of loading card states
 * into Node: R(t, S), its slope, and the stability after a right answer. Each is written once
 * here, takes the organisation's FSRS parameters, and is tested against shared/learning.ts and
 * ts-fsrs (tests/unit/dashboard-fsrs-sql.test.ts).
 */
import { type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import { DEFAULT_DECAY, retentionFactor } from '../../../shared/learning';

/**
 * The FSRS parameters a dashboard computes with: the decay (w[20]) and, once organisations have
 * their own, their 21 weights (`decay` then equal to `w[20]`). Without `w`, FSRS-6's defaults.
 */
export interface FsrsParams {
  decay: number;
  w?: readonly number[];
}

/** FSRS-6's defaults, what the scheduler uses until organisations get their own weights. */
export const DEFAULT_FSRS: FsrsParams = { decay: DEFAULT_DECAY };

/**
 * FSRS-6's default w[8], w[9], w[10] (ts-fsrs `default_w`), the weights of the stability after a
 * recall. Copied rather than imported: one server file imports ts-fsrs (DESIGN.md §5, STYLE.md
 * point 10), and the unit test checks them against `default_w`.
 */
export const RECALL_WEIGHTS = { w8: 1.8722, w9: 0.1666, w10: 0.796 } as const;
/** ts-fsrs clamps every stability to [S_MIN, S_MAX] days. */
export const STABILITY_MIN = 0.001;
export const STABILITY_MAX = 36500;

/** Days from `from` to `to` (timestamptz expressions) as float8, negative when `to` is earlier. */
export function daysBetweenSql(from: SQLWrapper, to: SQLWrapper): SQL {
  // date_part answers float8; extract would compute in numeric, several times slower.
  return sql`(date_part('epoch', ${to} - ${from}) / 86400)`;
}

/**
 * R after `days` days (a float8 expression; negative, a review "in the future", counts as 0) of
 * a memory of stability `stability` days: R(t, S) = (1 + factor · t / S)^(-decay) (DESIGN.md
 * §5), `retrievability` in shared/learning.ts. A stability that is not positive counts as
 * forgotten (0), as there.
 */
export function recallSql(days: SQLWrapper, stability: SQLWrapper, fsrs: FsrsParams): SQL {
  return curveRecallSql(days, stability, curveOf(fsrs.decay));
}

/**
 * A forgetting curve as SQL values: its decay and `factor` (`retentionFactor(decay)`), either
 * parameters or, when each row was predicted with its own weights, per-row expressions.
 */
export interface CurveSql {
  decay: SQLWrapper;
  factor: SQLWrapper;
}

/** The curve of `decay` as float8 parameters, its factor worked out here, not in SQL. */
export const curveOf = (decay: number): CurveSql => ({
  decay: sql`${decay}::float8`,
  factor: sql`${retentionFactor(decay)}::float8`,
});

/** `recallSql` on a curve given as SQL values (`CurveSql`): the one form of R(t, S) in SQL. */
export function curveRecallSql(days: SQLWrapper, stability: SQLWrapper, curve: CurveSql): SQL {
  return sql`(case when ${stability} > 0
    then power(1 + ${curve.factor} * greatest(${days}, 0) / ${stability}, -(${curve.decay}))
    else 0 end)`;
}

/**
 * How fast that recall changes `days` days after the review, per day: dR/dt = −decay · factor
 * / S · (1 + factor · t / S)^(−decay − 1), from t = 0 on (a review starts falling at once). 0
 * while R stays at 1 (a review "in the future") or at 0 (no stability). With it, a sum of R
 * computed at one moment gives the sum a little later to first order
 * (server/dashboards/overview/pairs-repository.ts).
 */
export function recallSlopeSql(days: SQLWrapper, stability: SQLWrapper, fsrs: FsrsParams): SQL {
  const factor = retentionFactor(fsrs.decay);
  return sql`(case when ${stability} > 0 and ${days} >= 0
    then -(${fsrs.decay * factor}::float8) / ${stability}
      * power(1 + ${factor}::float8 * ${days} / ${stability}, -(${fsrs.decay}::float8) - 1)
    else 0 end)`;
}

/**
 * The stability after a right answer rated Good at retrievability `recall` (FSRS-6, ts-fsrs
 * `next_recall_stability` with no Hard penalty nor Easy bonus):
 * S' = S · (1 + e^w8 · (11 − D) · S^(−w9) · (e^(w10·(1−R)) − 1)), clamped like ts-fsrs.
 * D is the difficulty before the answer, as ts-fsrs uses it.
 */
export function stabilityAfterGoodSql(
  memory: { stability: SQLWrapper; difficulty: SQLWrapper; recall: SQLWrapper },
  fsrs: FsrsParams,
): SQL {
  const { stability: s, difficulty: d, recall: r } = memory;
  const { w8, w9, w10 } = fsrs.w
    ? { w8: fsrs.w[8]!, w9: fsrs.w[9]!, w10: fsrs.w[10]! }
    : RECALL_WEIGHTS;
  return sql`least(greatest(${s} * (1 + exp(${w8}::float8) * (11 - ${d})
      * power(${s}, -(${w9}::float8)) * (exp(${w10}::float8 * (1 - ${r})) - 1)),
    ${STABILITY_MIN}::float8), ${STABILITY_MAX}::float8)`;
}
