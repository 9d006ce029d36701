import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import * as schema from './schema';
import type { InvalidationBus } from '../auth/principal-cache';
import { acquireDirLock, type DirLock } from './dir-lock';

export type Schema = typeof schema;
/** The Drizzle handle every repository takes, whichever driver is behind it. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type Transaction = PgTransaction<
  PgQueryResultHKT,
  Schema,
  ExtractTablesWithRelations<Schema>
>;
/** A repository works the same inside or outside a transaction. */
export type Executor = Database | Transaction;

export interface DbHandle {
  db: Database;
  kind: 'pglite' | 'postgres';
  /** Messages between API instances sharing this database (PostgreSQL LISTEN/NOTIFY). */
  bus?: InvalidationBus;
  /** Applies the committed migrations; safe to call on an up-to-date database. */
  migrate(): Promise<void>;
  /** Ends connections; for PGlite, checkpoints, closes and releases the directory lock. */
  close(): Promise<void>;
}

export const migrationsFolder = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../migrations',
);

const drizzleOptions = { schema, casing: 'snake_case' } as const;
const BUS_CHANNEL = 'rappel_invalidate';

type Sql = ReturnType<typeof postgres>;

/**
 * The client as Drizzle sees it, with every query prepared on the server. Drizzle sends queries
 * through `unsafe()` unprepared, so each one costs an extra round trip and a fresh plan;
 * postgres.js keeps prepared statements per connection, keyed by the query text. Transactions
 * (`begin`, `savepoint`) hand Drizzle another client, wrapped the same way.
 */
function preparing<T extends Sql | postgres.TransactionSql>(client: T): T {
  return new Proxy(client, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (prop === 'unsafe') {
        return (query: string, params?: unknown[], options?: object) =>
          (value as Sql['unsafe'])(query, params as never, { ...options, prepare: true });
      }
      if ((prop === 'begin' || prop === 'savepoint') && typeof value === 'function') {
        return (...args: unknown[]) => {
          const last = args.length - 1;
          const body = args[last] as (tx: postgres.TransactionSql) => unknown;
          args[last] = (tx: postgres.TransactionSql) => body(preparing(tx));
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** PostgreSQL through postgres.js. */
export function openPostgres(url: string, options: { max?: number } = {}): DbHandle {
  const client = postgres(url, { max: options.max ?? 10, onnotice: () => {} });
  const db = drizzlePostgres({ client: preparing(client), ...drizzleOptions });
  return {
    db: db as unknown as Database,
    kind: 'postgres',
    bus: {
      publish: async (message) => void (await client.notify(BUS_CHANNEL, message)),
      subscribe: async (onMessage) => void (await client.listen(BUS_CHANNEL, onMessage)),
    },
    migrate: () => migratePostgres(db, { migrationsFolder }),
    close: () => client.end({ timeout: 5 }),
  };
}

/**
 * Embedded PGlite. With a directory, data persists there and a lock file keeps a second
 * process out; without one, the database lives in memory (tests).
 */
export async function openPglite(dataDir?: string): Promise<DbHandle> {
  let lock: DirLock | undefined;
  if (dataDir) lock = acquireDirLock(dataDir);
  let client: PGlite;
  try {
    client = await PGlite.create(dataDir ? path.join(dataDir, 'pglite') : undefined);
  } catch (err) {
    lock?.release();
    throw err;
  }
  const db = drizzlePglite({ client, ...drizzleOptions });
  return {
    db: db as unknown as Database,
    kind: 'pglite',
    migrate: () => migratePglite(db, { migrationsFolder }),
    async close() {
      try {
        if (!client.closed) {
          if (dataDir) await client.exec('CHECKPOINT');
          await client.close();
        }
      } finally {
        lock?.release();
      }
    },
  };
}
