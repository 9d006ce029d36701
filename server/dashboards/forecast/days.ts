/**
 * Which days the forecast computes R on and how the days between are filled in: pure, so that
 * the rules are read and tested apart from the statement (repository.ts).
 */
import { FORECAST_DAYS } from '../../../shared/dashboards';

/**
 * About how many (card, day) values of R the forecast computes at most: beyond it, R is
 * computed every `step` days (a divisor of FORECAST_DAYS, at most 10) and on day 1, and the days
 * between are interpolated (`fillDays`). Day 1 because overdue refreshers are assumed done
 * today: "with scheduled" jumps between day 0 and day 1, which no interpolation can follow.
 * On the bench's largest organisation (400,000 learnt cards, 2 busy CPUs) every day took about
 * 27 s on PostgreSQL, every 10th day about 3 s, off by at most 0.0006 after interpolation.
 */
export const FORECAST_BUDGET = 2_000_000;
const STEPS = [1, 2, 3, 4, 5, 6, 10];

/**
 * The days the forecast computes for `learnt` cards: 0, step, … FORECAST_DAYS and 1, the step
 * the smallest of STEPS that keeps cards × days within `budget`, else the largest.
 */
export function forecastDays(learnt: number, budget = FORECAST_BUDGET): number[] {
  const step = STEPS.find((x) => x >= (learnt * (FORECAST_DAYS + 1)) / budget) ?? STEPS.at(-1)!;
  const days = new Set([1]);
  for (let d = 0; d <= FORECAST_DAYS; d += step) days.add(d);
  return [...days].sort((a, b) => a - b);
}

/**
 * The days the learner × module rows (dashboard_pairs) keep the forecast's sums for: the
 * coarsest `forecastDays` gives.
 */
export const PAIR_DAYS = forecastDays(Number.POSITIVE_INFINITY);

/**
 * Whether the forecast of `learnt` cards reads the learner × module rows' sums on `PAIR_DAYS`
 * instead of computing R for every card: whenever it would skip days anyway. Computing is then
 * at least `budget` values of R (about a second on the bench's machine); reading the rows, one
 * row per learner × module.
 */
export const readsPairs = (learnt: number, budget?: number) =>
  forecastDays(learnt, budget).length <= FORECAST_DAYS;

export interface DayValues {
  day: number;
  withoutReviews: number;
  withScheduled: number;
}

/**
 * Interpolates the days a coarse forecast skipped, in the space where one card's curve is a
 * straight line: R^(-1/decay) = 1 + factor · t / S. A cell of one card without a review in
 * between comes out exact; a mean over cards, nearly so. Values at or under 0 fall back to a
 * straight line.
 */
export function fillDays(points: DayValues[], lastDay: number, decay: number): DayValues[] {
  const out: DayValues[] = [];
  const lift = (v: number) => Math.pow(v, -1 / decay);
  const between = (a: number, b: number, w: number) =>
    a > 0 && b > 0 ? Math.pow(lift(a) + (lift(b) - lift(a)) * w, -decay) : a + (b - a) * w;
  points.forEach((p, i) => {
    out.push(p);
    const next = points[i + 1];
    if (!next) return;
    for (let day = p.day + 1; day < next.day && day <= lastDay; day++) {
      const w = (day - p.day) / (next.day - p.day);
      out.push({
        day,
        withoutReviews: between(p.withoutReviews, next.withoutReviews, w),
        withScheduled: between(p.withScheduled, next.withScheduled, w),
      });
    }
  });
  return out;
}
