/**
 * Event-anchored refreshers (DESIGN.md §5): a process used on known dates (month-end close)
 * should find the learner remembering it on the day. Pure: the review service decides with it,
 * and the review log keeps the result, so a replay needs no calendar.
 */
import { retrievability } from '../../shared/learning';
import { type NextUse, nextUseDates } from '../../shared/tools';

const DAY_MS = 86_400_000;
/** How many working days (Monday–Friday) before the use the refresher comes. */
export const ANCHOR_WORKING_DAYS = 2;

const utcDay = (d: Date) => Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function workingDaysBefore(dayMs: number, count: number): number {
  let d = dayMs;
  for (let left = count; left > 0;) {
    d -= DAY_MS;
    const weekday = new Date(d).getUTCDay();
    if (weekday !== 0 && weekday !== 6) left -= 1;
  }
  return d;
}

export interface AnchorInput {
  reviewedAt: Date;
  /** The scheduler's due date for the new memory. */
  due: Date;
  /** The new memory's stability, in days. */
  stability: number;
  desiredRetention: number;
  nextUse: NextUse;
}

/**
 * The earlier due date an event-anchored refresher asks for, or null to keep the scheduler's.
 * It applies when the process's next use (the first use date after the review's day) starts
 * before the due date and the predicted recall at the end of that day, counted from this
 * review, is under the desired retention. The refresher then comes two working days before the
 * use, at the review's time of day, never before tomorrow and never later than scheduled.
 * Calendar dates are UTC dates, like the next-use rules.
 */
export function anchoredDue(input: AnchorInput): Date | null {
  const { reviewedAt, due, stability, desiredRetention, nextUse } = input;
  const reviewDay = utcDay(reviewedAt);
  const [use] = nextUseDates(nextUse, isoDay(reviewDay + DAY_MS), 1);
  if (!use) return null;
  const useStart = Date.parse(`${use}T00:00:00Z`);
  if (useStart >= due.getTime()) return null;
  const daysToUseEnd = (useStart + DAY_MS - reviewedAt.getTime()) / DAY_MS;
  if (retrievability(daysToUseEnd, stability) >= desiredRetention) return null;
  const days = Math.max(
    1,
    Math.round((workingDaysBefore(useStart, ANCHOR_WORKING_DAYS) - reviewDay) / DAY_MS),
  );
  const anchored = new Date(reviewedAt.getTime() + days * DAY_MS);
  return anchored < due ? anchored : null;
}
