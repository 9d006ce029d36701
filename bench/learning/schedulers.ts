/**
 * The schedulers compared, behind one small interface: Rappel's, through its own functions
 * (the FSRS adapter, the answer-time rating, event anchoring, the Today order), with the
 * switches the simulation tests; and a fixed ladder as competitors sell it.
 */
import {
  daysBetween,
  isWorkingDay,
  nextWorkingDay,
  previousWorkingDay,
} from '../../shared/calendar';
import { rateAnswer, ratings } from '../../shared/learning';
import { anchoredDue } from '../../server/srs/anchor';
import { createScheduler, type Memory } from '../../server/srs/fsrs';
import { type MemoryCard, orderRefreshers, recallNow } from '../../server/learner/today';
import { localDate } from '../../server/lib/zoned-day';
import { calendar, DAY_MS, MONTH_END, TIME_ZONE } from './world';

export interface SimCard {
  index: number;
  expectedSeconds: number;
  /** Used only on the month-end close. */
  process: boolean;
}

/** A due card as Today's rules see it. */
export type DueCard = MemoryCard & { index: number };

/** One scheduler's memory of one card, whatever the scheduler keeps. */
export interface CardSchedule {
  due: Date;
  lastReview: Date;
  stability: number;
  retired: boolean;
}

export interface Scheduling<S extends CardSchedule> {
  /** The card's first answer, at the end of its lesson. */
  learn(card: SimCard, correct: boolean, durationMs: number, now: Date): S;
  /** A refresher answered. */
  answer(card: SimCard, state: S, correct: boolean, durationMs: number, now: Date): S;
  /** The scheduler's own predicted recall at `now`, or null when it predicts none. */
  predicted(state: S, now: Date): number | null;
  /** The order to do today's due refreshers in. */
  order(due: DueCard[], now: Date): DueCard[];
}

export type BacklogOrder = 'earliest-due' | 'lowest-recall';
export type DaysOffMove = 'none' | 'earlier' | 'later';
export type FastRating = 'easy' | 'good';

export interface RappelOptions {
  desiredRetention: number;
  order: BacklogOrder;
  daysOff: DaysOffMove;
  fast: FastRating;
}

/** Rappel as it schedules today. */
export const currentRappel: Omit<RappelOptions, 'desiredRetention'> = {
  order: 'earliest-due',
  daysOff: 'none',
  fast: 'easy',
};

/**
 * Lowest predicted recall first (critical modules still first, then earliest due, then id):
 * the order the simulation compares with Today's earliest-due-first. If it is chosen, it
 * belongs in `server/learner/today.ts` (or `shared/`) beside `orderRefreshers`.
 */
export function orderByLowestRecall<C extends MemoryCard>(cards: readonly C[], now: Date): C[] {
  const recall = new Map(cards.map((c) => [c, recallNow(c, now)]));
  return orderRefreshers(cards).sort(
    (x, y) => Number(y.critical) - Number(x.critical) || recall.get(x)! - recall.get(y)!,
  );
}

/**
 * A due date that falls on a day off moved to the working day before it (never before the day
 * after the review: then to the one after) or after it, at the same time of day.
 */
export function moveOffDaysOff(due: Date, reviewedAt: Date, way: 'earlier' | 'later'): Date {
  const day = localDate(due, TIME_ZONE);
  if (isWorkingDay(calendar, day)) return due;
  let target =
    way === 'earlier' ? previousWorkingDay(calendar, day) : nextWorkingDay(calendar, day);
  if (target <= localDate(reviewedAt, TIME_ZONE)) target = nextWorkingDay(calendar, day);
  return new Date(due.getTime() + daysBetween(day, target) * DAY_MS);
}

/** Rappel's scheduling with `options`; fuzz on as in production (ts-fsrs seeds it). */
export function rappel(options: RappelOptions): Scheduling<Memory & CardSchedule> {
  const scheduler = createScheduler({ fuzz: true });
  const retention = options.desiredRetention;
  const step = (card: SimCard, memory: Memory, correct: boolean, ms: number, now: Date) => {
    const rated = rateAnswer(correct, ms, card.expectedSeconds);
    const rating = options.fast === 'good' ? Math.min(rated, ratings.good) : rated;
    const next = scheduler.review(memory, rating, now, retention);
    let result = next.memory;
    if (card.process) {
      const anchored = anchoredDue({
        reviewedAt: now,
        due: next.due,
        stability: next.stability,
        desiredRetention: retention,
        nextUse: MONTH_END,
        calendar,
        timeZone: TIME_ZONE,
      });
      if (anchored) result = scheduler.anchor(result, anchored);
    }
    if (options.daysOff !== 'none') {
      result = scheduler.anchor(result, moveOffDaysOff(result.due, now, options.daysOff));
    }
    return { ...result, lastReview: now, retired: false };
  };
  return {
    learn: (card, correct, ms, now) => step(card, scheduler.newMemory(now), correct, ms, now),
    answer: step,
    predicted: (state, now) => recallNow(state, now),
    order: (due, now) =>
      options.order === 'lowest-recall' ? orderByLowestRecall(due, now) : orderRefreshers(due),
  };
}

/** The competitors' ladder: refreshers this many days after the previous answer. */
export const LADDER_DAYS = [1, 3, 10, 30, 60] as const;

interface LadderState extends CardSchedule {
  rights: number;
}

/**
 * The fixed ladder: after the lesson, refreshers 1, 3, 10, 30 and 60 days after the previous
 * one; a right answer climbs a step, a wrong one comes back the next day on the same step; the
 * card retires after five right refreshers. Today serves it like Rappel's (earliest due first,
 * the same budget), so only the schedule differs.
 */
export function ladder(): Scheduling<LadderState> {
  const at = (now: Date, rights: number, correct: boolean): LadderState => {
    const retired = rights >= LADDER_DAYS.length;
    const days = correct ? (LADDER_DAYS[rights] ?? 0) : 1;
    return {
      due: new Date(now.getTime() + days * DAY_MS),
      lastReview: now,
      stability: 0,
      retired,
      rights,
    };
  };
  return {
    learn: (_card, _correct, _ms, now) => at(now, 0, true),
    answer: (_card, state, correct, _ms, now) =>
      at(now, correct ? state.rights + 1 : state.rights, correct),
    predicted: () => null,
    order: (due) => orderRefreshers(due),
  };
}
