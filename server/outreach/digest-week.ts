/**
 * When the weekly digest is due, in each organisation's own time zone and working days: on the
 * first working day of the ISO week (Monday, unless Monday is a day off), from DIGEST_HOUR in
 * the morning. Pure: calendar dates are `YYYY-MM-DD` strings, the working-day rule is passed in.
 */
import { addDays, isoWeekday } from '../../shared/calendar';
import { localDate } from '../lib/zoned-day';

/** The local hour from which the digest goes out on its day. */
export const DIGEST_HOUR = 7;

const MS_PER_DAY = 86_400_000;

/** The Monday of `date`'s ISO week. */
export function mondayOf(date: string): string {
  return addDays(date, 1 - isoWeekday(date));
}

/** `date`'s ISO week, `2026-W50`: the year is the one of the week's Thursday. */
export function isoWeek(date: string): string {
  const thursday = new Date(`${addDays(mondayOf(date), 3)}T00:00:00Z`);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * MS_PER_DAY)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/**
 * The day of the week starting on `monday` on which its digest goes out: the first working
 * day; null when the whole week is off (a closure): no digest that week.
 */
export function digestDay(monday: string, isWorkingDay: (date: string) => boolean): string | null {
  for (let i = 0; i < 7; i++) {
    const day = addDays(monday, i);
    if (isWorkingDay(day)) return day;
  }
  return null;
}

const hourFormats = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock hour (0–23) of `instant` in `timeZone`. */
function localHour(instant: Date, timeZone: string): number {
  let format = hourFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', hour: '2-digit' });
    hourFormats.set(timeZone, format);
  }
  return Number(format.format(instant));
}

/**
 * The week whose digest is due at `now` in an organisation of `timeZone`: its ISO week and
 * Monday once its digest day's DIGEST_HOUR has passed there, and for the rest of that week (a
 * server that was down on Monday morning sends it when it is back); null before, and in a week
 * without a working day.
 */
export function dueDigestWeek(
  now: Date,
  timeZone: string,
  isWorkingDay: (date: string) => boolean,
): { week: string; monday: string } | null {
  const today = localDate(now, timeZone);
  const monday = mondayOf(today);
  const day = digestDay(monday, isWorkingDay);
  if (day === null || today < day) return null;
  if (today === day && localHour(now, timeZone) < DIGEST_HOUR) return null;
  return { week: isoWeek(monday), monday };
}

/** The job (and notification) key of `userId`'s digest of `orgId` for ISO week `week`. */
export const digestKey = (orgId: string, userId: string, week: string) =>
  `digest:${orgId}:${userId}:${week}`;
