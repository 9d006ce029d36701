import { randomUUID } from 'node:crypto';
import { and, desc, eq, lt, sql } from 'drizzle-orm';
import type { Database } from '../../server/db/client';
import { reviewLogs } from '../../server/db/schema';
import { DAY } from './clock';

/** Whose answer to which card a test logs. */
export interface LoggedCard {
  orgId: string;
  userId: string;
  cardId: string;
  moduleId: string;
}

export interface LoggedAnswer {
  at: Date;
  /** 1 Again … 4 Easy; Good by default. */
  rating?: number;
  /** What the answer left: stability (days) and interval; 3 and 3 by default. */
  stability?: number;
  scheduledDays?: number;
  /** The due date logged; `at` + the interval by default. */
  due?: Date;
  /** The previous answer's time, stability and interval, as the log records them. */
  prev?: LoggedPredecessor;
}

export interface LoggedPredecessor {
  reviewedAt: Date;
  stability: number;
  scheduledDays: number;
}

/**
 * One answer written straight into review_logs, not through the API (which would also change
 * the card's memory: tests set that apart). Its predecessor (`prev_*`) is the answer's `prev`
 * when given (a previous answer the log need not hold); else it is left empty, as migration 0008
 * found every row, unless `withPredecessor`: then it is read from the log as the statement
 * recording an answer does (server/reviews/repository.ts). Answers the row's id.
 */
export async function logAnswer(
  db: Database,
  card: LoggedCard,
  { at, rating = 3, stability = 3, scheduledDays = 3, due, prev: given }: LoggedAnswer,
  { withPredecessor = false } = {},
): Promise<string> {
  const prev = given ?? (withPredecessor ? await lastAnswer(db, card, at) : undefined);
  const [row] = await db
    .insert(reviewLogs)
    .values({
      id: randomUUID(),
      ...card,
      moduleVersion: 1,
      answer: { kind: 'truefalse', value: rating > 1 },
      correct: rating > 1,
      rating,
      durationMs: 5000,
      reviewedAt: at,
      requestRetention: 0.9,
      stateBefore: 2,
      elapsedDays: 0,
      stability,
      difficulty: 5,
      scheduledDays,
      due: due ?? new Date(at.getTime() + scheduledDays * DAY),
      prevReviewedAt: prev?.reviewedAt ?? null,
      prevStability: prev?.stability ?? null,
      prevScheduledDays: prev?.scheduledDays ?? null,
    })
    .returning({ id: reviewLogs.id });
  return row!.id;
}

/** The learner's last answer to the card before `at` in the log, if any. */
async function lastAnswer(
  db: Database,
  card: LoggedCard,
  at: Date,
): Promise<LoggedPredecessor | undefined> {
  const [row] = await db
    .select({
      reviewedAt: reviewLogs.reviewedAt,
      stability: reviewLogs.stability,
      scheduledDays: reviewLogs.scheduledDays,
    })
    .from(reviewLogs)
    .where(
      and(
        eq(reviewLogs.userId, card.userId),
        eq(reviewLogs.cardId, card.cardId),
        lt(reviewLogs.reviewedAt, at),
      ),
    )
    .orderBy(desc(reviewLogs.reviewedAt))
    .limit(1);
  return row;
}

/**
 * `count` refreshers (answers after a first one, each a card of its own) of `card`'s learner
 * in its module, one a day back from `before`: enough of a log for routes that wait for one
 * (fitting weights), in one statement.
 */
export async function seedRefreshers(
  db: Database,
  card: Omit<LoggedCard, 'cardId'>,
  { count, before }: { count: number; before: Date },
) {
  await db.execute(sql`insert into review_logs (id, org_id, user_id, card_id, module_id,
      module_version, answer, correct, rating, duration_ms, reviewed_at, request_retention,
      state_before, elapsed_days, stability, difficulty, scheduled_days, due,
      prev_reviewed_at, prev_stability, prev_scheduled_days)
    select gen_random_uuid(), ${card.orgId}, ${card.userId}, gen_random_uuid(), ${card.moduleId},
      1, '{"kind":"truefalse","value":true}'::jsonb, true, 3, 5000,
      ${before.toISOString()}::timestamptz - make_interval(days => g), 0.9, 2, 3, 9, 5, 9,
      ${before.toISOString()}::timestamptz - make_interval(days => g) + interval '9 days',
      ${before.toISOString()}::timestamptz - make_interval(days => g + 3), 3, 3
    from generate_series(1, ${count}::int) g`);
}
