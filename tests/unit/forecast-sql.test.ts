import { sql } from 'drizzle-orm';
import {
  type Card,
  default_w,
  fsrs,
  generatorParameters,
  Rating,
  S_MAX,
  S_MIN,
  State,
} from 'ts-fsrs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../server/db/client';
import {
  RECALL_WEIGHTS,
  recallAfterDaysSql,
  STABILITY_MAX,
  STABILITY_MIN,
  stabilityAfterGoodSql,
} from '../../server/dashboards/forecast-sql';
import { DEFAULT_DECAY, retrievability } from '../../shared/learning';
import { DAY } from '../helpers/clock';
import { createTestDb } from '../helpers/db';

let handle: DbHandle;
beforeAll(async () => {
  handle = await createTestDb();
});
afterAll(() => handle.close());

/** Evaluates `expr` over `rows` (bound as float8 columns a, b, c) in the database. */
async function evaluate(rows: number[][], expr: ReturnType<typeof sql>) {
  const values = sql.join(
    rows.map(
      ([a, b, c], i) => sql`(${i}::int, ${a ?? 0}::float8, ${b ?? 0}::float8, ${c ?? 0}::float8)`,
    ),
    sql`, `,
  );
  const result: unknown = await handle.db.execute(
    sql`select p.i, ${expr} as v from (values ${values}) as p(i, a, b, c) order by p.i`,
  );
  const out = Array.isArray(result) ? result : (result as { rows: unknown[] }).rows;
  return (out as { v: number }[]).map((row) => Number(row.v));
}

describe('R after a number of days, in SQL', () => {
  const ts = [-1, 0, 0.5, 1, 3, 10, 60, 365, 3650];
  const ss = [0, 0.001, 0.5, 1, 2.3065, 10, 100, 36500];
  it.each([DEFAULT_DECAY, 0.5])(
    'agrees with retrievability() to 1e-9 (decay %s)',
    async (decay) => {
      const grid = ts.flatMap((t) => ss.map((s) => [t, s]));
      const got = await evaluate(grid, recallAfterDaysSql(sql`p.a`, sql`p.b`, decay));
      grid.forEach(([t, s], i) => {
        expect(Math.abs(got[i]! - retrievability(t!, s!, decay)), `t ${t}, S ${s}`).toBeLessThan(
          1e-9,
        );
      });
    },
  );
});

describe('stability after a right answer (Good) at the due date, in SQL', () => {
  it("uses ts-fsrs's default weights and bounds", () => {
    expect([RECALL_WEIGHTS.w8, RECALL_WEIGHTS.w9, RECALL_WEIGHTS.w10]).toEqual(
      default_w.slice(8, 11),
    );
    expect([STABILITY_MIN, STABILITY_MAX]).toEqual([S_MIN, S_MAX]);
    expect(default_w[20]).toBe(DEFAULT_DECAY);
  });

  it('agrees with the next state ts-fsrs gives a review card answered Good when due', async () => {
    // The scheduler's set-up (server/srs/fsrs.ts): day granularity, no fuzz in tests.
    const f = fsrs(generatorParameters({ enable_fuzz: false, enable_short_term: false }));
    const lastReview = new Date('2026-01-05T09:00:00Z');
    const stabilities = [0.1, 0.5, 1, 2.3065, 5, 10, 30, 100, 365, 3000];
    const difficulties = [1, 2.5, 5, 7.5, 10];
    // Due after a whole number of days (the day-granularity scheduler's intervals), the
    // stability's own interval (R = 0.9) and longer ones (lower R, a larger gain).
    const intervals = (s: number) => [
      ...new Set([1, Math.max(1, Math.round(s)), 3 * Math.ceil(s)]),
    ];
    const cases = stabilities.flatMap((s) =>
      difficulties.flatMap((d) => intervals(s).map((days) => ({ s, d, days }))),
    );
    const expected = cases.map(({ s, d, days }) => {
      const due = new Date(lastReview.getTime() + days * DAY);
      const card: Card = {
        due,
        stability: s,
        difficulty: d,
        elapsed_days: 0,
        scheduled_days: days,
        learning_steps: 0,
        reps: 4,
        lapses: 0,
        state: State.Review,
        last_review: lastReview,
      };
      return f.next(card, due, Rating.Good).card.stability;
    });
    const got = await evaluate(
      cases.map(({ s, d, days }) => [s, d, days]),
      stabilityAfterGoodSql(
        sql`p.a`,
        sql`p.b`,
        recallAfterDaysSql(sql`p.c`, sql`p.a`, DEFAULT_DECAY),
      ),
    );
    expect(got).toHaveLength(cases.length);
    // ts-fsrs rounds stabilities to 8 decimals: relative 1e-6 is far above that.
    cases.forEach(({ s, d, days }, i) => {
      expect(
        Math.abs(got[i]! - expected[i]!) / expected[i]!,
        `S ${s}, D ${d}, ${days} days: ${got[i]} vs ${expected[i]}`,
      ).toBeLessThan(1e-6);
      expect(expected[i]!).toBeGreaterThan(s);
    });
  });
});
