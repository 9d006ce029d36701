/**
 * Event-anchored refreshers (DESIGN.md §5): a process used on known dates (month-end close)
 * should find the learner remembering it on the day. Pure: the review service decides with it,
 * and the review log keeps the result, so a replay needs no calendar.
 */
import { type WorkingCalendar, addDays, addWorkingDays, daysBetween } from '../../shared/calendar';
import { retrievability } from '../../shared/learning';
import { type NextUse, nextUseDates } from '../../shared/tools';
import { localDate, startOfDay } from '../lib/zoned-day';

const DAY_MS = 86_400_000;
/** How many of the organisation's working days before the use the refresher comes. */
export const ANCHOR_WORKING_DAYS = 2;

export interface AnchorInput {
  reviewedAt: Date;
  /** The scheduler's due date for the new memory. */
  due: Date;
  /** The new memory's stability, in days. */
  stability: number;
  desiredRetention: number;
  nextUse: NextUse;
  /** The organisation's working days, and the zone its calendar dates are in. */
  calendar: WorkingCalendar;
  timeZone: string;
  /** The forgetting curve's decay the memory follows (the organisation's weights; default FSRS-6's). */
  decay?: number;
}

/**
 * The earlier due date an event-anchored refresher asks for, or null to keep the scheduler's.
 * It applies when the process's next use (the first use date after the review's day) starts
 * before the due date and the predicted recall at the end of that day, counted from this
 * review, is under the desired retention. The refresher then comes two of the organisation's
 * working days before the use (a public holiday or closure in between pushes it earlier), at
 * the review's time of day, never before tomorrow and never later than scheduled. Days are
 * calendar days in the organisation's time zone.
 */
export function anchoredDue(input: AnchorInput): Date | null {
  const { reviewedAt, due, stability, desiredRetention, nextUse, calendar, timeZone, decay } =
    input;
  const reviewDay = localDate(reviewedAt, timeZone);
  const [use] = nextUseDates(calendar, nextUse, addDays(reviewDay, 1), 1);
  if (!use) return null;
  const useStart = startOfDay(use, timeZone).getTime();
  if (useStart >= due.getTime()) return null;
  const useEnd = startOfDay(addDays(use, 1), timeZone).getTime();
  const daysToUseEnd = (useEnd - reviewedAt.getTime()) / DAY_MS;
  if (retrievability(daysToUseEnd, stability, decay) >= desiredRetention) return null;
  const anchorDay = addWorkingDays(calendar, use, -ANCHOR_WORKING_DAYS);
  const days = Math.max(1, daysBetween(reviewDay, anchorDay));
  const anchored = new Date(reviewedAt.getTime() + days * DAY_MS);
  return anchored < due ? anchored : null;
}
