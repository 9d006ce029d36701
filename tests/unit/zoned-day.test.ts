import { describe, expect, it } from 'vitest';
import { localDate, startOfDay, zonedToday } from '../../server/lib/zoned-day';

describe("a learner's day in the organisation's time zone", () => {
  it('Paris: the day starts at 23:00 UTC in winter, 22:00 UTC in summer', () => {
    expect(zonedToday(new Date('2026-03-02T09:00:00Z'), 'Europe/Paris')).toEqual({
      date: '2026-03-02',
      end: new Date('2026-03-02T23:00:00Z'),
    });
    // 00:30 in Paris on 3 March, still 2 March in UTC.
    expect(localDate(new Date('2026-03-02T23:30:00Z'), 'Europe/Paris')).toBe('2026-03-03');
    expect(zonedToday(new Date('2026-07-14T12:00:00Z'), 'Europe/Paris').end).toEqual(
      new Date('2026-07-14T22:00:00Z'),
    );
  });

  it('days of 23 and 25 hours when the clocks change', () => {
    // 29 March 2026: 02:00 → 03:00 in Paris.
    expect(startOfDay('2026-03-29', 'Europe/Paris')).toEqual(new Date('2026-03-28T23:00:00Z'));
    expect(startOfDay('2026-03-30', 'Europe/Paris')).toEqual(new Date('2026-03-29T22:00:00Z'));
    // 25 October 2026: 03:00 → 02:00.
    expect(startOfDay('2026-10-26', 'Europe/Paris')).toEqual(new Date('2026-10-25T23:00:00Z'));
  });

  it('a zone whose clocks skip midnight starts the day at the jump', () => {
    // Santiago, 7 September 2025: 00:00 → 01:00 (UTC-4 → UTC-3).
    expect(startOfDay('2025-09-07', 'America/Santiago')).toEqual(new Date('2025-09-07T04:00:00Z'));
  });

  it('zones ahead of and behind UTC', () => {
    const now = new Date('2026-03-02T12:00:00Z');
    expect(zonedToday(now, 'America/New_York')).toEqual({
      date: '2026-03-02',
      end: new Date('2026-03-03T05:00:00Z'),
    });
    expect(zonedToday(now, 'Pacific/Kiritimati')).toEqual({
      date: '2026-03-03',
      end: new Date('2026-03-03T10:00:00Z'),
    });
    expect(zonedToday(now, 'UTC').end).toEqual(new Date('2026-03-03T00:00:00Z'));
  });
});
