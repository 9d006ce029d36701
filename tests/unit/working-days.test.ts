import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  isWorkingDay,
  lastOverdueDueDay,
  makeCalendar,
  overdueWorkingDays,
} from '../../shared/calendar';
import { holidayLookup } from '../../server/calendar/holidays';
import { localDate, sameTimeOn } from '../../server/lib/zoned-day';
import { dueOnWorkingDay } from '../../server/srs/working-days';

const PARIS = 'Europe/Paris';
const holidays = holidayLookup({ country: 'FR' }, 'fr');
const france = makeCalendar({ holidays });
/** France with a bridge: the Friday after Ascension Thursday 2027 closed. */
const bridge = makeCalendar({
  holidays,
  closures: [{ startsOn: '2027-05-07', endsOn: '2027-05-07', label: 'Pont' }],
});
/** France with the office closed from 21 December 2026 to 1 January 2027. */
const winterClosure = makeCalendar({
  holidays,
  closures: [{ startsOn: '2026-12-21', endsOn: '2027-01-01', label: 'Fermeture' }],
});

/** `hhmm` Paris time on `date`, in winter (UTC+1) or summer (UTC+2) time. */
const paris = (date: string, hhmm: string, summer = false) =>
  new Date(`${date}T${hhmm}:00${summer ? '+02:00' : '+01:00'}`);

/** The due of a review on `reviewDay` whose scheduler's due is `dueDay`, both at 09:15. */
const moved = (cal: typeof france, reviewDay: string, dueDay: string) =>
  localDate(dueOnWorkingDay(paris(dueDay, '09:15'), paris(reviewDay, '09:15'), cal, PARIS), PARIS);

describe('a refresher due on a day off moves to a working day', () => {
  it('a working day stays as it is, to the millisecond', () => {
    const due = new Date('2026-12-08T10:11:12.345Z');
    expect(dueOnWorkingDay(due, paris('2026-12-04', '10:00'), france, PARIS)).toBe(due);
  });

  it('reviewed on Friday, due on Saturday or Sunday: Monday (Friday is the review day)', () => {
    expect(moved(france, '2026-12-04', '2026-12-05')).toBe('2026-12-07');
    expect(moved(france, '2026-12-04', '2026-12-06')).toBe('2026-12-07');
  });

  it('reviewed earlier in the week, due on the weekend: the Friday before', () => {
    expect(moved(france, '2026-12-03', '2026-12-05')).toBe('2026-12-04');
    expect(moved(france, '2026-12-01', '2026-12-06')).toBe('2026-12-04');
    // A week end weeks away: the Friday before it, not the review's week.
    expect(moved(france, '2026-11-02', '2026-12-06')).toBe('2026-12-04');
  });

  it('a public holiday: the working day before, or after when that is the review day', () => {
    // Christmas, Friday 25 December 2026.
    expect(moved(france, '2026-12-22', '2026-12-25')).toBe('2026-12-24');
    expect(moved(france, '2026-12-24', '2026-12-25')).toBe('2026-12-28');
  });

  it('across the year end: New Year’s Day and the weekend after it', () => {
    // Friday 1 January 2027 is a holiday, then a weekend.
    expect(moved(france, '2026-12-29', '2027-01-01')).toBe('2026-12-31');
    expect(moved(france, '2026-12-29', '2027-01-03')).toBe('2026-12-31');
    expect(moved(france, '2026-12-31', '2027-01-01')).toBe('2027-01-04');
    expect(moved(france, '2026-12-31', '2027-01-02')).toBe('2027-01-04');
  });

  it('a bridge: Ascension Thursday, the Friday closed, then a Saturday holiday', () => {
    // Thursday 6 May 2027 Ascension, Friday 7 closed, Saturday 8 Victory in Europe Day.
    expect(moved(bridge, '2027-05-03', '2027-05-06')).toBe('2027-05-05');
    expect(moved(bridge, '2027-05-03', '2027-05-07')).toBe('2027-05-05');
    expect(moved(bridge, '2027-05-03', '2027-05-09')).toBe('2027-05-05');
    expect(moved(bridge, '2027-05-05', '2027-05-07')).toBe('2027-05-10');
    // Without the closure the Friday is worked.
    expect(moved(france, '2027-05-03', '2027-05-09')).toBe('2027-05-07');
  });

  it('a long run of days off: before it when possible, else after it', () => {
    // Closed 21 December to 1 January, then the weekend of 2–3 January.
    expect(moved(winterClosure, '2026-12-16', '2026-12-30')).toBe('2026-12-18');
    expect(moved(winterClosure, '2026-12-16', '2027-01-03')).toBe('2026-12-18');
    expect(moved(winterClosure, '2026-12-18', '2026-12-22')).toBe('2027-01-04');
    expect(moved(winterClosure, '2026-12-18', '2027-01-01')).toBe('2027-01-04');
  });

  it('a review answered on a day off itself: never back to that day or before', () => {
    // Answered on Sunday, due on the next Saturday: the Friday before it.
    expect(moved(france, '2026-12-06', '2026-12-12')).toBe('2026-12-11');
    // Answered on Saturday, due on Sunday: Monday.
    expect(moved(france, '2026-12-05', '2026-12-06')).toBe('2026-12-07');
  });

  it('keeps the time of day in the organisation’s zone', () => {
    const due = new Date('2026-12-05T17:42:07.123Z'); // Saturday 18:42:07.123 in Paris
    expect(dueOnWorkingDay(due, paris('2026-12-01', '08:00'), france, PARIS)).toEqual(
      new Date('2026-12-04T17:42:07.123Z'),
    );
  });

  it('keeps the wall-clock hour across the daylight-saving changes in Paris', () => {
    // Sunday 29 March 2026, 10:00 summer time → Friday 27 March, 10:00 winter time.
    expect(
      dueOnWorkingDay(
        paris('2026-03-29', '10:00', true),
        paris('2026-03-25', '10:00'),
        france,
        PARIS,
      ),
    ).toEqual(paris('2026-03-27', '10:00'));
    // Saturday 24 October 2026, 09:00 summer time, answered on Friday → Monday 26, 09:00 winter.
    expect(
      dueOnWorkingDay(
        paris('2026-10-24', '09:00', true),
        paris('2026-10-23', '08:00', true),
        france,
        PARIS,
      ),
    ).toEqual(paris('2026-10-26', '09:00'));
  });

  it('a wall-clock time the clocks skip comes out an hour off, on the day asked for', () => {
    // 02:30 on Saturday 28 March 2026; on Sunday 29 Paris goes from 02:00 straight to 03:00.
    const moved = sameTimeOn(paris('2026-03-28', '02:30'), '2026-03-29', PARIS);
    expect(moved).toEqual(new Date('2026-03-29T00:30:00Z'));
    expect(localDate(moved, PARIS)).toBe('2026-03-29');
    // Back again, and across the change to winter time on 25 October.
    expect(sameTimeOn(paris('2026-03-29', '10:00', true), '2026-03-20', PARIS)).toEqual(
      paris('2026-03-20', '10:00'),
    );
    expect(sameTimeOn(paris('2026-10-23', '23:30', true), '2026-10-26', PARIS)).toEqual(
      paris('2026-10-26', '23:30'),
    );
  });

  it('whatever the review and the due: a working day after the review’s day, never later than needed', () => {
    const start = Date.parse('2026-01-01T00:00:00Z');
    const instant = fc.integer({ min: 0, max: 2 * 365 * 86_400 }).map((s) => start + s * 1000);
    const lag = fc.integer({ min: 86_400, max: 120 * 86_400 });
    fc.assert(
      fc.property(instant, lag, (reviewMs, lagSeconds) => {
        const reviewedAt = new Date(reviewMs);
        const due = new Date(reviewMs + lagSeconds * 1000);
        const out = dueOnWorkingDay(due, reviewedAt, bridge, PARIS);
        const day = localDate(out, PARIS);
        const dueDay = localDate(due, PARIS);
        expect(isWorkingDay(bridge, day)).toBe(true);
        expect(day > localDate(reviewedAt, PARIS)).toBe(true);
        if (isWorkingDay(bridge, dueDay)) expect(out).toBe(due);
        // Moved earlier: to the last working day before the due's day.
        if (day < dueDay) {
          for (let d = addDays(day, 1); d < dueDay; d = addDays(d, 1)) {
            expect(isWorkingDay(bridge, d)).toBe(false);
          }
        }
        // Moved later only when no working day lies between the review's day and the due's.
        if (day > dueDay) {
          for (let d = addDays(localDate(reviewedAt, PARIS), 1); d < dueDay; d = addDays(d, 1)) {
            expect(isWorkingDay(bridge, d)).toBe(false);
          }
        }
        expect(sameTimeOn(due, day, PARIS)).toEqual(out);
      }),
      { seed: 13, numRuns: 500 },
    );
  });
});

describe('overdue counts working days', () => {
  it('due on Friday, seen on Monday: 1 working day; due on Sunday: none', () => {
    expect(overdueWorkingDays(france, '2026-12-04', '2026-12-07')).toBe(1);
    expect(overdueWorkingDays(france, '2026-12-06', '2026-12-07')).toBe(0);
    expect(overdueWorkingDays(france, '2026-12-06', '2026-12-08')).toBe(1);
    expect(overdueWorkingDays(france, '2026-12-07', '2026-12-07')).toBe(0);
    expect(overdueWorkingDays(france, '2026-12-08', '2026-12-07')).toBe(0);
  });

  it('holidays and closures do not count', () => {
    // Thursday 24 December to Tuesday 29: the 24th and Monday 28 (Christmas and the weekend not).
    expect(overdueWorkingDays(france, '2026-12-24', '2026-12-29')).toBe(2);
    // Due on Christmas Day, seen on Monday 28: not overdue yet.
    expect(overdueWorkingDays(france, '2026-12-25', '2026-12-28')).toBe(0);
    // Due on Friday 18 December, seen on 4 January after the winter closure: 1.
    expect(overdueWorkingDays(winterClosure, '2026-12-18', '2027-01-04')).toBe(1);
  });

  it('the last overdue due day is the working day before today, the same rule as the count', () => {
    expect(lastOverdueDueDay(france, '2026-12-07')).toBe('2026-12-04');
    expect(lastOverdueDueDay(france, '2026-12-29')).toBe('2026-12-28');
    expect(lastOverdueDueDay(winterClosure, '2027-01-04')).toBe('2026-12-18');
    for (const today of ['2026-12-07', '2026-12-08', '2026-12-28', '2027-01-04', '2027-05-10']) {
      const last = lastOverdueDueDay(bridge, today);
      for (let d = addDays(today, -30); d <= today; d = addDays(d, 1)) {
        expect(overdueWorkingDays(bridge, d, today) >= 1, `${d} on ${today}`).toBe(d <= last);
      }
    }
  });
});
