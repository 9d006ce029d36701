import { describe, expect, it } from 'vitest';
import { makeCalendar, type WorkingCalendar, weekdaysOnlyCalendar } from '../../shared/calendar';
import { type NextUse, type NextUseRule, nextUseDates } from '../../shared/tools';
import { holidayLookup } from '../../server/calendar/holidays';
import { anchoredDue } from '../../server/srs/anchor';

const place = (country: string, region?: string) =>
  makeCalendar({ holidays: holidayLookup({ country, region }) });
const france = place('FR');
const us = place('US');
const saxony = place('DE', 'SN');
const newZealand = place('NZ');
const rule = (r: NextUseRule): NextUse => ({ kind: 'rule', rule: r });

describe('next-use rules on the organisation’s calendar', () => {
  it.each<[string, WorkingCalendar, NextUseRule, string, string[], string[]]>([
    // name, calendar, rule, from, with the calendar, Monday–Friday only
    [
      'Memorial Day (Monday 31 May 2027) moves the US month-end close to Friday',
      us,
      'last-working-day-of-month',
      '2027-05-01',
      ['2027-05-28', '2027-06-30'],
      ['2027-05-31', '2027-06-30'],
    ],
    [
      'Reformation Day (Friday 31 Oct 2025) in Saxony',
      saxony,
      'last-working-day-of-month',
      '2025-10-01',
      ['2025-10-30'],
      ['2025-10-31'],
    ],
    [
      'New Year observed on Friday 31 Dec 2027 moves the US quarter end',
      us,
      'last-working-day-of-quarter',
      '2027-10-01',
      ['2027-12-30', '2028-03-31'],
      ['2027-12-31', '2028-03-31'],
    ],
    [
      '1 May 2026 on a Friday: May starts on Monday 4',
      france,
      'first-working-day-of-month',
      '2026-04-15',
      ['2026-05-04', '2026-06-01'],
      ['2026-05-01', '2026-06-01'],
    ],
    [
      'New Year 2027 (a Friday): January starts on Monday 4',
      france,
      'first-working-day-of-month',
      '2026-12-15',
      ['2027-01-04', '2027-02-01'],
      ['2027-01-01', '2027-02-01'],
    ],
    [
      'All Saints’ Day on Monday 1 Nov 2027',
      france,
      'first-working-day-of-month',
      '2027-10-15',
      ['2027-11-02'],
      ['2027-11-01'],
    ],
    [
      'a French year end: 31 Dec 2026 is worked (not a holiday in France)',
      france,
      'last-working-day-of-month',
      '2026-12-01',
      ['2026-12-31', '2027-01-29'],
      ['2026-12-31', '2027-01-29'],
    ],
  ])('%s', (_, cal, r, from, withCalendar, weekdaysOnly) => {
    expect(nextUseDates(cal, rule(r), from, withCalendar.length)).toEqual(withCalendar);
    expect(nextUseDates(weekdaysOnlyCalendar, rule(r), from, weekdaysOnly.length)).toEqual(
      weekdaysOnly,
    );
  });

  it('a closure at a month end moves the close before it; a month closed throughout has none', () => {
    const lateAugust = makeCalendar({
      closures: [{ startsOn: '2026-08-24', endsOn: '2026-09-02', label: 'Shutdown' }],
    });
    expect(nextUseDates(lateAugust, rule('last-working-day-of-month'), '2026-08-01', 2)).toEqual([
      '2026-08-21',
      '2026-09-30',
    ]);
    expect(nextUseDates(lateAugust, rule('first-working-day-of-month'), '2026-08-15', 2)).toEqual([
      '2026-09-03',
      '2026-10-01',
    ]);
    const allAugust = makeCalendar({
      closures: [{ startsOn: '2026-08-01', endsOn: '2026-08-31', label: 'Août' }],
    });
    expect(nextUseDates(allAugust, rule('last-working-day-of-month'), '2026-08-01', 2)).toEqual([
      '2026-09-30',
      '2026-10-30',
    ]);
  });

  it('a Tuesday–Saturday week closes on a Saturday', () => {
    // 31 Oct 2026 is a Saturday, 30 Nov 2026 a Monday.
    const shop = makeCalendar({ workingWeekdays: [2, 3, 4, 5, 6] });
    expect(nextUseDates(shop, rule('last-working-day-of-month'), '2026-10-01', 2)).toEqual([
      '2026-10-31',
      '2026-11-28',
    ]);
  });

  it('explicit dates are kept as given, holidays or not', () => {
    const dates: NextUse = { kind: 'dates', dates: ['2026-05-01', '2026-07-14'] };
    expect(nextUseDates(france, dates, '2026-01-01', 5)).toEqual(['2026-05-01', '2026-07-14']);
  });
});

describe('event-anchored refreshers on the organisation’s calendar', () => {
  // Low stability: recall on the use day is always under the target here.
  const base = { useDayTarget: 0.9, stability: 3 };

  it.each<[string, WorkingCalendar, NextUse, string, string, string]>([
    // name, calendar, use, reviewed at, due, anchored with the calendar
    [
      '14 July between the anchor and a Wednesday use: Friday before, not Monday',
      france,
      { kind: 'dates', dates: ['2026-07-15'] },
      '2026-07-06T08:00:00Z',
      '2026-07-20T08:00:00Z',
      '2026-07-10T08:00:00Z',
    ],
    [
      'Easter Monday 2027 skipped when counting back from Wednesday 31 March',
      france,
      { kind: 'dates', dates: ['2027-03-31'] },
      '2027-03-22T08:00:00Z',
      '2027-04-05T08:00:00Z',
      '2027-03-26T08:00:00Z',
    ],
    [
      'the US close moved by Memorial Day moves its refresher',
      us,
      rule('last-working-day-of-month'),
      '2027-05-17T15:00:00Z',
      '2027-06-05T15:00:00Z',
      '2027-05-26T15:00:00Z',
    ],
  ])('%s', (_, calendar, nextUse, reviewedAt, due, anchored) => {
    const input = {
      ...base,
      reviewedAt: new Date(reviewedAt),
      due: new Date(due),
      nextUse,
      timeZone: 'UTC',
    };
    expect(anchoredDue({ ...input, calendar })).toEqual(new Date(anchored));
    expect(anchoredDue({ ...input, calendar: weekdaysOnlyCalendar })).not.toEqual(
      new Date(anchored),
    );
  });

  it('days are the organisation’s: a review on Monday morning in Auckland is Sunday in UTC', () => {
    // 20:00 UTC on Sunday 1 March 2026 is 09:00 on Monday 2 March in Auckland (UTC+13).
    const input = {
      ...base,
      reviewedAt: new Date('2026-03-01T20:00:00Z'),
      due: new Date('2026-03-20T20:00:00Z'),
      nextUse: { kind: 'dates', dates: ['2026-03-02', '2026-03-09'] } as NextUse,
      calendar: newZealand,
    };
    // In Auckland the 2 March use is today's: the next, Monday 9, is anchored on Thursday 5
    // (09:00 there).
    expect(anchoredDue({ ...input, timeZone: 'Pacific/Auckland' })).toEqual(
      new Date('2026-03-04T20:00:00Z'),
    );
    // Read in UTC, the review is on Sunday 1 March and Thursday 5 March four days later: 09:00
    // on Friday 6 March in Auckland, one working day before the use instead of two.
    expect(anchoredDue({ ...input, timeZone: 'UTC' })).toEqual(new Date('2026-03-05T20:00:00Z'));
  });
});
