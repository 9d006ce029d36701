import { describe, expect, it } from 'vitest';
import { isWorkingDay, makeCalendar } from '../../shared/calendar';
import { calendarOf } from '../../server/calendar/service';
import { digestDay, dueDigestWeek, isoWeek, mondayOf } from '../../server/outreach/digest-week';

const weekdays = makeCalendar({});
const works =
  (cal = weekdays) =>
  (date: string) =>
    isWorkingDay(cal, date);
const france = calendarOf(
  {
    orgId: '00000000-0000-0000-0000-000000000001',
    timeZone: 'Europe/Paris',
    country: 'FR',
    region: null,
    workingWeekdays: [1, 2, 3, 4, 5],
  },
  [],
);

describe('ISO weeks', () => {
  it.each([
    ['2026-03-02', '2026-W10', '2026-03-02'],
    ['2026-03-08', '2026-W10', '2026-03-02'],
    // The week of 1 January 2027 (a Friday) is the last one of 2026.
    ['2027-01-01', '2026-W53', '2026-12-28'],
    ['2027-01-04', '2027-W01', '2027-01-04'],
    // 29 December 2025 is in the first week of 2026 (its Thursday is 1 January).
    ['2025-12-29', '2026-W01', '2025-12-29'],
  ])('%s is in %s, which starts on %s', (date, week, monday) => {
    expect(isoWeek(date)).toBe(week);
    expect(mondayOf(date)).toBe(monday);
  });
});

describe('the digest day', () => {
  it('is Monday when Monday is worked', () => {
    expect(digestDay('2026-03-02', works())).toBe('2026-03-02');
  });

  it('is Tuesday after Easter Monday in France', () => {
    expect(digestDay('2026-04-06', works(france))).toBe('2026-04-07');
    expect(digestDay('2026-04-06', works())).toBe('2026-04-06');
  });

  it('follows the working weekdays: a Tuesday-to-Saturday organisation gets it on Tuesday', () => {
    const cal = makeCalendar({ workingWeekdays: [2, 3, 4, 5, 6] });
    expect(digestDay('2026-03-02', works(cal))).toBe('2026-03-03');
  });

  it('is none in a week closed from end to end', () => {
    const cal = makeCalendar({
      closures: [{ startsOn: '2026-08-03', endsOn: '2026-08-09', label: 'Summer' }],
    });
    expect(digestDay('2026-08-03', works(cal))).toBeNull();
    expect(dueDigestWeek(new Date('2026-08-07T12:00:00Z'), 'Europe/Paris', works(cal))).toBeNull();
  });
});

describe('when the digest is due', () => {
  const paris = (iso: string) => dueDigestWeek(new Date(iso), 'Europe/Paris', works());

  it('from 07:00 on Monday in the organisation’s zone, for the rest of the week', () => {
    // 06:59 and 07:00 in Paris (UTC+1 in March).
    expect(paris('2026-03-02T05:59:00Z')).toBeNull();
    expect(paris('2026-03-02T06:00:00Z')).toEqual({ week: '2026-W10', monday: '2026-03-02' });
    expect(paris('2026-03-05T10:00:00Z')).toEqual({ week: '2026-W10', monday: '2026-03-02' });
    // Sunday night in Paris is still that week; Monday 00:30 is the next one, not yet due.
    expect(paris('2026-03-08T22:30:00Z')).toEqual({ week: '2026-W10', monday: '2026-03-02' });
    expect(paris('2026-03-08T23:30:00Z')).toBeNull();
  });

  it('in each zone’s own morning', () => {
    const at = new Date('2026-03-02T06:00:00Z');
    expect(dueDigestWeek(at, 'America/New_York', works())).toBeNull();
    // The Sunday before in New York: still the previous week, whose digest went out.
    expect(dueDigestWeek(new Date('2026-03-02T03:00:00Z'), 'America/New_York', works())).toEqual({
      week: '2026-W09',
      monday: '2026-02-23',
    });
    expect(dueDigestWeek(new Date('2026-03-02T12:00:00Z'), 'America/New_York', works())).toEqual({
      week: '2026-W10',
      monday: '2026-03-02',
    });
    expect(dueDigestWeek(new Date('2026-03-01T22:00:00Z'), 'Asia/Tokyo', works())).toEqual({
      week: '2026-W10',
      monday: '2026-03-02',
    });
  });

  it('on the Tuesday after a Monday off, not on the Monday', () => {
    const due = (iso: string) => dueDigestWeek(new Date(iso), 'Europe/Paris', works(france));
    // Easter Monday 2026, then Tuesday 7 April at 07:00 in Paris (UTC+2).
    expect(due('2026-04-06T10:00:00Z')).toBeNull();
    expect(due('2026-04-07T04:59:00Z')).toBeNull();
    expect(due('2026-04-07T05:00:00Z')).toEqual({ week: '2026-W15', monday: '2026-04-06' });
  });
});
