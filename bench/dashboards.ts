/**
 * The retention overview (GET …/dashboards/overview's service, whole organisation, no filter) of
 * the largest organisation against a plain `count(*)`/`sum()` scan over the same card-state rows,
 * side by side in one run, rounds alternating their order (target: at most 2× on PostgreSQL;
 * PGlite reported at one tenth of the scale), after the refresh job has run once as it does every
 * quarter of an hour in the app. Then EXPLAIN (ANALYZE) of the overview's statement, with a check
 * that no table of every organisation is read by a sequential scan.
 *
 *   DATABASE_URL=postgres://… npx tsx bench/dashboards.ts [--rounds 7]
 *     uses that database, generating bench/dashboard-data.ts's data there first if it is not
 *   npx tsx bench/dashboards.ts [--rounds 7]
 *     in-memory PGlite at one tenth of the scale
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../server/db/client';
import { overviewSql } from '../server/dashboards/overview/repository';
import { reportPlanSql } from '../server/dashboards/sql/planner';
import { createDashboardService } from '../server/dashboards/service';
import { systemClock } from '../server/lib/clock';
import { DEFAULT_DECAY } from '../shared/learning';
import { rowsOf } from '../server/db/rows';
import { benchAdmin, cardStateScan, openDashboardBench } from './lib/dashboard-db';
import { isEntryPoint, machine, median } from './lib/stats';

export const DASHBOARD_RATIO_TARGET = 2;

async function timed(fn: () => Promise<unknown>) {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

/** Alternating rounds of both; answers each one's times in ms. */
async function race(
  overview: () => Promise<unknown>,
  scan: () => Promise<unknown>,
  rounds: number,
) {
  await overview();
  await scan();
  const times = { overview: [] as number[], scan: [] as number[] };
  for (let i = 0; i < rounds; i++) {
    if (i % 2 === 0) {
      times.overview.push(await timed(overview));
      times.scan.push(await timed(scan));
    } else {
      times.scan.push(await timed(scan));
      times.overview.push(await timed(overview));
    }
  }
  return times;
}

async function counts(db: Database, orgId: string) {
  const [row] = rowsOf<Record<string, number>>(
    await db.execute(sql`select
      (select count(*)::int from organisations) as orgs,
      (select count(*)::int from memberships) as members,
      (select count(*)::int from memberships where org_id = ${orgId}::uuid) as big_members,
      (select count(*)::int from card_states where org_id = ${orgId}::uuid) as big_states,
      (select count(*)::int from review_logs where org_id = ${orgId}::uuid) as big_logs,
      (select count(*)::int from review_logs) as logs`),
  );
  return row!;
}

async function run() {
  const rounds = Number(process.argv[process.argv.indexOf('--rounds') + 1]) || 7;
  const { handle, database, orgId } = await openDashboardBench();
  const db = handle.db;
  console.log(machine(), database, await counts(db, orgId));

  const dashboards = createDashboardService({ db, clock: systemClock });
  // What the app's job does every quarter of an hour (server/dashboards/overview/pairs-repository.ts).
  const refreshing = performance.now();
  const refreshed = await dashboards.refreshPairs();
  console.log(
    `dashboard pairs: ${refreshed} rows refreshed in ${(performance.now() - refreshing).toFixed(0)} ms`,
  );
  const admin = benchAdmin(orgId);
  const overview = () => dashboards.overview(orgId, admin, {});
  const scan = () => cardStateScan(db, orgId);
  const times = await race(overview, scan, rounds);
  const ratios = times.overview.map((t, i) => t / times.scan[i]!);
  const ratio = median(times.overview) / median(times.scan);
  const verdict = ratio <= DASHBOARD_RATIO_TARGET ? 'met' : '**missed**';
  console.log(
    `| ${database} | ${median(times.overview).toFixed(0)} ms | ${median(times.scan).toFixed(0)} ms ` +
      `| ${ratio.toFixed(2)} (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}) ` +
      `| ≤ ${DASHBOARD_RATIO_TARGET}: ${verdict} |`,
  );

  const params = {
    scope: { all: true as const },
    now: new Date(),
    decay: DEFAULT_DECAY,
    target: 0.9,
  };
  // With the repository's own settings (server/dashboards/sql/planner.ts).
  const plan = await db.transaction(async (tx) => {
    await tx.execute(reportPlanSql);
    const explained = await tx.execute(
      sql`explain (analyze, costs off) ${overviewSql(orgId, params)}`,
    );
    return rowsOf<Record<string, string>>(explained).map((r) => Object.values(r)[0]!);
  });
  console.log(plan.join('\n'));
  const seqScans = plan.filter((line) =>
    /Seq Scan on (card_states|review_logs|memberships|assignments|lesson_progress|dashboard_pairs)\b/.test(
      line,
    ),
  );
  console.log(
    seqScans.length
      ? `sequential scans of tables of every organisation:\n${seqScans.join('\n')}`
      : 'no sequential scan of a table of every organisation',
  );
  const logs = plan.filter((line) => /\breview_logs\b/.test(line));
  console.log(
    logs.length === 0
      ? 'review_logs not read'
      : logs.every((line) => /Index.* on review_logs/.test(line))
        ? 'review_logs read through an index only'
        : `review_logs read otherwise than through an index:\n${logs.join('\n')}`,
  );
  await handle.close();
}

if (isEntryPoint(import.meta.url)) await run();
