import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema';
import type { InvalidationBus } from '../auth/principal-cache';
import { UnavailableError } from '../lib/errors';
import type { DirLock } from './dir-lock';
import { LANE_STALL_MS, type Lanes, type PgOptions, postgresLanes } from './lanes';
import { migrateWithLock } from './migrate';
import { syncDir } from './sync-dir';
import { pgliteCodecs } from './pglite-codecs';
import { startPglite, type StartedPglite } from './pglite-start';
import type { PgliteClient } from './pglite-worker-client';

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

/**
 * A statement of a hot path, written once with named parameters and sent as plain text with
 * `$1`…`$n` (a name used twice is one parameter), straight to the driver: no Drizzle query
 * building per request.
 */
export interface Statement<P> {
  text: string;
  bind(values: P): BoundStatement;
}

export interface BoundStatement {
  text: string;
  params: unknown[];
}

/** `statement<{ id: string }>\`select … where id = ${'id'}\`` */
export function statement<P extends Record<string, unknown>>(
  strings: TemplateStringsArray,
  ...names: (keyof P & string)[]
): Statement<P> {
  const order: (keyof P & string)[] = [];
  const text = strings.reduce((sql, part, i) => {
    const name = names[i - 1]!;
    if (!order.includes(name)) order.push(name);
    return `${sql}$${order.indexOf(name) + 1}${part}`;
  });
  return { text, bind: (values) => ({ text, params: order.map((name) => values[name]) }) };
}

/** Rows as the driver parses them (postgres.js with Drizzle's parsers, or PGlite). */
type Row = Record<string, unknown>;

/** Runs the statements of a hot transaction but the last one. */
export interface HotTransaction {
  query<T>(statement: BoundStatement): Promise<T[]>;
}

/** What the body of a hot transaction hands back: its last statement, and a value of its own. */
export interface HotEnd<V> {
  last: BoundStatement;
  value: V;
}

type HotRunner = <V>(
  body: (tx: HotTransaction) => Promise<HotEnd<V>>,
) => Promise<{ rows: Row[]; value: V }>;

const hotRunners = new WeakMap<Database, HotRunner>();

/**
 * A short transaction on a hot path, in as few round trips as the driver allows: `body` runs
 * its statements through `tx` and returns the last one, which ends the transaction (commits it)
 * and whose rows come back. Rolled back if `body` throws or a statement fails. With postgres.js,
 * BEGIN goes out together with the first statement and COMMIT with the last one (queries sent
 * without waiting share a write and a round trip on one connection): an answer read-then-write
 * is two round trips instead of four (writes to PostgreSQL's socket were a quarter of the app's
 * CPU on this path).
 */
export function hotTransaction<V>(
  db: Database,
  body: (tx: HotTransaction) => Promise<HotEnd<V>>,
): Promise<{ rows: Row[]; value: V }> {
  const run = hotRunners.get(db);
  if (!run) throw new Error('hotTransaction needs a database opened by openPostgres or openPglite');
  return run(body);
}

function postgresHotRunner(lanes: Lanes): HotRunner {
  return async (body) => {
    const lane = await lanes.acquire();
    const { sql } = lane;
    const closes = lane.closes;
    // Once the connection closed, the pool of one would run the next statement on a new one,
    // outside the transaction.
    const alive = () => {
      if (lane.closes !== closes) throw new UnavailableError();
    };
    const stalled = setTimeout(() => lanes.reset(lane), LANE_STALL_MS);
    try {
      let begun = false;
      /** A statement, after BEGIN the first time: queries not awaited in between share a write. */
      const query = async <T>({ text, params }: BoundStatement) => {
        alive();
        const begin = begun ? undefined : sql.unsafe('begin');
        begun = true;
        const [, rows] = await Promise.all([
          begin,
          sql.unsafe<T[]>(text, params as never[], { prepare: true }),
        ]);
        return rows as T[];
      };
      let end;
      try {
        end = await body({ query });
      } catch (err) {
        // A failed rollback leaves the error that matters to the caller.
        if (begun && lane.closes === closes) await sql.unsafe('rollback').catch(() => {});
        throw err;
      }
      alive();
      // After a failed statement PostgreSQL answers COMMIT by rolling back, without an error.
      const [rows] = await Promise.all([query<Row>(end.last), sql.unsafe('commit')]);
      return { rows, value: end.value };
    } finally {
      clearTimeout(stalled);
      lanes.release(lane);
    }
  };
}

/**
 * How the connections live through an outage: an attempt gives up after `connect_timeout`
 * seconds; reconnection backs off up to 2 s (postgres.js's default climbs to 20 s, which kept
 * the app and its bus down long after the database was back); and the server ends a transaction
 * left idle for a minute by a client that vanished, so that its row locks do not block the other
 * instances until the server's TCP notices.
 */
const outageOptions = {
  connect_timeout: 5,
  backoff: (attempt: number) => Math.min(0.05 * 2 ** attempt, 2),
  connection: { idle_in_transaction_session_timeout: 60_000 },
} satisfies PgOptions;

/**
 * PostgreSQL through postgres.js: `max` connections in all, half of them (at least one) for
 * hot transactions, the rest for everything else; one more listens to the bus.
 */
export function openPostgres(url: string, options: { max?: number } = {}): DbHandle {
  const max = options.max ?? 10;
  const hot = Math.max(1, Math.floor(max / 2));
  const shared = { onnotice: () => {}, ...outageOptions };
  const client = postgres(url, { ...shared, max: Math.max(1, max - hot) });
  const lanes = postgresLanes(url, hot, shared);
  const db = drizzlePostgres({ client: preparing(client), ...drizzleOptions });
  hotRunners.set(db as unknown as Database, postgresHotRunner(lanes));
  return {
    db: db as unknown as Database,
    kind: 'postgres',
    bus: {
      publish: async (message) => void (await client.notify(BUS_CHANNEL, message)),
      // postgres.js calls `onListening` after the first LISTEN and after every reconnection.
      subscribe: async (onMessage, onListening) =>
        void (await client.listen(BUS_CHANNEL, onMessage, onListening)),
    },
    migrate: () => migrateWithLock(url, db, migrationsFolder),
    close: async () => {
      await Promise.all([client.end({ timeout: 5 }), lanes.end()]);
    },
  };
}

/** A value as a quoted SQL literal, cast by PostgreSQL to its parameter's type. */
const literal = (value: unknown) =>
  value === null || value === undefined ? 'null' : `'${String(value).replaceAll("'", "''")}'`;

/**
 * PGlite runs in this process: no round trips to save, but its `query` prepares nothing, so
 * every call plans its statement afresh, and planning the answer's statements took most of
 * PGlite's time. Each statement is PREPAREd once instead (for the session, whatever becomes of
 * the transaction) and run by EXECUTE, which takes no bind parameters: the values go as quoted
 * literals (standard_conforming_strings is on: a doubled quote is the only escape).
 */
function pgliteHotRunner(client: Pick<PgliteClient, 'transaction'>): HotRunner {
  const prepared = new Map<string, string>();
  return (body) =>
    client.transaction(async (tx) => {
      const query = async <T>({ text, params }: BoundStatement) => {
        let name = prepared.get(text);
        if (!name) {
          name = `hot_${prepared.size + 1}`;
          await tx.exec(`prepare ${name} as ${text}`);
          prepared.set(text, name);
        }
        const args = params.length ? `(${params.map(literal).join(', ')})` : '';
        return (await tx.query<T>(`execute ${name}${args}`)).rows;
      };
      const end = await body({ query });
      return { rows: await query<Row>(end.last), value: end.value };
    });
}

/**
 * Embedded PGlite. With a directory, data persists there and a lock file keeps a second
 * process out; PGlite then runs in a worker thread, so that a long statement (a module import,
 * a large image) does not hold the thread that serves every request. Without one, the database
 * lives in memory (tests), in this thread: no worker to start, no message per statement.
 * What a commit wrote survives a crash of the process, and is on the disk after a clean close;
 * not before (see syncDir).
 */
/**
 * PGlite in `dataDir` (in its own thread, behind the directory's lock), or in memory without
 * one. `started` is `startPglite(dataDir)` when the caller began it earlier.
 */
export async function openPglite(
  dataDir?: string,
  started: Promise<StartedPglite> | undefined = dataDir ? startPglite(dataDir) : undefined,
): Promise<DbHandle> {
  let lock: DirLock | undefined;
  let client: PgliteClient;
  if (started) {
    ({ client, lock } = await started);
  } else {
    client = (await PGlite.create(pgliteCodecs)) as unknown as PgliteClient;
  }
  const db = drizzlePglite({ client: client as unknown as PGlite, ...drizzleOptions });
  hotRunners.set(db as unknown as Database, pgliteHotRunner(client));
  return {
    db: db as unknown as Database,
    kind: 'pglite',
    migrate: () => migratePglite(db, { migrationsFolder }),
    async close() {
      try {
        if (!client.closed) {
          if (dataDir) await client.exec('CHECKPOINT');
          await client.close();
          if (dataDir) syncDir(path.join(dataDir, 'pglite'));
        }
      } finally {
        await lock?.release();
      }
    },
  };
}
