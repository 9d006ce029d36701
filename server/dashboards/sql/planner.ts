/**
 * The planner settings a dashboard statement runs under, for its transaction only, in one round
 * trip.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { rowsOf } from '../../db/rows';
import type { Raw } from './rows';

/**
 * Every dashboard statement: no JIT, and a plan for these very filters. PostgreSQL's planner
 * costs the overview high enough to JIT-compile it, which took longer (about 2.7 s at the
 * bench's largest organisation) than running it. The statements are prepared
 * (server/db/client.ts): after five runs PostgreSQL may switch to a generic plan, blind to which
 * organisation and filters, which ran for minutes.
 */
export const customPlanSql = sql`select set_config('jit', 'off', true),
  set_config('plan_cache_mode', 'force_custom_plan', true)`;

/**
 * The reports over a whole scope's card states or answers (overview, forecast, true retention):
 * as `customPlanSql`, and no table of every organisation read whole, and 64 MB per hash or sort.
 * The organisation's rows, about half of all at the bench's largest one (70% of the review log),
 * come through their indexes: a sequential scan of all organisations' card states, hashed into
 * 40,000 learner × module groups, took twice as long when every row was, and its time grows
 * with everybody's data; right after migration 0008, before a VACUUM has marked the pages
 * all-visible, an index-only scan of the review log looks dear to the planner. With the default
 * 4 MB, the overview's learner × module hashes (about 10 MB for 40,000 pairs) spilled to disk or
 * became sorts, as did counting each forecast cell's learners, and true retention sorted the
 * 1.6 M answers to group them into a hundred periods at most.
 */
export const reportPlanSql = sql`select set_config('jit', 'off', true),
  set_config('plan_cache_mode', 'force_custom_plan', true),
  set_config('enable_seqscan', 'off', true), set_config('work_mem', '64MB', true)`;

/**
 * For a statement that sums many wide rows into few groups through a fenced subquery (the
 * forecast: 400,000 card states with 17 values each into 200 team × module cells): no sort.
 * Blind to the number of groups behind the fence (it guessed 8,000), the planner sorted the
 * rows on disk (47 MB) to group them, which took longer than computing them; hashed, the 200
 * groups fit in a few hundred kB. With `reportPlanSql`, in the same transaction.
 */
export const hashedGroupsPlanSql = sql`select set_config('enable_sort', 'off', true)`;

/** Runs `work` in a transaction under the planner settings `plan`. */
export function planned<T>(db: Executor, plan: SQL, work: (tx: Executor) => Promise<T>) {
  return db.transaction(async (tx) => {
    await tx.execute(plan);
    return work(tx);
  });
}

/** Runs one statement under the planner settings `plan`; answers its rows. */
export async function runPlanned(db: Executor, plan: SQL, statement: SQL): Promise<Raw[]> {
  return rowsOf<Raw>(await planned(db, plan, (tx) => tx.execute(statement)));
}
