import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { pgliteCodecs } from './pglite-codecs';
import type { Request, Response } from './pglite-worker-client';

/**
 * Owns the PGlite instance of a data directory, off the thread that serves requests: PGlite
 * runs each statement as one unbroken chain of work, which held every other request, timer and
 * socket for seconds on a large module import. Answers the requests of pglite-worker-client.ts.
 */
const port = parentPort!;
const send = (response: Response, transfer: ArrayBuffer[] = []) =>
  port.postMessage(response, transfer);

/**
 * What an error carries across: its message and own fields (SQLSTATE `code`, `detail`…). Not
 * every error PGlite throws is an Error (its file system's are plain objects).
 */
function plain(err: unknown): Record<string, unknown> {
  if (!err || typeof err !== 'object') return { message: String(err) };
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(err)) {
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) {
      fields[key] = value;
    }
  }
  const { name, message } = err as { name?: unknown; message?: unknown };
  if (typeof name === 'string') fields.name = name;
  fields.message = typeof message === 'string' ? message : JSON.stringify(fields);
  return fields;
}

/** Large byte values move to the other thread instead of being copied, when they own their buffer. */
function transferable(value: unknown, out: ArrayBuffer[]) {
  if (value instanceof Uint8Array) {
    const { buffer } = value;
    if (value.byteLength >= 65_536 && buffer instanceof ArrayBuffer) {
      if (value.byteOffset === 0 && value.byteLength === buffer.byteLength) out.push(buffer);
    }
  } else if (Array.isArray(value)) {
    for (const item of value) transferable(item, out);
  } else if (value && typeof value === 'object' && !(value instanceof Date)) {
    for (const item of Object.values(value)) transferable(item, out);
  }
}

const identity = (text: string) => text;

let pg: PGlite;
try {
  pg = await PGlite.create({
    dataDir: (workerData as { dataDir?: string }).dataDir,
    ...pgliteCodecs,
  });
} catch (err) {
  send({ id: 0, ok: false, error: plain(err) });
  process.exit(1);
}

/** Open transactions: PGlite's callback waits here until the main thread ends it. */
const transactions = new Map<
  number,
  { tx: Transaction; end: (commit: boolean) => void; done: Promise<unknown> }
>();

function runner(txId: number | undefined): Pick<Transaction, 'query' | 'exec'> {
  if (txId === undefined) return pg;
  const open = transactions.get(txId);
  if (!open) throw new Error('This transaction has ended');
  return open.tx;
}

let lastTransaction = 0;

async function begin(): Promise<number> {
  const id = ++lastTransaction;
  return new Promise((resolve, reject) => {
    let begun = false;
    const done = pg.transaction(async (tx) => {
      const commit = await new Promise<boolean>((end) => {
        transactions.set(id, { tx, end, done });
        begun = true;
        resolve(id);
      });
      if (!commit && !tx.closed) await tx.rollback();
    });
    done.then(
      () => transactions.delete(id),
      (err: unknown) => {
        transactions.delete(id);
        if (!begun) reject(err as Error);
      },
    );
  });
}

async function handle(request: Request): Promise<unknown> {
  switch (request.op) {
    case 'query': {
      const parsers = Object.fromEntries(request.raw.map((type) => [type, identity]));
      return runner(request.tx).query(request.sql, request.params, {
        rowMode: request.rowMode,
        parsers,
      });
    }
    case 'exec':
      return runner(request.tx).exec(request.sql);
    case 'begin':
      return begin();
    case 'end': {
      const open = transactions.get(request.tx);
      if (!open) throw new Error('This transaction has ended');
      open.end(request.commit);
      await open.done;
      return undefined;
    }
    case 'close':
      await pg.close();
      return undefined;
  }
}

port.on('message', (request: Request) => {
  handle(request).then(
    (result) => {
      const transfer: ArrayBuffer[] = [];
      transferable(result, transfer);
      send({ id: request.id, ok: true, result }, transfer);
    },
    (err: unknown) => send({ id: request.id, ok: false, error: plain(err) }),
  );
});
send({ id: 0, ok: true, result: undefined });
