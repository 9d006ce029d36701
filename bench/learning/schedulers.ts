/**
 * The schedulers compared, behind one small interface: Rappel's, through its own functions
 * (the FSRS adapter, the answer-time rating, event anchoring, the Today order), with the
 * switches the simulation tests; and a fixed ladder as competitors sell it.
 */
import { isWorkingDay, nextWorkingDay } from '../../shared/calendar';
import { decayOfWeights, rateAnswer, ratings, retrievability } from '../../shared/learning';
import {
  ANCHOR_WORKING_DAYS,
  anchoredDue,
  BETWEEN_USES_RETENTION,
  retentionBetweenUses,
} from '../../server/srs/anchor';
import { createScheduler, type FittedWeights, type Memory } from '../../server/srs/fsrs';
import { type MemoryCard, orderRefreshers } from '../../server/learner/today';
import { localDate, sameTimeOn } from '../../server/lib/zoned-day';
import { dueOnWorkingDay } from '../../server/srs/working-days';
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

export type BacklogOrder = 'lowest-recall' | 'earliest-due';
export type DaysOffMove = 'none' | 'earlier' | 'later';
export type FastRating = 'easy' | 'good';

export interface RappelOptions {
  /** Everyday cards' desired retention, and process cards' use-day target. */
  desiredRetention: number;
  /** Process cards' retention between uses (never above `desiredRetention`). */
  betweenUses: number;
  /** Working days between an anchored refresher and its use. */
  lead: number;
  order: BacklogOrder;
  daysOff: DaysOffMove;
  fast: FastRating;
}

/** Rappel as it schedules today. */
export const currentRappel: Omit<RappelOptions, 'desiredRetention'> = {
  betweenUses: BETWEEN_USES_RETENTION,
  lead: ANCHOR_WORKING_DAYS,
  order: 'lowest-recall',
  daysOff: 'earlier',
  fast: 'easy',
};

/**
 * Earliest due first (critical modules still first, then id): Today's order before lowest
 * predicted recall first replaced it, kept here only as the baseline the bench compares with.
 */
export function orderByEarliestDue<C extends MemoryCard>(cards: readonly C[]): C[] {
  return [...cards].sort(
    (x, y) =>
      Number(y.critical) - Number(x.critical) ||
      x.due.getTime() - y.due.getTime() ||
      (x.cardId < y.cardId ? -1 : x.cardId > y.cardId ? 1 : 0),
  );
}

/**
 * A due date that falls on a day off moved to a working day, at the same time of day: 'earlier'
 * is Rappel's rule (server/srs/working-days.ts); 'later', the alternative it was chosen
 * against, is the first working day after it.
 */
export function moveOffDaysOff(due: Date, reviewedAt: Date, way: 'earlier' | 'later'): Date {
  if (way === 'earlier') return dueOnWorkingDay(due, reviewedAt, calendar, TIME_ZONE);
  const day = localDate(due, TIME_ZONE);
  if (isWorkingDay(calendar, day)) return due;
  return sameTimeOn(due, nextWorkingDay(calendar, day), TIME_ZONE);
}

/** What Rappel schedules with besides its switches. */
export interface RappelWith {
  /** The organisation's fitted weights; null or absent: FSRS-6's defaults. */
  weights?: FittedWeights | null;
  /** Told each answer's rating, as the review log keeps it (a cohort's log, to fit weights to). */
  onRating?: (card: SimCard, rating: number, at: Date) => void;
}

/**
 * Rappel's scheduling with `options`; fuzz on as in production (ts-fsrs seeds it). With fitted
 * weights, due dates, anchoring and predicted recall all follow their curve (their decay).
 */
export function rappel(
  options: RappelOptions,
  { weights = null, onRating }: RappelWith = {},
): Scheduling<Memory & CardSchedule> {
  const scheduler = createScheduler({ fuzz: true });
  const retention = options.desiredRetention;
  const decay = decayOfWeights(weights?.weights);
  const step = (card: SimCard, memory: Memory, correct: boolean, ms: number, now: Date) => {
    const rated = rateAnswer(correct, ms, card.expectedSeconds);
    const rating = options.fast === 'good' ? Math.min(rated, ratings.good) : rated;
    onRating?.(card, rating, now);
    const nextUse = card.process ? MONTH_END : null;
    const cardRetention = retentionBetweenUses({
      retention,
      nextUse,
      reviewedAt: now,
      calendar,
      timeZone: TIME_ZONE,
      betweenUses: options.betweenUses,
    });
    const next = scheduler.review(memory, rating, now, cardRetention, weights);
    let result = next.memory;
    if (nextUse) {
      const anchored = anchoredDue({
        reviewedAt: now,
        due: next.due,
        stability: next.stability,
        useDayTarget: retention,
        nextUse,
        calendar,
        timeZone: TIME_ZONE,
        decay,
        leadWorkingDays: options.lead,
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
    // Today's recallNow assumes the default decay; with fitted weights, the fit's curve.
    predicted: (state, now) =>
      retrievability((now.getTime() - state.lastReview.getTime()) / DAY_MS, state.stability, decay),
    order: (due, now) =>
      options.order === 'earliest-due' ? orderByEarliestDue(due) : orderRefreshers(due, now),
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
 * card retires after five right refreshers. Today serves it like Rappel's (its order, which
 * without a stability to predict recall from comes down to earliest due first; the same
 * budget), so only the schedule differs.
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
    order: (due, now) => orderRefreshers(due, now),
  };
}
