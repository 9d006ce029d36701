/**
 * Refreshers on working days (DESIGN.md §5): a due date that falls on one of the organisation's
 * days off moves to a working day. Pure: the review service applies it after the scheduler and
 * any event anchoring, and the review log keeps the moved date (`anchoredDue`), so a replay
 * needs no calendar.
 */
import {
  isWorkingDay,
  nextWorkingDay,
  previousWorkingDay,
  type WorkingCalendar,
} from '../../shared/calendar';
import { localDate, sameTimeOn } from '../lib/zoned-day';

/**
 * `due`, or, when it falls on a day off of `calendar`, the same time of day on the last working
 * day before it; when that day is the review's own day or earlier, on the first working day
 * after it instead (a refresher never comes back the day it was answered, nor before). Days are
 * calendar days in `timeZone`, the calendar's.
 *
 * Earlier rather than later, as the learning simulation chose (bench/learning, 300 learners ×
 * 40 cards × 180 days on a French calendar, seed 1, 2026-12-07, variant `days-off-earlier`
 * against Rappel without the move): 0.958× and 0.965× the everyday reviews at equal mean recall
 * for the two memory models the default weights misjudge (exponential fast forgetters, the
 * mixture), 1.001× for FSRS-shaped learners; the working day after gave 1.000× for all three.
 */
export function dueOnWorkingDay(
  due: Date,
  reviewedAt: Date,
  calendar: WorkingCalendar,
  timeZone: string,
): Date {
  const day = localDate(due, timeZone);
  if (isWorkingDay(calendar, day)) return due;
  const reviewDay = localDate(reviewedAt, timeZone);
  const before = previousWorkingDay(calendar, day);
  const target =
    before > reviewDay ? before : nextWorkingDay(calendar, day > reviewDay ? day : reviewDay);
  return sameTimeOn(due, target, timeZone);
}

/**
 * What "overdue since" says of a refresher that fell due at `due`: its due date, or, when that
 * was a day off of `calendar`, the same time of day on the first working day after it (nobody
 * falls behind on a Sunday). Whether it is overdue at all is shared/calendar.ts
 * `overdueWorkingDays`.
 */
export function overdueFrom(due: Date, calendar: WorkingCalendar, timeZone: string): Date {
  const day = localDate(due, timeZone);
  if (isWorkingDay(calendar, day)) return due;
  return sameTimeOn(due, nextWorkingDay(calendar, day), timeZone);
}
