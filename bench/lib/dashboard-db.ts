/**
 * The dashboards benches' database: opened, migrated and filled with bench/dashboard-data.ts's
 * data as bench/dashboards.ts does it (the same steps, so that either bench can run first).
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { type Database, type DbHandle, openPglite, openPostgres } from '../../server/db/client';
import { rowsOf } from '../../server/db/rows';
import { BIG_ORG_NAME, generateDashboardData } from '../dashboard-data';

export async function bigOrg(db: Database): Promise<string | undefined> {
  const rows = rowsOf<{ id: string }>(
    await db.execute(sql`select id from organisations where name = ${BIG_ORG_NAME}`),
  );
  return rows[0]?.id;
}

/** How many migrations the database has applied (0 before the first). */
async function applied(db: Database) {
  const [table] = rowsOf<{ name: string | null }>(
    await db.execute(sql`select to_regclass('drizzle.__drizzle_migrations')::text as name`),
  );
  if (!table?.name) return 0;
  const [row] = rowsOf<{ n: number }>(
    await db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`),
  );
  return Number(row!.n);
}

const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;

/**
 * Migrates the bench's database. When it already held the bench data, new migrations may have
 * rewritten rows (0007 every card state, 0008 every review log): the card states are then
 * compacted as the generator leaves them, so that the scans read as many pages as on fresh
 * data, and the review log vacuumed, which marks its pages all-visible again for index-only
 * scans (its dashboards read indexes only: compacting its 1 GB was not worth the minutes).
 */
async function migrate(handle: DbHandle, log: (line: string) => void) {
  const before = await applied(handle.db);
  const started = performance.now();
  await handle.migrate();
  if (before === 0 || (await applied(handle.db)) === before) return;
  log(`${(await applied(handle.db)) - before} migration(s) in ${seconds(started)}`);
  if (!(await bigOrg(handle.db))) return;
  const vacuumed = performance.now();
  await handle.db.execute(sql`vacuum (full) card_states`);
  // VACUUM FULL leaves the visibility map empty: without this plain VACUUM every index-only
  // scan of card_states would visit the table, and the planner would avoid them.
  await handle.db.execute(sql`vacuum (analyze) card_states`);
  await handle.db.execute(sql`vacuum (analyze) review_logs`);
  log(`card_states compacted, review_logs vacuumed in ${seconds(vacuumed)}`);
}

/**
 * The database of DATABASE_URL (PostgreSQL, full scale), or in-memory PGlite at one tenth of
 * the scale; migrated, with the bench data generated if they are not there. Answers the largest
 * organisation's id.
 */
export async function openDashboardBench(log: (line: string) => void = console.log) {
  const url = process.env.DATABASE_URL;
  const handle = url ? openPostgres(url, { max: 1 }) : await openPglite();
  const database = url ? ('PostgreSQL' as const) : ('PGlite' as const);
  await migrate(handle, log);
  let orgId = await bigOrg(handle.db);
  if (!orgId) {
    const started = performance.now();
    orgId = await generateDashboardData(handle.db, url ? 1 : 0.1, new Date());
    log(`generated in ${seconds(started)}`);
  }
  return { handle, database, orgId };
}

/**
 * The yardstick of the dashboards benches: a plain `count(*)`/`sum()` scan over the
 * organisation's learnt card states, planned for this organisation and without JIT, as the
 * dashboards' statements run. Prepared, it would otherwise switch after five runs to a generic
 * plan blind to which organisation (an index scan that took 4× as long at the largest one),
 * and the ratios would flatter the dashboards.
 */
export function cardStateScan(db: Database, orgId: string) {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('jit', 'off', true),
      set_config('plan_cache_mode', 'force_custom_plan', true)`);
    return tx.execute(sql`select count(*), sum(stability) from card_states
      where org_id = ${orgId}::uuid and last_review is not null`);
  });
}

/** An admin of the organisation, as the dashboard services see the caller: the whole scope. */
export function benchAdmin(orgId: string) {
  return {
    orgId,
    userId: randomUUID(),
    roles: ['admin' as const],
    teamId: null,
    managedTeamIds: [],
  };
}
