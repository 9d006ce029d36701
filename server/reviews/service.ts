import {
  DEFAULT_USE_DAY_TARGET,
  decayOfWeights,
  type ReviewBody,
  type ReviewResult,
  rateAnswer,
} from '../../shared/learning';
import {
  type BoundStatement,
  type Database,
  type HotTransaction,
  hotTransaction,
} from '../db/client';
import type { CardContent } from '../db/schema/modules';
import type { Clock } from '../lib/clock';
import { ConflictError, isUniqueViolation, NotFoundError, ValidationError } from '../lib/errors';
import { calendarOf } from '../calendar/service';
import { anchoredDue, retentionBetweenUses } from '../srs/anchor';
import { dueOnWorkingDay } from '../srs/working-days';
import type { Memory, Scheduler } from '../srs/fsrs';
import { answerIssues, isCorrect, solutionOf } from './grading';
import * as repo from './repository';
import type { ReviewLogRow } from './repository';

export type ReviewService = ReturnType<typeof createReviewService>;

const DAY_MS = 86_400_000;

/** What the answer's result reads of its log row (the row just written, or the one there). */
type LoggedAnswer = Pick<
  ReviewLogRow,
  'id' | 'cardId' | 'correct' | 'rating' | 'due' | 'anchoredDue' | 'reviewedAt' | 'scheduledDays'
>;

function resultOf(log: LoggedAnswer, card: CardContent): ReviewResult {
  const due = log.anchoredDue ?? log.due;
  return {
    id: log.id,
    cardId: log.cardId,
    correct: log.correct,
    solution: solutionOf(card),
    explanationHtml: card.explanationHtml,
    rating: log.rating,
    due,
    scheduledDays: log.anchoredDue
      ? Math.round((due.getTime() - log.reviewedAt.getTime()) / DAY_MS)
      : log.scheduledDays,
    reviewedAt: log.reviewedAt,
  };
}

/**
 * Answers to cards (reviews): each one checked, rated, scheduled by FSRS and logged, with the
 * learner's memory of the card locked meanwhile, so that answers to one card are applied one at
 * a time and an answer sent twice (same id) is recorded once.
 */
export function createReviewService({
  db,
  clock,
  scheduler,
}: {
  db: Database;
  clock: Clock;
  scheduler: Scheduler;
}) {
  /**
   * One answer in `tx`: the card, the learner's right to answer it and their memory of it
   * locked, the answer checked, rated and scheduled. The statement that records it is left to
   * the caller to run.
   */
  async function prepare(
    tx: HotTransaction,
    orgId: string,
    userId: string,
    body: ReviewBody,
    now: Date,
  ) {
    const { cardId } = body;
    const fresh = scheduler.newMemory(now);
    const lock = () => repo.lockAnswerableCard(tx, { orgId, userId, cardId }, fresh, now);
    let card = await lock();
    // No memory only when a concurrent first answer created it meanwhile: a new statement
    // sees it.
    if (card?.memory === null) card = await lock();
    if (!card) throw new NotFoundError('Card');
    const issues = answerIssues(card.content, body.answer);
    if (issues.length) throw new ValidationError('This answer does not fit the card.', issues);
    const key = { orgId, userId, cardId, moduleId: card.moduleId };
    const values = schedule(card, card.memory!, body, key, now);
    return {
      record: repo.recordReview(values.log, values.memory, now),
      log: values.log,
      content: card.content,
    };
  }

  return {
    /**
     * Records one answer of `userId` and says whether it was right and when the card comes
     * back. 404 unless the card is in the latest version of a published module assigned to
     * the user and opened; 400 for an answer of another kind or naming what the card does not
     * have; the same id again gives the same result and records nothing; an id already used
     * for another learner or card is 409.
     */
    async answer(orgId: string, userId: string, body: ReviewBody): Promise<ReviewResult> {
      const now = clock.now();
      const { cardId } = body;
      const { rows, value } = await hotTransaction(db, async (tx) => {
        const { record, ...value } = await prepare(tx, orgId, userId, body, now);
        return { last: record, value };
      }).catch(reusedOnUniqueViolation);
      // Not recorded when the id exists: then the log already there (committed, never changed)
      // is the answer.
      const log = repo.recorded(rows) ? value.log : (await repo.findReviewLog(db, body.id))!;
      if (log.userId !== userId || log.cardId !== cardId) throw reused();
      return resultOf(log, value.content);
    },

    /**
     * Answers recorded together with what they lead to, in one transaction: `plan` runs first
     * in it (it may lock and read, and decides which answers to record), then its answers are
     * recorded as `answer` records each (an id already recorded records nothing again; one
     * used for another learner or card is 409, and nothing at all is written), then its
     * `last` statement ends the transaction. Answers `plan`'s value.
     */
    async answerTogether<V>(
      orgId: string,
      userId: string,
      plan: (
        tx: HotTransaction,
      ) => Promise<{ answers: ReviewBody[]; last: BoundStatement; value: V }>,
    ): Promise<V> {
      const now = clock.now();
      const { value } = await hotTransaction(db, async (tx) => {
        const planned = await plan(tx);
        for (const body of planned.answers) {
          const { record } = await prepare(tx, orgId, userId, body, now);
          if (repo.recorded(await tx.query(record))) continue;
          const owner = await repo.findReviewOwner(tx, body.id);
          if (owner?.userId !== userId || owner.cardId !== body.cardId) throw reused();
        }
        return { last: planned.last, value: planned.value };
      }).catch(reusedOnUniqueViolation);
      return value;
    },
  };

  /**
   * Rates the answer and schedules it: the log row to write and the memory it leads to. A
   * process card with a use ahead is scheduled at the retention between uses; the due date is
   * the scheduler's, made earlier by event anchoring, then moved off the organisation's days
   * off. The log keeps the scheduler's date in `due` and the one given in `anchoredDue` when
   * they differ, so a replay needs no calendar; its `scheduledDays` is the interval given, as
   * the memory's, so true retention counts an answer young or mature by the interval the
   * learner actually had.
   */
  function schedule(
    card: NonNullable<Awaited<ReturnType<typeof repo.lockAnswerableCard>>>,
    memory: Memory,
    body: ReviewBody,
    key: { orgId: string; userId: string; cardId: string; moduleId: string },
    now: Date,
  ) {
    const correct = isCorrect(card.content, body.answer);
    const rating = rateAnswer(
      correct,
      body.durationMs,
      card.expectedSeconds,
      body.answer.kind === 'short',
    );
    // One order per learner × card, even for answers sent at the same instant.
    const last = memory.lastReview?.getTime() ?? -Infinity;
    const reviewedAt = new Date(Math.max(now.getTime(), last + 1));
    const { calendar, timeZone } = answerCalendar(key.orgId, card.calendar);
    const { nextUse } = card;
    const retention = retentionBetweenUses({
      retention: card.retention,
      nextUse,
      reviewedAt,
      calendar,
      timeZone,
    });
    const step = scheduler.review(memory, rating, reviewedAt, retention, card.weights);
    const anchored = nextUse
      ? anchoredDue({
          reviewedAt,
          due: step.due,
          stability: step.stability,
          useDayTarget: card.useDayTarget ?? DEFAULT_USE_DAY_TARGET,
          nextUse,
          decay: decayOfWeights(card.weights?.weights),
          calendar,
          timeZone,
        })
      : null;
    const due = dueOnWorkingDay(anchored ?? step.due, reviewedAt, calendar, timeZone);
    const moved = due.getTime() !== step.due.getTime();
    const next = moved ? scheduler.anchor(step.memory, due) : step.memory;
    const log = {
      id: body.id,
      ...key,
      moduleVersion: card.version,
      answer: body.answer,
      correct,
      rating,
      durationMs: body.durationMs,
      reviewedAt,
      requestRetention: retention,
      stateBefore: step.stateBefore,
      elapsedDays: step.elapsedDays,
      stability: step.stability,
      difficulty: step.difficulty,
      scheduledDays: next.scheduledDays,
      due: step.due,
      anchoredDue: moved ? due : null,
      fsrsFitId: card.weights?.fitId ?? null,
    };
    return { log, memory: next };
  }
}

/** The calendar the answer read with its card (no query of its own on this hot path). */
function answerCalendar(orgId: string, c: repo.AnswerCalendar) {
  const closures = c.closures.map(([startsOn, endsOn, label]) => ({ startsOn, endsOn, label }));
  const calendar = calendarOf({ orgId, ...c }, closures);
  return { calendar, timeZone: c.timeZone };
}

const reused = () =>
  new ConflictError('This answer id was already used for another answer: make a new one.');

/** Belt and braces: the id inserted at the same moment by a transaction that then failed. */
function reusedOnUniqueViolation(err: unknown): never {
  if (isUniqueViolation(err)) throw reused();
  throw err;
}
