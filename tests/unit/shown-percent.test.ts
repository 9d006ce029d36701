import { describe, expect, it } from 'vitest';
import { shownPercent } from '../../shared/percent';

describe('shownPercent', () => {
  it('shows whole percentages, against a target or not', () => {
    expect(shownPercent(0.873)).toEqual({ value: 0.873, digits: 0 });
    expect(shownPercent(0.873, 0.9)).toEqual({ value: 0.873, digits: 0 });
    expect(shownPercent(0.9, 0.9)).toEqual({ value: 0.9, digits: 0 });
    expect(shownPercent(0.93, 0.9)).toEqual({ value: 0.93, digits: 0 });
  });

  it('keeps one decimal, rounded down, for a value under the target that would round to it', () => {
    // 89.6 % would print "90 %" beside a 90 % target while coloured as under it.
    expect(shownPercent(0.896, 0.9)).toEqual({ value: 0.896, digits: 1 });
    // 89.96 % rounded to a decimal would still read 90.0 %: rounded down, 89.9 %.
    expect(shownPercent(0.8996, 0.9)).toEqual({ value: 0.899, digits: 1 });
    // Just under 89.5 % already prints 89 %.
    expect(shownPercent(0.8949, 0.9)).toEqual({ value: 0.8949, digits: 0 });
  });
});
