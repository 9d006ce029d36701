/**
 * The refreshers counted per learner × period and per learner × bin before a watermark
 * (dashboard_answer_periods and dashboard_answer_bins, server/db/schema/dashboard-answers.ts),
 * so that true retention reads tens of thousands of rows and the answers since the watermark
 * instead of every answer of the organisation.
 */
import { type SQL, sql } from 'drizzle-orm';
import { CALIBRATION_BINS } from '../../../shared/calibration';
import type { RetentionPeriod } from '../../../shared/dashboards';
import type { Database, Executor } from '../../db/client';
import { rowsOf } from '../../db/rows';
import { organisations } from '../../db/schema';
import { reportPlanSql } from '../sql/planner';
import {
  answerCurveSql,
  binSql,
  type FitDecay,
  localPeriodSql,
  refresherColumnsSql,
  refreshersWhereSql,
} from './refreshers-sql';

/**
 * How far behind the clock the watermark stays. An answer's `reviewed_at` is the app's clock
 * when its request began (never earlier), and the answer is visible only once its transaction
 * commits: one committing after the watermark passed its time would never be counted. An
 * answer's transaction is a few statements of one request, over in milliseconds; the server
 * ends one left idle for a minute (server/db/client.ts). Ten minutes cover a request stuck
 * behind locks for several minutes, and clocks of app instances a few minutes apart.
 */
export const ANSWERS_SETTLE_MS = 10 * 60 * 1000;

/** The refresh job runs this often; the report reads at most this plus the lag from the log. */
export const ANSWER_PERIODS_REFRESH_EVERY_MS = 15 * 60 * 1000;

/** The kind of stored row a report period is read from: quarters are summed from months. */
export const storedKindOf = (period: RetentionPeriod) => (period === 'week' ? 'week' : 'month');

const range = Array.from({ length: CALIBRATION_BINS }, (_, i) => i);

/** An int[] or float8[] of the ten bins' `value` in the groups `b` (0 for an empty bin). */
const binArray = (value: string, type: 'int' | 'float8') =>
  `array[${range
    .map((i) => `coalesce(sum(b.${value}) filter (where b.bin = ${i}), 0)::${type}`)
    .join(', ')}]`;

/** `r.column + excluded.column`, element by element. */
const addArrays = (column: string) =>
  `${column} = array(select x + y from unnest(r.${column}, excluded.${column})
    with ordinality as t(x, y, i) order by i)`;

const COUNTS = ['young_reviews', 'young_passed', 'mature_reviews', 'mature_passed', 'predicted'];
const BINS = ['answers', 'passed', 'predicted'];

/**
 * Adds `orgId`'s refreshers answered in [from, to) (from the start when `from` is null) to its
 * rows: its answers are read once, counted per learner × week × month × bin (a week across two
 * months is two groups), and those groups summed per learner × week, per learner × month and
 * per learner, the bins as arrays. Answers the rows written.
 */
function addAnswersSql(
  orgId: string,
  p: { timeZone: string; fits: readonly FitDecay[]; from: Date | null; to: Date },
): SQL {
  const { ctes, join, curve } = answerCurveSql(p.fits);
  const from = p.from ? sql`and rl.reviewed_at >= ${p.from.toISOString()}::timestamptz` : sql``;
  const periods = (kind: 'week' | 'month') => sql`
    select ${orgId}::uuid, ${kind}, b.user_id, b.${sql.raw(kind)},
      sum(b.young_reviews)::int, sum(b.young_passed)::int,
      sum(b.mature_reviews)::int, sum(b.mature_passed)::int, sum(b.predicted)
    from binned b group by b.user_id, b.${sql.raw(kind)}`;
  return sql`
    with ${ctes} answers as (
      select rl.user_id, ${localPeriodSql('week', p.timeZone)} as week,
        ${localPeriodSql('month', p.timeZone)} as month, ${refresherColumnsSql(curve)}
      from review_logs rl ${join}
      where ${refreshersWhereSql(orgId)} ${from}
        and rl.reviewed_at < ${p.to.toISOString()}::timestamptz
      offset 0
    ),
    binned as materialized (
      select a.user_id, a.week, a.month, ${binSql(sql`a.predicted`)} as bin,
        count(*) filter (where a.young)::int as young_reviews,
        count(*) filter (where a.young and a.passed)::int as young_passed,
        count(*) filter (where not a.young)::int as mature_reviews,
        count(*) filter (where not a.young and a.passed)::int as mature_passed,
        count(*)::int as answers, count(*) filter (where a.passed)::int as passed,
        sum(a.predicted) as predicted
      from answers a
      group by 1, 2, 3, 4
    ),
    periods as (
      insert into dashboard_answer_periods as r
        (org_id, period, user_id, period_start, ${sql.raw(COUNTS.join(', '))})
      ${periods('week')}
      union all
      ${periods('month')}
      on conflict (org_id, period, user_id, period_start) do update set
      ${sql.raw(COUNTS.map((c) => `${c} = r.${c} + excluded.${c}`).join(', '))}
      returning 1
    ),
    bins as (
      insert into dashboard_answer_bins as r (org_id, user_id, ${sql.raw(BINS.join(', '))})
      select ${orgId}::uuid, b.user_id, ${sql.raw(
        `${binArray('answers', 'int')}, ${binArray('passed', 'int')}, ${binArray('predicted', 'float8')}`,
      )}
      from binned b group by b.user_id
      on conflict (org_id, user_id) do update set ${sql.raw(BINS.map(addArrays).join(', '))}
      returning 1
    )
    select (select count(*) from periods)::int + (select count(*) from bins)::int as n`;
}

/**
 * The watermark of `orgId`'s rows if they are counted in `timeZone`: every refresher before it
 * is in them. Null: none are, the report reads the whole log.
 */
export async function answersThrough(
  db: Executor,
  orgId: string,
  timeZone: string,
): Promise<Date | null> {
  const [row] = rowsOf<{ through: string | Date }>(
    await db.execute(sql`select through from dashboard_answer_watermarks
      where org_id = ${orgId}::uuid and time_zone = ${timeZone} and through is not null`),
  );
  return row ? new Date(row.through) : null;
}

/**
 * Brings `orgId`'s rows up to `now` less `ANSWERS_SETTLE_MS`: adds the refreshers answered
 * since the watermark, or counts them all again when there is none, it was reset (an answer
 * deleted or changed) or the rows are in another time zone than `timeZone`. One transaction,
 * which locks the watermark first: two refreshes of an organisation take turns, and the
 * statement that counts, planned after the lock, sees every deletion committed before it (a
 * later one waits for the lock in its trigger and resets the watermark after). `fits` may be
 * read before: an answer counted is ten minutes old, and the fit it was scheduled with was
 * stored before it. Answers the rows written.
 */
export async function refreshAnswerPeriods(
  db: Database,
  p: { orgId: string; timeZone: string; fits: readonly FitDecay[]; now: Date },
): Promise<number> {
  const to = new Date(p.now.getTime() - ANSWERS_SETTLE_MS);
  const org = sql`${p.orgId}::uuid`;
  return db.transaction(async (tx) => {
    await tx.execute(reportPlanSql);
    await tx.execute(sql`insert into dashboard_answer_watermarks (org_id, time_zone)
      values (${org}, ${p.timeZone}) on conflict (org_id) do nothing`);
    const [mark] = rowsOf<{ time_zone: string; through: string | Date | null }>(
      await tx.execute(sql`select time_zone, through from dashboard_answer_watermarks
        where org_id = ${org} for update`),
    );
    const counted = mark!.through !== null && mark!.time_zone === p.timeZone;
    const from = counted ? new Date(mark!.through!) : null;
    if (from && from >= to) return 0;
    if (!from) {
      await tx.execute(sql`delete from dashboard_answer_periods where org_id = ${org}`);
      await tx.execute(sql`delete from dashboard_answer_bins where org_id = ${org}`);
    }
    const [written] = rowsOf<{ n: number }>(
      await tx.execute(addAnswersSql(p.orgId, { ...p, from, to })),
    );
    await tx.execute(sql`update dashboard_answer_watermarks
      set time_zone = ${p.timeZone}, through = ${to.toISOString()}::timestamptz
      where org_id = ${org}`);
    return Number(written!.n);
  });
}

/** Every organisation, whose rows the refresh job brings up to date. */
export async function organisationIds(db: Executor): Promise<string[]> {
  const rows = await db.select({ id: organisations.id }).from(organisations);
  return rows.map((r) => r.id);
}
