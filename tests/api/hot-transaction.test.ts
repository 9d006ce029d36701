import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DbHandle, hotTransaction, statement } from '../../server/db/client';
import { createTestDb } from '../helpers/db';

let handle: DbHandle;

beforeAll(async () => {
  handle = await createTestDb();
  await handle.db.execute(sql`create table hot_notes (id int primary key, body text not null)`);
});
afterAll(() => handle.close());

const insertNote = statement<{ id: number; body: string }>`
  insert into hot_notes (id, body) values (${'id'}, ${'body'}) returning id, body`;
const noteBody = statement<{ id: number }>`select body from hot_notes where id = ${'id'}`;
const countNotes = statement<{ from: number; to: number }>`
  select count(*)::int as n from hot_notes where id between ${'from'} and ${'to'}`;

async function bodyOf(id: number) {
  const { rows } = await hotTransaction(handle.db, async () => ({
    last: noteBody.bind({ id }),
    value: null,
  }));
  return rows[0]?.body;
}

describe('statement', () => {
  it('numbers each name once, in order of first use', () => {
    const s = statement<{ a: string; b: string }>`${'a'} ${'b'} ${'a'}`;
    expect(s.text).toBe('$1 $2 $1');
    expect(s.bind({ b: 'B', a: 'A' }).params).toEqual(['A', 'B']);
  });
});

describe('hotTransaction', () => {
  it('runs the statements and answers the rows of the last one, committed', async () => {
    // Quotes and backslashes reach the database as they are, whichever way the driver sends them.
    const tricky = `it's a \\'test'' -- ; drop table hot_notes`;
    const { rows, value } = await hotTransaction(handle.db, async (tx) => {
      const [first] = await tx.query<{ id: number; body: string }>(
        insertNote.bind({ id: 1, body: tricky }),
      );
      return { last: countNotes.bind({ from: 1, to: 2 }), value: first };
    });
    expect(value).toEqual({ id: 1, body: tricky });
    expect(rows).toEqual([{ n: 1 }]);
    expect(await bodyOf(1)).toBe(tricky);
  });

  it('rolls back when the body throws', async () => {
    const failing = hotTransaction(handle.db, async (tx) => {
      await tx.query(insertNote.bind({ id: 2, body: 'kept?' }));
      throw new Error('refused');
    });
    await expect(failing).rejects.toThrow('refused');
    expect(await bodyOf(2)).toBeUndefined();
  });

  it('rolls back when the last statement fails', async () => {
    const failing = hotTransaction(handle.db, async (tx) => {
      await tx.query(insertNote.bind({ id: 3, body: 'kept?' }));
      // The same id again: a unique violation.
      return { last: insertNote.bind({ id: 3, body: 'again' }), value: null };
    });
    await expect(failing).rejects.toMatchObject({ code: '23505' });
    expect(await bodyOf(3)).toBeUndefined();
    // The connection is fine afterwards.
    expect(await bodyOf(1)).toBeDefined();
  });
});
