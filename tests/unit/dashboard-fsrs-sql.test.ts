import { type SQL, sql } from 'drizzle-orm';
import {
  type Card,
  computeDecayFactor,
  default_w,
  forgetting_curve,
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
  daysBetweenSql,
  type FsrsParams,
  RECALL_WEIGHTS,
  recallSlopeSql,
  recallSql,
  STABILITY_MAX,
  STABILITY_MIN,
  stabilityAfterGoodSql,
} from '../../server/dashboards/sql/fsrs';
import { rowsOf } from '../../server/db/rows';
import { instantSql } from '../../server/dashboards/sql/rows';
import { DEFAULT_DECAY, retentionFactor, retrievability } from '../../shared/learning';
import { DAY } from '../helpers/clock';
import { createTestDb } from '../helpers/db';

let handle: DbHandle;
beforeAll(async () => {
  handle = await createTestDb();
});
afterAll(() => handle.close());

/** Evaluates `expr` over `rows` (bound as float8 columns a, b, c) in the database. */
async function evaluate(rows: number[][], expr: SQL) {
  const values = sql.join(
    rows.map(
      ([a, b, c], i) => sql`(${i}::int, ${a ?? 0}::float8, ${b ?? 0}::float8, ${c ?? 0}::float8)`,
    ),
    sql`, `,
  );
  const result: unknown = await handle.db.execute(
    sql`select p.i, ${expr} as v from (values ${values}) as p(i, a, b, c) order by p.i`,
  );
  return rowsOf<{ v: number }>(result).map((row) => Number(row.v));
}

// Days since the last review (negative: a review after `now`, which counts as t = 0) and
// stabilities in days, from FSRS's floor (0.01) to a century, with 0 for a broken state.
const ts = [-1, 0, 0.25, 0.5, 1, 2, 3, 7, 10, 30, 90, 180, 365, 1000, 3650];
const ss = [0, 0.01, 0.212, 0.5, 1, 2.3065, 8.2956, 10, 30, 100, 365, 1000, 36500];
const now = new Date('2026-11-28T09:00:00Z');

/** R and dR/dt at `now` for every (t, S) of the grid, from last-review instants, in one statement. */
async function recallsInDb(fsrsParams: FsrsParams) {
  const points = ts.flatMap((t) => ss.map((s) => ({ t, s })));
  const rows = sql.join(
    points.map(
      ({ t, s }, i) =>
        sql`(${i}::int, ${instantSql(new Date(now.getTime() - t * DAY))}, ${s}::float8)`,
    ),
    sql`, `,
  );
  const days = daysBetweenSql(sql`p.last_review`, instantSql(now));
  const result: unknown = await handle.db.execute(
    sql`select p.i, ${recallSql(days, sql`p.stability`, fsrsParams)} as r,
        ${recallSlopeSql(days, sql`p.stability`, fsrsParams)} as slope
      from (values ${rows}) as p(i, last_review, stability) order by p.i`,
  );
  const out = rowsOf<{ r: number; slope: number }>(result);
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
      const { points, recalls } = await recallsInDb({ decay });
      expect(recalls).toHaveLength(points.length);
      points.forEach(({ t, s }, i) => {
        expect(Math.abs(recalls[i]! - retrievability(t, s, decay)), `t ${t}, S ${s}`).toBeLessThan(
          1e-9,
        );
      });
    },
  );

  it.each([DEFAULT_DECAY, 0.5])(
    'agrees with retrievability() over a number of days to 1e-9 (decay %s)',
    async (decay) => {
      const days = [-1, 0, 0.5, 1, 3, 10, 60, 365, 3650];
      const stabilities = [0, 0.001, 0.5, 1, 2.3065, 10, 100, 36500];
      const grid = days.flatMap((t) => stabilities.map((s) => [t, s]));
      const got = await evaluate(grid, recallSql(sql`p.a`, sql`p.b`, { decay }));
      grid.forEach(([t, s], i) => {
        expect(Math.abs(got[i]! - retrievability(t!, s!, decay)), `t ${t}, S ${s}`).toBeLessThan(
          1e-9,
        );
      });
    },
  );

  it.each([0.1, 0.3, 0.5, 0.8])(
    "agrees with ts-fsrs' forgetting_curve for an organisation's own decay (%s)",
    async (decay) => {
      // forgetting_curve rounds its factor and its result to 8 decimals (each up to 5e-9 off):
      // 1e-9 is measured against its curve before that last rounding, the public function to
      // its rounding.
      const { decay: exponent, factor } = computeDecayFactor(decay);
      const points = [
        [0.5, 1],
        [1, 1],
        [3, 2.3065],
        [10, 10],
        [30, 8.2956],
        [90, 30],
        [365, 100],
        [3650, 1000],
      ];
      const got = await evaluate(points, recallSql(sql`p.a`, sql`p.b`, { decay }));
      points.forEach(([t, s], i) => {
        const curve = Math.pow(1 + (factor * t!) / s!, exponent);
        // The factor's rounding moves R by at most |dR/dfactor| · 5e-9.
        const tolerance = 1e-9 + (decay * t! * 5e-9) / s!;
        expect(Math.abs(got[i]! - curve), `t ${t}, S ${s}`).toBeLessThan(tolerance);
        expect(Math.abs(got[i]! - forgetting_curve(decay, t!, s!))).toBeLessThan(tolerance + 5e-9);
      });
      // Non-default decays make a different curve: R(S, S) = 0.9 for every decay, not elsewhere.
      expect(got[3]).toBeCloseTo(0.9, 12);
      if (decay !== DEFAULT_DECAY) {
        expect(Math.abs(got[7]! - retrievability(3650, 1000, DEFAULT_DECAY))).toBeGreaterThan(1e-3);
      }
    },
  );

  it('is 0.9 after one stability, 1 right after a review or before it, 0 with no stability', async () => {
    const { points, recalls } = await recallsInDb({ decay: DEFAULT_DECAY });
    const at = (t: number, s: number) => recalls[points.findIndex((p) => p.t === t && p.s === s)]!;
    expect(at(10, 10)).toBeCloseTo(0.9, 12);
    expect(at(0, 10)).toBe(1);
    expect(at(-1, 10)).toBe(1);
    expect(at(10, 0)).toBe(0);
  });

  it.each([DEFAULT_DECAY, 0.5])(
    'gives dR/dt per day as the derivative of retrievability() in shared/ (decay %s)',
    async (decay) => {
      const { points, slopes } = await recallsInDb({ decay });
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
    const { points, slopes } = await recallsInDb({ decay: DEFAULT_DECAY });
    const at = (t: number, s: number) => slopes[points.findIndex((p) => p.t === t && p.s === s)]!;
    // 0.1542 × 0.98035 / 1 = 0.15117 at t = 0⁺; after a quarter day, × 1.24509^-1.1542 = 0.77646.
    expect(at(0, 1)).toBeCloseTo(-0.15117, 4);
    expect(at(0.25, 1)).toBeCloseTo(-0.15117 * 0.77646, 4);
    expect(at(10, 10)).toBeCloseTo((-0.15117 / 10) * Math.pow(1.98035, -1.1542), 6);
  });
});

describe('stability after a right answer (Good) at the due date, in SQL', () => {
  it("uses ts-fsrs's default weights and bounds", () => {
    expect([RECALL_WEIGHTS.w8, RECALL_WEIGHTS.w9, RECALL_WEIGHTS.w10]).toEqual(
      default_w.slice(8, 11),
    );
    expect([STABILITY_MIN, STABILITY_MAX]).toEqual([S_MIN, S_MAX]);
    expect(default_w[20]).toBe(DEFAULT_DECAY);
  });

  /** An organisation's own weights: default_w with other w[8], w[9], w[10] and decay w[20]. */
  const ownWeights = default_w.map((w, i) => ({ 8: 1.5, 9: 0.25, 10: 1.1, 20: 0.3 })[i] ?? w);

  it.each([
    ['FSRS-6 defaults', undefined],
    ["an organisation's own weights", ownWeights],
  ])(
    'agrees with the next state ts-fsrs gives a review card answered Good when due (%s)',
    async (_, w) => {
      // The scheduler's set-up (server/srs/fsrs.ts): day granularity, no fuzz in tests.
      const f = fsrs(
        generatorParameters({ enable_fuzz: false, enable_short_term: false, ...(w && { w }) }),
      );
      const fsrsParams: FsrsParams = w ? { decay: w[20]!, w } : { decay: DEFAULT_DECAY };
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
          {
            stability: sql`p.a`,
            difficulty: sql`p.b`,
            recall: recallSql(sql`p.c`, sql`p.a`, fsrsParams),
          },
          fsrsParams,
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
    },
  );
});
