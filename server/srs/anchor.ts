/**
 * Event-anchored refreshers (DESIGN.md §5): a process used on known dates (month-end close)
 * should find the learner remembering it on each day it is used. Pure: the review service
 * decides with it, and the review log keeps the result, so a replay needs no calendar.
 */
import { type WorkingCalendar, addDays, addWorkingDays, daysBetween } from '../../shared/calendar';
import { daysUntilRecall } from '../../shared/learning';
import { type NextUse, nextUseDates } from '../../shared/tools';
import { localDate, startOfDay } from '../lib/zoned-day';

const DAY_MS = 86_400_000;
/** How many of the organisation's working days before a use its refresher comes. */
export const ANCHOR_WORKING_DAYS = 2;
/**
 * The desired retention a process card is scheduled with while the process has a use ahead:
 * the use-day target, not the scheduler, decides when it comes back before a use, so between
 * uses it may fade further (never above the retention the card would otherwise have).
 */
export const BETWEEN_USES_RETENTION = 0.5;

export interface AnchorInput {
  reviewedAt: Date;
  /** The scheduler's due date for the new memory. */
  due: Date;
  /** The new memory's stability, in days. */
  stability: number;
  /** The recall to have at the end of each day the process is used. */
  useDayTarget: number;
  nextUse: NextUse;
  /** The organisation's working days, and the zone its calendar dates are in. */
  calendar: WorkingCalendar;
  timeZone: string;
  /** The forgetting curve's decay the memory follows (the organisation's weights; default FSRS-6's). */
  decay?: number;
  /** Working days between the refresher and the use; ANCHOR_WORKING_DAYS unless told. */
  leadWorkingDays?: number;
}

/**
 * The earlier due date an event-anchored refresher asks for, or null to keep the scheduler's.
 * Every use after the review's day and before the due date is checked: the first one at the end
 * of which predicted recall, counted from this review, is under the use-day target gets a
 * refresher two of the organisation's working days before it (a public holiday or closure in
 * between pushes it earlier), at the review's time of day, never before tomorrow and never
 * later than scheduled. Recall only falls until the next answer, so that first use is the only
 * one to look at: the refresher that comes before it checks the uses after it in turn. Days are
 * calendar days in the organisation's time zone.
 */
export function anchoredDue(input: AnchorInput): Date | null {
  const { reviewedAt, due, stability, useDayTarget, nextUse, calendar, timeZone, decay } = input;
  const reviewDay = localDate(reviewedAt, timeZone);
  // When recall falls to the target: the first use it misses is the first one ending (at the
  // midnight after it) later than that, that is the first use on or after that moment's day.
  const fadedAt = reviewedAt.getTime() + daysUntilRecall(stability, useDayTarget, decay) * DAY_MS;
  // No use that starts before the due date ends after this (a day lasts at most 25 hours).
  if (!(fadedAt < due.getTime() + DAY_MS + 3_600_000)) return null;
  const tomorrow = addDays(reviewDay, 1);
  const fadedDay = localDate(new Date(fadedAt), timeZone);
  const [use] = nextUseDates(calendar, nextUse, fadedDay > tomorrow ? fadedDay : tomorrow, 1);
  if (!use || startOfDay(use, timeZone).getTime() >= due.getTime()) return null;
  const lead = input.leadWorkingDays ?? ANCHOR_WORKING_DAYS;
  const anchorDay = addWorkingDays(calendar, use, -lead);
  const days = Math.max(1, daysBetween(reviewDay, anchorDay));
  const anchored = new Date(reviewedAt.getTime() + days * DAY_MS);
  return anchored < due ? anchored : null;
}

/**
 * The desired retention to schedule a card with: lowered to BETWEEN_USES_RETENTION (or
 * `betweenUses`) for a process card whose process has a use after the review's day.
 */
export function retentionBetweenUses(input: {
  retention: number;
  nextUse: NextUse | null;
  reviewedAt: Date;
  calendar: WorkingCalendar;
  timeZone: string;
  betweenUses?: number;
}): number {
  const { retention, nextUse, reviewedAt, calendar, timeZone } = input;
  if (!nextUse || nextUse.kind === 'none') return retention;
  const between = input.betweenUses ?? BETWEEN_USES_RETENTION;
  if (between >= retention) return retention;
  const from = addDays(localDate(reviewedAt, timeZone), 1);
  return nextUseDates(calendar, nextUse, from, 1).length ? between : retention;
}
