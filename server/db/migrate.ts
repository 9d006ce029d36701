import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';

/** The advisory lock migrations hold: a number of our own ("rappel" in ASCII). */
const MIGRATION_LOCK = 0x72617070656c;

/**
 * Applies the committed migrations to PostgreSQL under a session-level advisory lock, so that
 * instances starting together take turns: the first migrates, the next ones wait, then find
 * nothing to do (without it, both create drizzle's journal table at once and one exits). The
 * lock lives on a connection of its own, outside the pool the migrations run on (a pool of one
 * connection would otherwise wait for itself); it goes with that connection, so a process that
 * dies while migrating leaves no lock behind.
 */
export async function migrateWithLock(
  url: string,
  db: PgDatabase<PgQueryResultHKT, Record<string, unknown>>,
  migrationsFolder: string,
): Promise<void> {
  const lock = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await lock`select pg_advisory_lock(${MIGRATION_LOCK})`;
    await migrate(db as PostgresJsDatabase<Record<string, unknown>>, { migrationsFolder });
    await lock`select pg_advisory_unlock(${MIGRATION_LOCK})`;
  } finally {
    await lock.end({ timeout: 5 });
  }
}
