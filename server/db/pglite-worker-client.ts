import { Worker } from 'node:worker_threads';
import type { Results, Transaction } from '@electric-sql/pglite';

type Parser = (text: string, typeId: number) => unknown;

/** The part of PGlite's query options Drizzle uses. */
export interface WorkerQueryOptions {
  rowMode?: 'array' | 'object';
  parsers?: Record<number, Parser>;
}

export type Request = { id: number } & (
  | {
      op: 'query';
      sql: string;
      params: unknown[] | undefined;
      rowMode: 'array' | 'object' | undefined;
      /** Types whose values come back as PostgreSQL's text, for the caller's own parsers. */
      raw: number[];
      tx?: number;
    }
  | { op: 'exec'; sql: string; tx?: number }
  | { op: 'begin' }
  | { op: 'end'; tx: number; commit: boolean }
  | { op: 'close' }
);

export type Response =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: Record<string, unknown> };

/** The subset of PGlite that Drizzle, the migrator and the hot runner use. */
export interface PgliteClient {
  query<T>(sql: string, params?: unknown[], options?: WorkerQueryOptions): Promise<Results<T>>;
  exec(sql: string): Promise<Results[]>;
  transaction<T>(body: (tx: WorkerTransaction) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  readonly closed: boolean;
}

export type WorkerTransaction = Pick<PgliteClient, 'query' | 'exec'> &
  Pick<Transaction, 'rollback' | 'closed'>;

/** An error of the worker as the app reads it: message, SQLSTATE `code` and the other fields. */
function revive(fields: Record<string, unknown>): Error {
  return Object.assign(new Error(String(fields.message)), fields);
}

/** Applies the caller's parsers to the values the worker left as text. */
function parse<T>(result: Results<T>, parsers: Record<number, Parser>, rowMode?: string) {
  const columns = result.fields.flatMap((field, index) => {
    const parser = parsers[field.dataTypeID];
    return parser ? [{ index, key: field.name, parser, type: field.dataTypeID }] : [];
  });
  if (columns.length === 0) return result;
  for (const row of result.rows as Record<string | number, unknown>[]) {
    for (const { index, key, parser, type } of columns) {
      const at = rowMode === 'array' ? index : key;
      if (row[at] !== null && row[at] !== undefined) row[at] = parser(row[at] as string, type);
    }
  }
  return result;
}

/**
 * PGlite in a worker thread, seen from the main thread: each call is a message, so a long
 * statement (a module import's files, a large image) leaves this thread free to serve others.
 * A transaction stays open in the worker until its body here ends; PGlite's own lock keeps other
 * statements waiting meanwhile, as in process. If the worker dies, what waits on it fails.
 */
export class PgliteWorkerClient implements PgliteClient {
  #worker: Worker;
  #pending = new Map<number, { resolve: (value: unknown) => void; reject: (err: Error) => void }>();
  #lastId = 0;
  #closed = false;

  private constructor(worker: Worker) {
    this.#worker = worker;
  }

  /** Opens PGlite in `dataDir`, or in memory without one. */
  static async create(dataDir?: string): Promise<PgliteWorkerClient> {
    const worker = new Worker(new URL('./pglite-worker.mjs', import.meta.url), {
      workerData: { dataDir },
      // The worker registers tsx itself; a loader given by `--import` would run twice.
      execArgv: [],
    });
    const client = new PgliteWorkerClient(worker);
    const ready = new Promise((resolve, reject) => client.#pending.set(0, { resolve, reject }));
    worker.on('message', (response: Response) => client.#answer(response));
    worker.on('error', (err) => client.#fail(err));
    worker.on('exit', (code) => client.#fail(new Error(`The PGlite worker stopped (${code})`)));
    await ready;
    worker.unref();
    return client;
  }

  get closed() {
    return this.#closed;
  }

  #answer(response: Response) {
    const waiting = this.#pending.get(response.id);
    if (!waiting) return;
    this.#pending.delete(response.id);
    // An idle worker does not keep the process alive; a pending call does.
    if (this.#pending.size === 0) this.#worker.unref();
    if (response.ok) waiting.resolve(response.result);
    else waiting.reject(revive(response.error));
  }

  #fail(err: Error) {
    this.#closed = true;
    for (const waiting of this.#pending.values()) waiting.reject(err);
    this.#pending.clear();
  }

  #call<R>(request: Request extends infer Q ? (Q extends unknown ? Omit<Q, 'id'> : never) : never) {
    if (this.#closed) return Promise.reject(new Error('PGlite is closed'));
    const id = ++this.#lastId;
    if (this.#pending.size === 0) this.#worker.ref();
    return new Promise<R>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.#worker.postMessage({ ...request, id });
    });
  }

  #query<T>(sql: string, params?: unknown[], options: WorkerQueryOptions = {}, tx?: number) {
    const parsers = options.parsers ?? {};
    const raw = Object.keys(parsers).map(Number);
    return this.#call<Results<T>>({
      op: 'query',
      sql,
      params,
      rowMode: options.rowMode,
      raw,
      tx,
    }).then((result) => parse(result, parsers, options.rowMode));
  }

  query<T>(sql: string, params?: unknown[], options?: WorkerQueryOptions) {
    return this.#query<T>(sql, params, options);
  }

  exec(sql: string) {
    return this.#call<Results[]>({ op: 'exec', sql });
  }

  async transaction<T>(body: (tx: WorkerTransaction) => Promise<T>): Promise<T> {
    const id = await this.#call<number>({ op: 'begin' });
    let ended = false;
    const end = async (commit: boolean) => {
      if (ended) return;
      ended = true;
      await this.#call({ op: 'end', tx: id, commit });
    };
    const tx: WorkerTransaction = {
      query: (sql, params, options) => this.#query(sql, params, options, id),
      exec: (sql) => this.#call<Results[]>({ op: 'exec', sql, tx: id }),
      rollback: () => end(false),
      get closed() {
        return ended;
      },
    };
    let result: T;
    try {
      result = await body(tx);
    } catch (err) {
      // A failed rollback leaves the error that matters to the caller.
      await end(false).catch(() => {});
      throw err;
    }
    await end(true);
    return result;
  }

  async close() {
    if (this.#closed) return;
    await this.#call({ op: 'close' });
    this.#closed = true;
    await this.#worker.terminate();
  }
}
