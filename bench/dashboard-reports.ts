/**
 * True retention (period month) and the forecast of the largest organisation, through the
 * dashboard service for an admin (whole organisation, no filter), against the plain
 * `count(*)`/`sum()` scan over its learnt card states that bench/dashboards.ts races the
 * overview against: side by side in one run, the three rotating their order from round to
 * round, after the refreshes the app's jobs run (the overview's learner × module rows, true
 * retention's per learner × period). Then EXPLAIN (ANALYZE) of the true-retention statement, run
 * as the service runs it (the stored rows and the log since their watermark), with how it reads
 * review_logs, and of the same report from the log alone, with a check that review_logs is read
 * through an index only (`--explain-forecast`: the forecast's statement too).
 *
 *   DATABASE_URL=postgres://… npx tsx bench/dashboard-reports.ts [--rounds 5]
 *     uses that database, generating bench/dashboard-data.ts's data there first if it is not
 *   npx tsx bench/dashboard-reports.ts [--rounds 5]
 *     in-memory PGlite at one tenth of the scale
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Database } from '../server/db/client';
import { PAIR_DAYS } from '../server/dashboards/forecast/days';
import { forecastPairsSql, forecastSql } from '../server/dashboards/forecast/repository';
import { createDashboardService } from '../server/dashboards/service';
import { hashedGroupsPlanSql, reportPlanSql, runPlanned } from '../server/dashboards/sql/planner';
import { answersThrough } from '../server/dashboards/true-retention/periods-repository';
import {
  trueRetentionSinceSql,
  trueRetentionSql,
} from '../server/dashboards/true-retention/repository';
import { systemClock } from '../server/lib/clock';
import { DEFAULT_DECAY } from '../shared/learning';
import { rowsOf } from '../server/db/rows';
import { benchAdmin, cardStateScan, openDashboardBench } from './lib/dashboard-db';
import { isEntryPoint, machine, median } from './lib/stats';

type Job = () => Promise<unknown>;

async function timed(fn: Job) {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

/** Rounds of every job, each round starting one further along; answers each one's times in ms. */
async function race(jobs: Record<string, Job>, rounds: number) {
  const names = Object.keys(jobs);
  for (const name of names) await jobs[name]!();
  const times = Object.fromEntries(names.map((n) => [n, [] as number[]]));
  for (let i = 0; i < rounds; i++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(i + k) % names.length]!;
      times[name]!.push(await timed(jobs[name]!));
    }
  }
  return times;
}

async function counts(db: Database, orgId: string) {
  const [row] = rowsOf<Record<string, number>>(
    await db.execute(sql`select
      (select count(*)::int from card_states where org_id = ${orgId}::uuid) as big_states,
      (select count(*)::int from review_logs where org_id = ${orgId}::uuid) as big_logs,
      (select count(*)::int from review_logs where org_id = ${orgId}::uuid
        and prev_reviewed_at is not null) as big_logs_after_first,
      (select count(*)::int from review_logs) as logs`),
  );
  return row!;
}

/** EXPLAIN (ANALYZE) of `statement` after `settings`, in a transaction, as its lines. */
async function explain(db: Database, settings: SQL[], statement: SQL) {
  return db.transaction(async (tx) => {
    for (const s of settings) await tx.execute(s);
    const plan = await tx.execute(sql`explain (analyze, buffers, costs off) ${statement}`);
    return rowsOf<Record<string, string>>(plan).map((r) => Object.values(r)[0]!);
  });
}

/**
 * How the plan reads review_logs: never by a sequential scan (of every organisation's log);
 * ideally from an index alone (an index-only scan that seldom visits the table).
 */
function logAccess(plan: string[]) {
  const lines = plan.filter((line) => /Scan.* on review_logs\b/.test(line));
  if (lines.length === 0) return 'review_logs not read';
  if (lines.some((line) => /Seq Scan/.test(line)))
    return `review_logs read by a sequential scan: **not** through an index only\n${lines.join('\n')}`;
  const fetches = plan
    .map((line) => /Heap Fetches: (\d+)/.exec(line))
    .reduce((sum, m) => sum + (m ? Number(m[1]) : 0), 0);
  return lines.every((line) => /Index Only Scan/.test(line))
    ? `review_logs read through an index only: index-only scan, ${fetches} heap fetches`
    : `review_logs read through an index, with its table rows:\n${lines.join('\n')}`;
}

const ms = (values: number[]) => `${median(values).toFixed(0)} ms`;

function ratio(times: number[], scan: number[]) {
  const ratios = times.map((t, i) => t / scan[i]!);
  const r = median(times) / median(scan);
  return `${r.toFixed(1)} (${Math.min(...ratios).toFixed(1)}–${Math.max(...ratios).toFixed(1)})`;
}

async function run() {
  const i = process.argv.indexOf('--rounds');
  const rounds = i > 0 ? Number(process.argv[i + 1]) : 5;
  const { handle, database, orgId } = await openDashboardBench();
  const db = handle.db;
  console.log(machine(), database, await counts(db, orgId));

  const dashboards = createDashboardService({ db, clock: systemClock });
  const admin = benchAdmin(orgId);
  // As the app's job keeps them: the forecast reads the learner × module rows.
  const refreshing = performance.now();
  const refreshed = await dashboards.refreshPairs();
  console.log(
    `dashboard pairs: ${refreshed} rows refreshed in ${(performance.now() - refreshing).toFixed(0)} ms`,
  );
  // True retention reads the refreshers counted per learner × period up to a few minutes ago:
  // all of them the first time (the job at an app's first start), then only the new ones.
  for (const what of ['counted', 'added']) {
    const started = performance.now();
    const rows = await dashboards.refreshAnswerPeriods();
    console.log(
      `answer periods: ${rows} rows ${what} in ${(performance.now() - started).toFixed(0)} ms`,
    );
  }
  const { timeZone } = rowsOf<{ timeZone: string }>(
    await db.execute(
      sql`select time_zone as "timeZone" from organisations where id = ${orgId}::uuid`,
    ),
  )[0]!;
  const params = { scope: { all: true as const }, decay: DEFAULT_DECAY, timeZone };
  const retention = { ...params, period: 'month' as const };
  const times = await race(
    {
      trueRetention: () => dashboards.trueRetention(orgId, admin, { period: 'month' }),
      // The same report from the log alone, as before the stored rows (and for one module).
      fromLog: () => runPlanned(db, reportPlanSql, trueRetentionSql(orgId, retention)),
      forecast: () => dashboards.forecast(orgId, admin, {}),
      scan: () => cardStateScan(db, orgId),
    },
    rounds,
  );
  const { trueRetention, fromLog, forecast, scan } = times as Record<string, number[]>;
  console.log(times);
  console.log(
    '| Database | true retention | forecast | count/sum scan | true retention / scan | forecast / scan |',
  );
  console.log(
    `| ${database} | ${ms(trueRetention!)} | ${ms(forecast!)} | ${ms(scan!)} ` +
      `| ${ratio(trueRetention!, scan!)} | ${ratio(forecast!, scan!)} |`,
  );
  console.log(
    `true retention from the log alone: ${ms(fromLog!)}, ${ratio(fromLog!, scan!)} × the scan`,
  );

  const through = await answersThrough(db, orgId, timeZone);
  if (through) {
    const stored = await explain(
      db,
      [reportPlanSql],
      trueRetentionSinceSql(orgId, retention, through),
    );
    console.log(stored.join('\n'));
    console.log(logAccess(stored));
  }
  // The same from the log alone: a view on one module, or before the first refresh.
  const plan = await explain(db, [reportPlanSql], trueRetentionSql(orgId, retention));
  console.log(plan.join('\n'));
  console.log(logAccess(plan));
  if (process.argv.includes('--explain-forecast')) {
    // As server/dashboards/forecast/repository.ts runs it.
    const fp = { ...params, now: new Date() };
    const pairsPlan = await explain(
      db,
      [reportPlanSql, hashedGroupsPlanSql],
      forecastPairsSql(orgId, fp),
    );
    console.log(pairsPlan.join('\n'));
    // What it would take computed from the card states, on the same days.
    const forecastPlan = await explain(
      db,
      [reportPlanSql, hashedGroupsPlanSql],
      forecastSql(orgId, fp, PAIR_DAYS),
    );
    console.log(forecastPlan.join('\n'));
  }
  await handle.close();
}

if (isEntryPoint(import.meta.url)) await run();
