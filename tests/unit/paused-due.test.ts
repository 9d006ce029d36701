import { describe, expect, it } from 'vitest';
import { pausedDue } from '../../shared/pauses';

const d = (iso: string) => new Date(`${iso}T09:00:00Z`);
/** A pause from the first day's 09:00 to the 09:00 after the last day (whole days, in UTC). */
const span = (from: string, to: string) => ({ start: d(from), end: d(to) });

describe('pausedDue', () => {
  const lastReview = d('2026-03-01');

  it('pushes a card due during or after a pause back by its length', () => {
    const week = span('2026-03-03', '2026-03-10');
    expect(pausedDue(d('2026-03-04'), lastReview, [week])).toEqual(d('2026-03-11'));
    expect(pausedDue(d('2026-03-20'), lastReview, [week])).toEqual(d('2026-03-27'));
  });

  it('leaves a card due before the pause, or reviewed since it began', () => {
    const week = span('2026-03-03', '2026-03-10');
    expect(pausedDue(d('2026-03-02'), lastReview, [week])).toEqual(d('2026-03-02'));
    expect(pausedDue(d('2026-03-08'), d('2026-03-05'), [week])).toEqual(d('2026-03-08'));
  });

  it('a card pushed into a later pause is pushed again, whatever order the pauses come in', () => {
    const first = span('2026-03-03', '2026-03-10');
    const second = span('2026-03-12', '2026-03-14');
    // Due 5 March → 12 March (first pause), which falls in the second → 14 March.
    expect(pausedDue(d('2026-03-05'), lastReview, [second, first])).toEqual(d('2026-03-14'));
    // Due 2 March, before both: untouched, even though the second pause comes later.
    expect(pausedDue(d('2026-03-02'), lastReview, [second, first])).toEqual(d('2026-03-02'));
  });

  it('no pause, no change', () => {
    expect(pausedDue(d('2026-03-04'), lastReview, [])).toEqual(d('2026-03-04'));
  });
});
