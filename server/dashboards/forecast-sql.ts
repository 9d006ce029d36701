/**
 * SQL building blocks of the forecast and true-retention dashboards: R over a number of days,
 * the stability FSRS-6 gives after a right answer, and the people in scope. Each formula is
 * written once here and tested against shared/learning.ts and ts-fsrs
 * (tests/unit/forecast-sql.test.ts).
 */
import { type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import { retentionFactor } from '../../shared/learning';
import { type PeopleFilter, scopedMembersWhere } from './scope-sql';

/**
 * FSRS-6's default w[8], w[9], w[10] (ts-fsrs `default_w`), the weights of the stability after a
 * recall. Copied rather than imported: one server file imports ts-fsrs (DESIGN.md §5, STYLE.md
 * point 10), and the unit test checks them against `default_w`.
 */
export const RECALL_WEIGHTS = { w8: 1.8722, w9: 0.1666, w10: 0.796 } as const;
/** ts-fsrs clamps every stability to [S_MIN, S_MAX] days. */
export const STABILITY_MIN = 0.001;
export const STABILITY_MAX = 36500;

/**
 * R after `days` days (an SQL float8 expression, negative counted as 0) of a memory of
 * stability `stability`: (1 + factor · t / S)^(-decay), as `retrievability` in shared/.
 * A stability that is not positive counts as forgotten (0).
 */
export function recallAfterDaysSql(days: SQLWrapper, stability: SQLWrapper, decay: number): SQL {
  const factor = retentionFactor(decay);
  return sql`(case when ${stability} > 0
    then power(1 + ${factor}::float8 * greatest(${days}, 0) / ${stability}, -(${decay}::float8))
    else 0 end)`;
}

/**
 * The stability after a right answer rated Good at retrievability `recall` (FSRS-6, ts-fsrs
 * `next_recall_stability` with no Hard penalty nor Easy bonus):
 * S' = S · (1 + e^w8 · (11 − D) · S^(−w9) · (e^(w10·(1−R)) − 1)), clamped like ts-fsrs.
 * D is the difficulty before the answer, as ts-fsrs uses it.
 */
export function stabilityAfterGoodSql(
  stability: SQLWrapper,
  difficulty: SQLWrapper,
  recall: SQLWrapper,
): SQL {
  const { w8, w9, w10 } = RECALL_WEIGHTS;
  return sql`least(greatest(${stability} * (1 + exp(${w8}::float8) * (11 - ${difficulty})
      * power(${stability}, -(${w9}::float8)) * (exp(${w10}::float8 * (1 - ${recall})) - 1)),
    ${STABILITY_MIN}::float8), ${STABILITY_MAX}::float8)`;
}

/** Days from `from` to `to` (timestamptz expressions) as float8. */
export function daysBetweenSql(from: SQLWrapper, to: SQLWrapper): SQL {
  // date_part answers float8; extract would compute in numeric, several times slower.
  return sql`(date_part('epoch', ${to} - ${from}) / 86400)`;
}

/** Active members of `orgId` within the scope and the filters, with their team. */
export function scopedPeopleSql(orgId: string, p: PeopleFilter): SQL {
  return sql`select ms.user_id, ms.team_id from memberships ms
    where ${scopedMembersWhere(orgId, p)}`;
}
