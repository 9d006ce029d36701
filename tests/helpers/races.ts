import { count, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { Database } from '../../server/db/client';
import { type Caller, expectError, type Req } from './harness';

export type Res = LightMyRequestResponse;

/**
 * What a race suite found: trials run, rows beyond the one effect each trial allows
 * (duplicates), and answers acknowledged but not applied as their log says (lost writes).
 */
export class RaceTally {
  trials = 0;
  duplicates = 0;
  lostWrites = 0;

  /** One trial's effect: `rows` rows where `expected` are due; extra ones are duplicates. */
  expectRows(rows: number, expected = 1) {
    this.trials += 1;
    this.duplicates += Math.max(0, rows - expected);
    expect(rows).toBe(expected);
  }

  toString() {
    return `races: ${this.trials} trials, ${this.duplicates} duplicates, ${this.lostWrites} lost writes`;
  }
}

let addresses = 0;

/**
 * Fires `n` requests at once, each from its own client address: the per-address rate limits
 * of the public routes are not what is raced here.
 */
export function fire(n: number, as: Caller, request: (i: number) => Req): Promise<Res[]> {
  return Promise.all(
    Array.from({ length: n }, (_, i) => {
      const k = ++addresses;
      return as.inject({
        remoteAddress: `10.${k >> 16}.${(k >> 8) & 255}.${k & 255}`,
        ...request(i),
      });
    }),
  );
}

/**
 * The successes among `results`, after checking that every other answer is a documented
 * refusal in the one error shape (never a 5xx): `refusals` maps each allowed status to its
 * allowed codes.
 */
export function successes(results: Res[], status: number, refusals: Record<number, string[]> = {}) {
  for (const res of results) {
    if (res.statusCode === status) continue;
    const codes = refusals[res.statusCode];
    expect(codes, `unexpected ${res.statusCode}: ${res.body}`).toBeDefined();
    expect(codes).toContain(expectError(res, res.statusCode).code);
  }
  return results.filter((r) => r.statusCode === status);
}

/** Every caller got the same success, byte for byte. */
export function expectSameAnswer(results: Res[], status: number) {
  expect(successes(results, status)).toHaveLength(results.length);
  expect(new Set(results.map((r) => r.body)).size).toBe(1);
}

/** How many rows of `table` match `where`. */
export async function rowsIn(db: Database, table: PgTable, where?: SQL | undefined) {
  const [row] = await db.select({ n: count() }).from(table).where(where);
  return row!.n;
}
