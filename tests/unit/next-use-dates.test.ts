import { describe, expect, it } from 'vitest';
import { weekdaysOnlyCalendar as weekdays } from '../../shared/calendar';
import { type NextUse, nextUseDates, nextUseSchema } from '../../shared/tools';

const rule = (r: Extract<NextUse, { kind: 'rule' }>['rule']): NextUse => ({
  kind: 'rule',
  rule: r,
});

// Monday to Friday without holidays; holidays and closures: tests/unit/calendar-next-use.test.ts.
describe('nextUseDates', () => {
  it.each([
    // from, expected: month ends on a Saturday and a Sunday move back to Friday.
    ['2026-01-01', ['2026-01-30', '2026-02-27', '2026-03-31', '2026-04-30', '2026-05-29']],
    // A leap February ending on a Thursday stays on the 29th.
    ['2024-02-01', ['2024-02-29', '2024-03-29', '2024-04-30']],
    // `from` on the date itself counts; the day after skips to the next month.
    ['2026-02-27', ['2026-02-27', '2026-03-31']],
    ['2026-02-28', ['2026-03-31', '2026-04-30']],
    // Across a year end.
    ['2025-12-15', ['2025-12-31', '2026-01-30']],
  ])('last working day of the month from %s', (from, expected) => {
    expect(
      nextUseDates(weekdays, rule('last-working-day-of-month'), from, expected.length),
    ).toEqual(expected);
  });

  it.each([
    // 1 Feb and 1 Mar 2026 are Sundays; 1 Nov 2025 is a Saturday.
    ['2026-01-15', ['2026-02-02', '2026-03-02', '2026-04-01']],
    ['2025-10-02', ['2025-11-03', '2025-12-01', '2026-01-01']],
    ['2026-03-02', ['2026-03-02', '2026-04-01']],
  ])('first working day of the month from %s', (from, expected) => {
    expect(
      nextUseDates(weekdays, rule('first-working-day-of-month'), from, expected.length),
    ).toEqual(expected);
  });

  it.each([
    // 2024: 31 March and 30 June are Sundays.
    ['2024-01-01', ['2024-03-29', '2024-06-28', '2024-09-30', '2024-12-31']],
    ['2026-04-01', ['2026-06-30', '2026-09-30', '2026-12-31', '2027-03-31']],
    // 31 Dec 2023 is a Sunday; from the Friday itself, it is the first date.
    ['2023-12-29', ['2023-12-29', '2024-03-29']],
    ['2023-12-30', ['2024-03-29']],
  ])('last working day of the quarter from %s', (from, expected) => {
    expect(
      nextUseDates(weekdays, rule('last-working-day-of-quarter'), from, expected.length),
    ).toEqual(expected);
  });

  it('explicit dates: those from `from` on, at most `count`', () => {
    const nextUse: NextUse = {
      kind: 'dates',
      dates: ['2026-01-10', '2026-03-02', '2026-06-15', '2026-09-01'],
    };
    expect(nextUseDates(weekdays, nextUse, '2026-03-02', 2)).toEqual(['2026-03-02', '2026-06-15']);
    expect(nextUseDates(weekdays, nextUse, '2026-03-03', 10)).toEqual(['2026-06-15', '2026-09-01']);
    expect(nextUseDates(weekdays, nextUse, '2027-01-01', 5)).toEqual([]);
  });

  it('no next use gives no dates; count is honoured exactly', () => {
    expect(nextUseDates(weekdays, { kind: 'none' }, '2026-03-02', 5)).toEqual([]);
    expect(nextUseDates(weekdays, rule('last-working-day-of-month'), '2026-03-02', 0)).toEqual([]);
    expect(
      nextUseDates(weekdays, rule('last-working-day-of-month'), '2026-01-01', 100),
    ).toHaveLength(100);
  });
});

describe('nextUseSchema', () => {
  it('accepts sorted, unique, real calendar dates', () => {
    expect(nextUseSchema.safeParse({ kind: 'dates', dates: ['2024-02-29'] }).success).toBe(true);
  });

  it.each([
    ['unsorted', { kind: 'dates', dates: ['2026-03-02', '2026-01-01'] }],
    ['duplicate', { kind: 'dates', dates: ['2026-03-02', '2026-03-02'] }],
    ['empty', { kind: 'dates', dates: [] }],
    ['not a date', { kind: 'dates', dates: ['2026-02-30'] }],
    ['not a leap year', { kind: 'dates', dates: ['2026-02-29'] }],
    ['with a time', { kind: 'dates', dates: ['2026-03-02T00:00:00Z'] }],
    [
      'too many',
      { kind: 'dates', dates: Array.from({ length: 101 }, (_, i) => `${2000 + i}-01-01`) },
    ],
    ['unknown rule', { kind: 'rule', rule: 'every-full-moon' }],
    ['unknown kind', { kind: 'weekly' }],
  ])('refuses %s', (_, value) => {
    expect(nextUseSchema.safeParse(value).success).toBe(false);
  });
});
