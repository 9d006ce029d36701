/**
 * The one door to ts-fsrs (STYLE.md point 10): the rest of the server schedules through the
 * small `Scheduler` interface below, in our own words (`Memory`, `ReviewStep`).
 *
 * Set-up (DESIGN.md §5): FSRS-6 with its default 21 weights, or the organisation's fitted ones
 * (`FittedWeights`, server/srs/fit-weights.ts), at day granularity
 * (`enable_short_term: false`, no intra-day learning steps), fuzz on in production and off in
 * tests. One rule on top of ts-fsrs: a wrong answer (Again) comes back the next day, whatever
 * interval the long-term scheduler would give a lapsed card (it can give several days).
 * Fuzz is seeded by ts-fsrs from the review time and the card state, so a replay with the same
 * set-up draws the same intervals.
 */
import {
  type Card,
  createEmptyCard,
  default_w,
  type FSRS,
  fsrs,
  generatorParameters,
  type Grade,
  Rating,
} from 'ts-fsrs';

/** One learner's memory of one card: the columns of `card_states`. */
export interface Memory {
  due: Date;
  stability: number;
  difficulty: number;
  elapsedDays: number;
  scheduledDays: number;
  learningSteps: number;
  reps: number;
  lapses: number;
  /** 0 new, 1 learning, 2 review, 3 relearning (ts-fsrs `State`). */
  state: number;
  lastReview: Date | null;
}

/** What one review did, as `review_logs` keeps it. */
export interface ReviewStep {
  memory: Memory;
  /** State of the memory before the review. */
  stateBefore: number;
  /** Days since the previous review (ts-fsrs counts UTC calendar days). */
  elapsedDays: number;
  stability: number;
  difficulty: number;
  scheduledDays: number;
  /** The scheduler's due date, before any event anchoring. */
  due: Date;
}

/** FSRS-6's 21 default weights: what an organisation schedules with until it has its own. */
export const DEFAULT_WEIGHTS: readonly number[] = default_w;

/** An organisation's fitted FSRS weights (a row of `fsrs_fits`); null stands for FSRS's defaults. */
export interface FittedWeights {
  fitId: string;
  weights: readonly number[];
}

/** What a replay needs from each logged review, oldest first. */
export interface LoggedReview {
  rating: number;
  reviewedAt: Date;
  requestRetention: number;
  /** The weights the answer was scheduled with (null or absent: the defaults). */
  weights?: FittedWeights | null;
  /** Set when event anchoring or the organisation's days off moved the due date. */
  anchoredDue: Date | null;
}

export interface Scheduler {
  /** The memory of a card never reviewed. */
  newMemory(now: Date): Memory;
  /** Schedules one answer rated `rating` (1 Again … 4 Easy) at `now`, with `weights` (null: the defaults). */
  review(
    memory: Memory,
    rating: number,
    now: Date,
    requestRetention: number,
    weights?: FittedWeights | null,
  ): ReviewStep;
  /** The memory with its due date moved to `due` (event anchoring, days off). */
  anchor(memory: Memory, due: Date): Memory;
  /** The memory a card's review log leads to, from a new card. */
  replay(logs: readonly LoggedReview[]): Memory;
}

const DAY_MS = 86_400_000;

function toCard(m: Memory): Card {
  return {
    due: m.due,
    stability: m.stability,
    difficulty: m.difficulty,
    elapsed_days: m.elapsedDays,
    scheduled_days: m.scheduledDays,
    learning_steps: m.learningSteps,
    reps: m.reps,
    lapses: m.lapses,
    state: m.state,
    last_review: m.lastReview ?? undefined,
  };
}

function toMemory(c: Card): Memory {
  return {
    due: c.due,
    stability: c.stability,
    difficulty: c.difficulty,
    elapsedDays: c.elapsed_days,
    scheduledDays: c.scheduled_days,
    learningSteps: c.learning_steps,
    reps: c.reps,
    lapses: c.lapses,
    state: c.state,
    lastReview: c.last_review ?? null,
  };
}

function grade(rating: number): Grade {
  if (rating === 1 || rating === 2 || rating === 3 || rating === 4) return rating as Grade;
  throw new RangeError(`Not an FSRS grade: ${rating}`);
}

/** How many ts-fsrs instances a scheduler keeps (weights × desired retention), oldest dropped first. */
const INSTANCES_KEPT = 512;

/** A scheduler at day granularity, with FSRS-6's default weights or fitted ones; `fuzz` spreads due dates. */
export function createScheduler({ fuzz }: { fuzz: boolean }): Scheduler {
  // One ts-fsrs instance per weights and desired retention (organisations, personas and
  // modules pick a few retentions; an organisation has one set of weights in use at a time).
  const instances = new Map<string, FSRS>();
  const instance = (requestRetention: number, weights: FittedWeights | null | undefined) => {
    const key = `${weights?.fitId ?? 'default'}:${requestRetention}`;
    let f = instances.get(key);
    if (!f) {
      f = fsrs(
        generatorParameters({
          request_retention: requestRetention,
          enable_fuzz: fuzz,
          enable_short_term: false,
          ...(weights ? { w: [...weights.weights] } : {}),
        }),
      );
      if (instances.size >= INSTANCES_KEPT) instances.delete(instances.keys().next().value!);
      instances.set(key, f);
    }
    return f;
  };

  function review(
    memory: Memory,
    rating: number,
    now: Date,
    requestRetention: number,
    weights?: FittedWeights | null,
  ) {
    const g = grade(rating);
    const { card, log } = instance(requestRetention, weights).next(toCard(memory), now, g);
    if (g === Rating.Again) {
      // DESIGN.md §5: a wrong answer comes back the next day.
      card.due = new Date(now.getTime() + DAY_MS);
      card.scheduled_days = 1;
    }
    const next = toMemory(card);
    return {
      memory: next,
      stateBefore: log.state,
      elapsedDays: log.elapsed_days,
      stability: next.stability,
      difficulty: next.difficulty,
      scheduledDays: next.scheduledDays,
      due: next.due,
    };
  }

  function anchor(memory: Memory, due: Date): Memory {
    const from = memory.lastReview ?? memory.due;
    return {
      ...memory,
      due,
      scheduledDays: Math.round((due.getTime() - from.getTime()) / DAY_MS),
    };
  }

  return {
    newMemory: (now) => toMemory(createEmptyCard(now)),
    review,
    anchor,
    replay(logs) {
      let memory = toMemory(createEmptyCard(logs[0]?.reviewedAt ?? new Date(0)));
      for (const log of logs) {
        memory = review(
          memory,
          log.rating,
          log.reviewedAt,
          log.requestRetention,
          log.weights,
        ).memory;
        if (log.anchoredDue) memory = anchor(memory, log.anchoredDue);
      }
      return memory;
    },
  };
}
