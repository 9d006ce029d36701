import { describe, expect, it } from 'vitest';
import {
  FORECAST_BUDGET,
  forecastDays,
  PAIR_DAYS,
  readsPairs,
} from '../../server/dashboards/forecast/days';

const every = (step: number) => {
  const days = [];
  for (let d = 0; d <= 60; d += step) days.push(d);
  return days;
};

describe('the days the forecast computes', () => {
  it('computes every day while cards × 61 days fit the budget', () => {
    expect(forecastDays(0)).toEqual(every(1));
    // 32,786 cards × 61 days = 1,999,946 values: still within 2,000,000.
    expect(forecastDays(32_786)).toEqual(every(1));
  });

  it('takes the smallest step that fits, and day 1 beside it', () => {
    // One card more is over the budget: every other day, and day 1.
    expect(forecastDays(32_787)).toEqual([0, 1, ...every(2).slice(1)]);
    // Three times the budget: every third day.
    expect(forecastDays(Math.floor((3 * FORECAST_BUDGET) / 61))).toEqual([
      0,
      1,
      ...every(3).slice(1),
    ]);
  });

  it('computes every 10th day for the largest scopes, however large', () => {
    const tenth = [0, 1, 10, 20, 30, 40, 50, 60];
    expect(forecastDays(400_000)).toEqual(tenth);
    expect(forecastDays(1, 1)).toEqual(tenth);
  });
});

describe('when the forecast reads the learner × module rows', () => {
  it('reads them on every 10th day once it would skip days anyway', () => {
    expect(PAIR_DAYS).toEqual([0, 1, 10, 20, 30, 40, 50, 60]);
    expect(readsPairs(32_786)).toBe(false);
    expect(readsPairs(32_787)).toBe(true);
    expect(readsPairs(400_000)).toBe(true);
    expect(readsPairs(1, 1)).toBe(true);
  });
});
