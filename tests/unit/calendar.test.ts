import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  calendarFromDaysOff,
  dayOffReason,
  daysOffBetween,
  isoWeekday,
  isWorkingDay,
  makeCalendar,
  nextWorkingDay,
  previousWorkingDay,
  type WorkingCalendar,
} from '../../shared/calendar';
import {
  countries,
  holidayLookup,
  isKnownPlace,
  publicHolidays,
  publicHolidaysBetween,
} from '../../server/calendar/holidays';
import { localDate } from '../../server/lib/zoned-day';

const france = makeCalendar({ holidays: holidayLookup({ country: 'FR' }, 'fr') });
const bavaria = makeCalendar({ holidays: holidayLookup({ country: 'DE', region: 'BY' }) });
const germany = makeCalendar({ holidays: holidayLookup({ country: 'DE' }) });
/** A shop open Tuesday to Saturday. */
const shop = makeCalendar({
  workingWeekdays: [2, 3, 4, 5, 6],
  holidays: holidayLookup({ country: 'FR' }, 'fr'),
});
/** France with an August shutdown that runs into September. */
const shutdown = makeCalendar({
  holidays: holidayLookup({ country: 'FR' }, 'fr'),
  closures: [{ startsOn: '2026-08-17', endsOn: '2026-09-04', label: 'Fermeture estivale' }],
});

describe('the holidays adapter (date-holidays)', () => {
  it.each([
    ['FR', null, '2027-03-29', 'Lundi de Pâques', 'fr'],
    ['FR', null, '2026-05-01', 'Fête du travail', 'fr'],
    ['FR', null, '2026-07-14', 'Bastille Day', 'en'],
    ['FR', null, '2026-12-25', 'Noël', 'fr'],
    ['FR', null, '2027-01-01', 'Nouvel An', 'fr'],
    ['DE', 'BY', '2026-01-06', 'Epiphany', 'en'],
    ['DE', 'BY', '2026-06-04', 'Corpus Christi', 'en'],
    ['DE', 'SN', '2025-10-31', 'Reformation Day', 'en'],
    ['US', null, '2027-05-31', 'Memorial Day', 'en'],
  ])('%s %s: %s is %s', (country, region, date, name, lang) => {
    const year = Number(date.slice(0, 4));
    expect(publicHolidays({ country, region }, year, lang).get(date)).toBe(name);
  });

  it('a region adds its own holidays to the country’s, and only there', () => {
    expect(publicHolidays({ country: 'DE' }, 2026).has('2026-01-06')).toBe(false);
    expect(publicHolidays({ country: 'DE', region: 'BY' }, 2026).has('2026-01-06')).toBe(true);
    expect(publicHolidays({ country: 'DE', region: 'BY' }, 2026).has('2026-10-03')).toBe(true);
  });

  it('keeps public holidays only (no observances, no bank holidays)', () => {
    const fr = publicHolidays({ country: 'FR' }, 2026);
    // Mother's Day and Easter Sunday are observances in France.
    expect(fr.has('2026-05-31')).toBe(false);
    expect(fr.has('2026-04-05')).toBe(false);
    expect(fr.size).toBe(11);
  });

  it('spans several years and caches each', () => {
    const span = publicHolidaysBetween({ country: 'FR' }, 2026, 2027);
    expect(span.get('2026-12-25')).toBe('Christmas Day');
    expect(span.get('2027-01-01')).toBe("New Year's Day");
    expect(publicHolidays({ country: 'FR' }, 2027)).toBe(publicHolidays({ country: 'FR' }, 2027));
  });

  it('knows places and refuses unknown ones', () => {
    expect(isKnownPlace({ country: 'FR' })).toBe(true);
    expect(isKnownPlace({ country: 'DE', region: 'BY' })).toBe(true);
    expect(isKnownPlace({ country: 'DE', region: 'XX' })).toBe(false);
    expect(isKnownPlace({ country: 'ZZ' })).toBe(false);
    expect(publicHolidays({ country: 'ZZ' }, 2026).size).toBe(0);
  });

  it('lists countries with their regions, named in the language asked', () => {
    const fr = countries('fr').find((c) => c.code === 'DE')!;
    const en = countries('en').find((c) => c.code === 'DE')!;
    expect(fr.name).toBe('Allemagne');
    expect(en.name).toBe('Germany');
    expect(en.regions).toContainEqual({ code: 'BY', name: expect.any(String) });
    expect(countries('en').length).toBeGreaterThan(100);
  });
});

describe('working days', () => {
  it.each<[string, WorkingCalendar, string, ReturnType<typeof dayOffReason>]>([
    ['Easter Monday 2027', france, '2027-03-29', { kind: 'holiday', name: 'Lundi de Pâques' }],
    ['1 May 2026, a Friday', france, '2026-05-01', { kind: 'holiday', name: 'Fête du travail' }],
    [
      '14 July 2026',
      france,
      '2026-07-14',
      { kind: 'holiday', name: 'Fête Nationale de la France' },
    ],
    ['Christmas 2026', france, '2026-12-25', { kind: 'holiday', name: 'Noël' }],
    ['New Year 2027', france, '2027-01-01', { kind: 'holiday', name: 'Nouvel An' }],
    ['a Saturday', france, '2026-03-07', { kind: 'weekend' }],
    ['a Sunday', france, '2026-03-08', { kind: 'weekend' }],
    ['a Monday', france, '2026-03-09', null],
    ['Epiphany in Bavaria', bavaria, '2026-01-06', { kind: 'holiday', name: 'Epiphany' }],
    ['Epiphany elsewhere in Germany', germany, '2026-01-06', null],
    ['a Saturday for a shop', shop, '2026-03-07', null],
    ['a Monday for a shop', shop, '2026-03-09', { kind: 'weekend' }],
    ['in a closure', shutdown, '2026-08-31', { kind: 'closure', label: 'Fermeture estivale' }],
    [
      'a closure’s last day',
      shutdown,
      '2026-09-04',
      { kind: 'closure', label: 'Fermeture estivale' },
    ],
    ['after a closure', shutdown, '2026-09-07', null],
  ])('%s (%s)', (_, cal, date, reason) => {
    expect(dayOffReason(cal, date)).toEqual(reason);
    expect(isWorkingDay(cal, date)).toBe(reason === null);
  });

  it('a holiday on a week end is named as the holiday', () => {
    expect(dayOffReason(france, '2026-08-15')).toEqual({ kind: 'holiday', name: 'Assomption' });
  });

  it.each<[string, WorkingCalendar, string, string, string]>([
    // from, next, previous
    ['over a week end', france, '2026-03-06', '2026-03-09', '2026-03-05'],
    ['over 1 May on a Friday', france, '2026-04-30', '2026-05-04', '2026-04-29'],
    ['over Easter Monday 2027', france, '2027-03-26', '2027-03-30', '2027-03-25'],
    ['over Christmas and the year end', france, '2026-12-24', '2026-12-28', '2026-12-23'],
    ['over New Year 2027 (a Friday)', france, '2026-12-31', '2027-01-04', '2026-12-30'],
    ['over 14 July 2026 (a Tuesday)', france, '2026-07-13', '2026-07-15', '2026-07-10'],
    ['a shop over its Sunday and Monday', shop, '2026-03-07', '2026-03-10', '2026-03-06'],
    ['across a closure over a month end', shutdown, '2026-08-14', '2026-09-07', '2026-08-13'],
  ])('next and previous working day %s', (_, cal, from, next, previous) => {
    expect(nextWorkingDay(cal, from)).toBe(next);
    expect(previousWorkingDay(cal, from)).toBe(previous);
  });

  it('includeSelf keeps a working day and moves a day off', () => {
    expect(nextWorkingDay(france, '2026-03-09', { includeSelf: true })).toBe('2026-03-09');
    expect(previousWorkingDay(france, '2026-03-09', { includeSelf: true })).toBe('2026-03-09');
    expect(nextWorkingDay(france, '2026-05-01', { includeSelf: true })).toBe('2026-05-04');
    expect(previousWorkingDay(france, '2026-05-01', { includeSelf: true })).toBe('2026-04-30');
    expect(previousWorkingDay(shutdown, '2026-09-01', { includeSelf: true })).toBe('2026-08-14');
  });

  it.each<[WorkingCalendar, string, number, string]>([
    [france, '2026-03-06', 1, '2026-03-09'],
    [france, '2026-03-09', -1, '2026-03-06'],
    [france, '2026-03-09', 0, '2026-03-09'],
    [france, '2026-04-29', 2, '2026-05-04'],
    [france, '2027-03-31', -2, '2027-03-26'],
    [france, '2026-12-23', 6, '2027-01-04'],
    [shop, '2026-03-06', 2, '2026-03-10'],
    [shutdown, '2026-08-13', 2, '2026-09-07'],
  ])('addWorkingDays, case %#', (cal, from, n, expected) => {
    expect(addWorkingDays(cal, from, n)).toBe(expected);
  });

  it('lists the days off of a range with their reasons, and rebuilds a calendar from them', () => {
    const days = daysOffBetween(france, '2026-04-30', '2026-05-10');
    expect(days.map((d) => d.date)).toEqual([
      '2026-05-01',
      '2026-05-02',
      '2026-05-03',
      '2026-05-08',
      '2026-05-09',
      '2026-05-10',
    ]);
    const rebuilt = calendarFromDaysOff([1, 2, 3, 4, 5], days);
    for (let d = 0; d < 11; d += 1) {
      const date = `2026-${d < 2 ? '04' : '05'}-${String(d < 2 ? 29 + d : d - 1).padStart(2, '0')}`;
      expect(isWorkingDay(rebuilt, date), date).toBe(isWorkingDay(france, date));
    }
  });

  it('a calendar with no working day at all fails loudly instead of looping', () => {
    const never = makeCalendar({ workingWeekdays: [] });
    expect(() => nextWorkingDay(never, '2026-03-09')).toThrow(RangeError);
  });

  it('ISO weekdays', () => {
    expect(['2026-03-09', '2026-03-14', '2026-03-15'].map(isoWeekday)).toEqual([1, 6, 7]);
  });
});

describe('calendar dates follow the organisation’s time zone', () => {
  // 11:30 UTC on 31 Dec 2026: already New Year's Day in Auckland, still a Thursday in Los
  // Angeles.
  const instant = new Date('2026-12-31T11:30:00Z');
  const newZealand = makeCalendar({ holidays: holidayLookup({ country: 'NZ' }) });
  const us = makeCalendar({ holidays: holidayLookup({ country: 'US' }) });

  it.each([
    ['Pacific/Auckland', newZealand, '2027-01-01', false],
    ['America/Los_Angeles', us, '2026-12-31', true],
  ] as const)('%s', (zone, cal, date, working) => {
    expect(localDate(instant, zone)).toBe(date);
    expect(isWorkingDay(cal, localDate(instant, zone))).toBe(working);
  });

  it('one minute before midnight in Los Angeles is still the day before', () => {
    // 07:59 UTC on 1 Jan 2027 is 23:59 on 31 Dec in Los Angeles (UTC-8).
    expect(localDate(new Date('2027-01-01T07:59:00Z'), 'America/Los_Angeles')).toBe('2026-12-31');
    expect(localDate(new Date('2027-01-01T08:00:00Z'), 'America/Los_Angeles')).toBe('2027-01-01');
  });
});
