import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DbHandle, hotTransaction, openPglite, statement } from '../../server/db/client';
import { acquireDirLock } from '../../server/db/dir-lock';
import { isUniqueViolation } from '../../server/lib/errors';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rappel-worker-'));
let handle: DbHandle;
beforeAll(async () => {
  handle = await openPglite(dir);
  await handle.db.execute(sql`create table blobs (id int primary key, body bytea not null)`);
}, 60_000);
afterAll(async () => {
  await handle?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Runs `work` while a 5 ms timer counts how often this thread got to serve it. */
async function ticksDuring(work: () => Promise<unknown>) {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 5);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return ticks;
}

describe('the embedded database on a directory', () => {
  it('keeps serving this thread while 20 MB are written and read back', async () => {
    const bytes = new Uint8Array(20 * 1024 * 1024).map((_, i) => (i * 7) % 251);
    let back: Uint8Array | undefined;
    const ticks = await ticksDuring(async () => {
      await handle.db.execute(sql`insert into blobs (id, body) values (1, ${bytes})`);
      const { rows } = (await handle.db.execute(sql`select body from blobs where id = 1`)) as {
        rows: { body: Uint8Array }[];
      };
      back = rows[0]!.body;
    });
    expect(Buffer.from(back!).equals(Buffer.from(bytes))).toBe(true);
    // The statements ran elsewhere: the timer kept firing meanwhile.
    expect(ticks).toBeGreaterThanOrEqual(3);
  }, 60_000);

  it('keeps what the app reads from an error, and rolls a failed transaction back', async () => {
    const insert = (id: number) =>
      handle.db.execute(sql`insert into blobs (id, body) values (${id}, '\\x00'::bytea)`);
    await insert(2);
    const err = await insert(2).catch((e: unknown) => e);
    expect(isUniqueViolation(err)).toBe(true);

    await expect(
      handle.db.transaction(async (tx) => {
        await tx.execute(sql`insert into blobs (id, body) values (3, '\\x01'::bytea)`);
        await tx.execute(sql`insert into blobs (id, body) values (2, '\\x01'::bytea)`);
      }),
    ).rejects.toSatisfy(isUniqueViolation);
    const { rows } = (await handle.db.execute(sql`select id from blobs order by id`)) as {
      rows: { id: number }[];
    };
    expect(rows.map((r) => r.id)).toEqual([1, 2]);
  });

  it('runs a hot transaction, and rolls it back when its body fails', async () => {
    const put = statement<{ id: number }>`insert into blobs (id, body) values (${'id'}, '\\x02')`;
    const ids = statement<Record<string, never>>`select id from blobs where id >= 10 order by id`;
    const { rows } = await hotTransaction(handle.db, async (tx) => {
      await tx.query(put.bind({ id: 10 }));
      await tx.query(put.bind({ id: 11 }));
      return { last: ids.bind({}), value: null };
    });
    expect(rows).toEqual([{ id: 10 }, { id: 11 }]);
    await expect(
      hotTransaction(handle.db, async (tx) => {
        await tx.query(put.bind({ id: 12 }));
        await tx.query(put.bind({ id: 10 }));
        return { last: ids.bind({}), value: null };
      }),
    ).rejects.toSatisfy(isUniqueViolation);
    const after = await hotTransaction(handle.db, async () => ({ last: ids.bind({}), value: 0 }));
    expect(after.rows).toEqual([{ id: 10 }, { id: 11 }]);
  });

  it('fails to open where PGlite cannot write, instead of waiting, and lets the directory go', async () => {
    const blocked = fs.mkdtempSync(path.join(os.tmpdir(), 'rappel-worker-'));
    try {
      // PGlite's own folder taken by a file.
      fs.writeFileSync(path.join(blocked, 'pglite'), '');
      await expect(openPglite(blocked)).rejects.toBeInstanceOf(Error);
      await (await acquireDirLock(blocked, { waitMs: 0 })).release();
    } finally {
      fs.rmSync(blocked, { recursive: true, force: true });
    }
  });
});
