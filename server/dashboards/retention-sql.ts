import { type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import { retentionFactor } from '../../shared/learning';

/**
 * Predicted recall at `now` of a memory last reviewed at `lastReview` with stability
 * `stability` days: R(t, S) = (1 + factor · t / S)^(-decay), t in days (DESIGN.md §5), the same
 * function as `retrievability` in shared/learning.ts, so that dashboards average it in the
 * database instead of loading card states into Node. A review "in the future" counts as t = 0;
 * a stability that is not positive as forgotten (0), as in `retrievability`.
 */
export function recallSql(
  { lastReview, stability }: { lastReview: SQLWrapper; stability: SQLWrapper },
  now: Date,
  decay: number,
): SQL {
  const factor = retentionFactor(decay);
  // date_part answers float8; extract would compute in numeric, several times slower.
  const days = sql`greatest(date_part('epoch', ${now.toISOString()}::timestamptz - ${lastReview}) / 86400, 0)`;
  return sql`(case when ${stability} > 0
    then power(1 + ${factor}::float8 * ${days} / ${stability}, -(${decay}::float8))
    else 0 end)`;
}
