import { describe, expect, it } from 'vitest';
import {
  scheduledStory,
  underNow,
} from '../../web/routes/(app)/o/[orgId]/dashboards/forecast/story';

/** A forecast from day 0, one day apart, from the two curves' values. */
function points(without: number[], withScheduled: number[]) {
  return without.map((w, day) => ({
    day,
    date: `2026-03-${String(2 + day).padStart(2, '0')}`,
    withoutReviews: w,
    withScheduled: withScheduled[day]!,
  }));
}

describe('the forecast told in words', () => {
  it('says when a team above the target falls under it', () => {
    const p = points([0.95, 0.92, 0.89], [0.95, 0.93, 0.91]);
    expect(underNow(p, 0.9)).toBe(false);
    expect(scheduledStory(p, 0.9)).toEqual({ kind: 'holds' });
    expect(scheduledStory(points([0.95, 0.9, 0.85], [0.95, 0.9, 0.88]), 0.9)).toEqual({
      kind: 'crosses',
      on: '2026-03-04',
    });
  });

  it('tells a team under the target today when the refreshers lift it back, and the next drop', () => {
    const p = points([0.8, 0.78, 0.76, 0.75], [0.8, 0.94, 0.91, 0.89]);
    expect(underNow(p, 0.9)).toBe(true);
    expect(scheduledStory(p, 0.9)).toEqual({
      kind: 'recovers',
      on: '2026-03-03',
      again: '2026-03-05',
    });
    expect(scheduledStory(points([0.8, 0.78], [0.8, 0.93]), 0.9)).toEqual({
      kind: 'recovers',
      on: '2026-03-03',
      again: null,
    });
  });

  it('says when even the scheduled refreshers leave it under the target', () => {
    expect(scheduledStory(points([0.8, 0.7], [0.8, 0.85]), 0.9)).toEqual({ kind: 'stays-under' });
  });

  it('counts the target itself as reached, like the API', () => {
    expect(scheduledStory(points([0.9, 0.9], [0.9, 0.9]), 0.9)).toEqual({ kind: 'holds' });
    expect(underNow(points([0.9], [0.9]), 0.9)).toBe(false);
  });
});
