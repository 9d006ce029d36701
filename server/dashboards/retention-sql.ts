import { type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import { retentionFactor } from '../../shared/learning';

/** A memory's last review and stability, as SQL expressions. */
export interface MemorySql {
  lastReview: SQLWrapper;
  stability: SQLWrapper;
}

/** Days from `lastReview` to `now`, 0 for a review "in the future", as float8. */
function daysSql(lastReview: SQLWrapper, now: Date): SQL {
  // date_part answers float8; extract would compute in numeric, several times slower.
  return sql`greatest(date_part('epoch', ${now.toISOString()}::timestamptz - ${lastReview}) / 86400, 0)`;
}

/**
 * Predicted recall at `now` of a memory last reviewed at `lastReview` with stability
 * `stability` days: R(t, S) = (1 + factor · t / S)^(-decay), t in days (DESIGN.md §5), the same
 * function as `retrievability` in shared/learning.ts, so that dashboards average it in the
 * database instead of loading card states into Node. A review "in the future" counts as t = 0;
 * a stability that is not positive as forgotten (0), as in `retrievability`.
 */
export function recallSql({ lastReview, stability }: MemorySql, now: Date, decay: number): SQL {
  const factor = retentionFactor(decay);
  return sql`(case when ${stability} > 0
    then power(1 + ${factor}::float8 * ${daysSql(lastReview, now)} / ${stability}, -(${decay}::float8))
    else 0 end)`;
}

/**
 * How fast that recall changes at `now`, per day: dR/dt = −decay · factor / S ·
 * (1 + factor · t / S)^(−decay − 1), from t = 0 on (a review at `now` starts falling at once).
 * 0 while R stays at 1 (a review after `now`) or at 0 (no stability). With it, a sum of R
 * computed at one moment gives the sum a little later to first order
 * (server/dashboards/dashboard-pairs.ts).
 */
export function recallSlopeSql(
  { lastReview, stability }: MemorySql,
  now: Date,
  decay: number,
): SQL {
  const factor = retentionFactor(decay);
  const days = daysSql(lastReview, now);
  return sql`(case when ${stability} > 0 and ${lastReview} <= ${now.toISOString()}::timestamptz
    then -(${decay * factor}::float8) / ${stability}
      * power(1 + ${factor}::float8 * ${days} / ${stability}, -(${decay}::float8) - 1)
    else 0 end)`;
}
