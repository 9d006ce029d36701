import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../server/db/client';
import { recallSlopeSql, recallSql } from '../../server/dashboards/retention-sql';
import { DEFAULT_DECAY, retentionFactor, retrievability } from '../../shared/learning';
import { DAY } from '../helpers/clock';
import { createTestDb } from '../helpers/db';

// Days since the last review (negative: a review after `now`, which counts as t = 0) and
// stabilities in days, from FSRS's floor (0.01) to a century, with 0 for a broken state.
const ts = [-1, 0, 0.25, 0.5, 1, 2, 3, 7, 10, 30, 90, 180, 365, 1000, 3650];
const ss = [0, 0.01, 0.212, 0.5, 1, 2.3065, 8.2956, 10, 30, 100, 365, 1000, 36500];
const now = new Date('2026-11-28T09:00:00Z');

let handle: DbHandle;
beforeAll(async () => {
  handle = await createTestDb();
});
afterAll(() => handle.close());

/** R and dR/dt for every (t, S) of the grid, computed by the database in one statement. */
async function recallsInDb(decay: number) {
  const points = ts.flatMap((t) => ss.map((s) => ({ t, s })));
  const rows = sql.join(
    points.map(
      ({ t, s }, i) =>
        sql`(${i}::int, ${new Date(now.getTime() - t * DAY).toISOString()}::timestamptz, ${s}::float8)`,
    ),
    sql`, `,
  );
  const memory = { lastReview: sql`p.last_review`, stability: sql`p.stability` };
  const result: unknown = await handle.db.execute(
    sql`select p.i, ${recallSql(memory, now, decay)} as r,
        ${recallSlopeSql(memory, now, decay)} as slope
      from (values ${rows}) as p(i, last_review, stability) order by p.i`,
  );
  const out = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as {
    r: number;
    slope: number;
  }[];
  return {
    points,
    recalls: out.map((row) => Number(row.r)),
    slopes: out.map((row) => Number(row.slope)),
  };
}

describe('R(t, S) in SQL', () => {
  it.each([DEFAULT_DECAY, 0.5])(
    'agrees with retrievability() in shared/ to 1e-9 over a grid of t and S (decay %s)',
    async (decay) => {
      const { points, recalls } = await recallsInDb(decay);
      expect(recalls).toHaveLength(points.length);
      points.forEach(({ t, s }, i) => {
        expect(Math.abs(recalls[i]! - retrievability(t, s, decay)), `t ${t}, S ${s}`).toBeLessThan(
          1e-9,
        );
      });
    },
  );

  it('is 0.9 after one stability, 1 right after a review or before it, 0 with no stability', async () => {
    const { points, recalls } = await recallsInDb(DEFAULT_DECAY);
    const at = (t: number, s: number) => recalls[points.findIndex((p) => p.t === t && p.s === s)]!;
    expect(at(10, 10)).toBeCloseTo(0.9, 12);
    expect(at(0, 10)).toBe(1);
    expect(at(-1, 10)).toBe(1);
    expect(at(10, 0)).toBe(0);
  });

  it.each([DEFAULT_DECAY, 0.5])(
    'gives dR/dt per day as the derivative of retrievability() in shared/ (decay %s)',
    async (decay) => {
      const { points, slopes } = await recallsInDb(decay);
      const h = 1e-6;
      points.forEach(({ t, s }, i) => {
        // A central difference where R is smooth; from t = 0 on, −decay · factor / S (R starts
        // falling at the review); 0 where it stays at 1 (t < 0: a review after now) or 0 (S = 0).
        const expected =
          t < 0 || s === 0
            ? 0
            : t === 0
              ? (-decay * retentionFactor(decay)) / s
              : (retrievability(t + h, s, decay) - retrievability(t - h, s, decay)) / (2 * h);
        const tolerance = 1e-6 * Math.max(1, Math.abs(expected));
        expect(Math.abs(slopes[i]! - expected), `t ${t}, S ${s}`).toBeLessThan(tolerance);
      });
    },
  );

  it('falls by decay · factor / S per day right after a review: 15 % a day for a one-day memory', async () => {
    const { points, slopes } = await recallsInDb(DEFAULT_DECAY);
    const at = (t: number, s: number) => slopes[points.findIndex((p) => p.t === t && p.s === s)]!;
    // 0.1542 × 0.98035 / 1 = 0.15117 at t = 0⁺; after a quarter day, × 1.24509^-1.1542 = 0.77646.
    expect(at(0, 1)).toBeCloseTo(-0.15117, 4);
    expect(at(0.25, 1)).toBeCloseTo(-0.15117 * 0.77646, 4);
    expect(at(10, 10)).toBeCloseTo((-0.15117 / 10) * Math.pow(1.98035, -1.1542), 6);
  });
});
