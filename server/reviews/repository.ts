import { and, asc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { cardStates, reviewLogs } from '../db/schema';
import type { CardContent } from '../db/schema/modules';
import type { Memory } from '../srs/fsrs';
import type { NextUse } from '../../shared/tools';

export type ReviewLogRow = typeof reviewLogs.$inferSelect;
export type NewReviewLog = typeof reviewLogs.$inferInsert;

/** The learner's memory of a card, locked until the transaction ends. */
export async function lockCardState(db: Executor, userId: string, cardId: string) {
  const [row] = await db
    .select()
    .from(cardStates)
    .where(and(eq(cardStates.userId, userId), eq(cardStates.cardId, cardId)))
    .for('update');
  return row;
}

export async function findReviewLog(db: Executor, id: string) {
  const [row] = await db.select().from(reviewLogs).where(eq(reviewLogs.id, id));
  return row;
}

/** One learner's answers to one card, oldest first (what a replay goes through). */
export async function listReviewLogs(db: Executor, orgId: string, userId: string, cardId: string) {
  return db
    .select()
    .from(reviewLogs)
    .where(
      and(
        eq(reviewLogs.orgId, orgId),
        eq(reviewLogs.userId, userId),
        eq(reviewLogs.cardId, cardId),
      ),
    )
    .orderBy(asc(reviewLogs.reviewedAt), asc(sql`${reviewLogs.id}`));
}

/** postgres.js answers an array, PGlite an object with `rows`. */
function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : (result as { rows: T[] }).rows;
}

/** Timestamps as epoch milliseconds (a float8 both drivers parse to a number, exactly). */
const ms = (column: string) => sql.raw(`(extract(epoch from ${column}) * 1000)::float8`);

interface AnswerableRow {
  module_id: string;
  version: number;
  content: CardContent;
  expected_seconds: number;
  retention: number;
  next_use: NextUse | null;
  // The learner's memory, null when there is none yet.
  due_ms: number | null;
  stability: number | null;
  difficulty: number | null;
  elapsed_days: number | null;
  scheduled_days: number | null;
  learning_steps: number | null;
  reps: number | null;
  lapses: number | null;
  state: number | null;
  last_review_ms: number | null;
}

/**
 * The hot path of an answer, in one statement inside its transaction: the card if it is the
 * learner's to answer (the latest version of a published module assigned to them and opened by
 * `now`), with the desired retention resolved (module, else persona, else organisation) and the
 * process's next-use dates; the learner's memory of the card made sure of (inserted as `fresh`
 * unless it exists) and locked (FOR UPDATE). `memory` is null in one case only: another
 * transaction created it meanwhile, and this statement could not see it yet (lock it again with
 * `lockCardState`). Undefined when the card is not the learner's to answer.
 */
export async function lockAnswerableCard(
  db: Executor,
  key: { orgId: string; userId: string; cardId: string },
  fresh: Memory,
  now: Date,
) {
  const { orgId, userId, cardId } = key;
  const at = now.toISOString();
  const result = await db.execute(sql`
    with answerable as (
      select pc.module_id, pc.version, pc.content,
             pc.effective_expected_seconds as expected_seconds,
             coalesce(m.desired_retention, pe.desired_retention, o.desired_retention) as retention,
             pr.next_use
      from published_cards pc
      join modules m on m.id = pc.module_id and m.status = 'published'
      join assignments a on a.module_id = pc.module_id and a.user_id = ${userId}
        and a.opens_at <= ${at}::timestamptz
      join organisations o on o.id = pc.org_id
      join memberships ms on ms.org_id = pc.org_id and ms.user_id = ${userId}
      left join personas pe on pe.id = ms.persona_id
      left join processes pr on pr.id = m.process_id
      where pc.card_id = ${cardId} and pc.org_id = ${orgId}
    ), created as (
      insert into card_states (org_id, user_id, card_id, module_id, due, stability, difficulty,
        elapsed_days, scheduled_days, learning_steps, reps, lapses, state, last_review,
        created_at, updated_at)
      select ${orgId}, ${userId}, ${cardId}, module_id, ${fresh.due.toISOString()}::timestamptz,
        ${fresh.stability}, ${fresh.difficulty}, ${fresh.elapsedDays}, ${fresh.scheduledDays},
        ${fresh.learningSteps}, ${fresh.reps}, ${fresh.lapses}, ${fresh.state}, null,
        ${at}::timestamptz, ${at}::timestamptz
      from answerable
      on conflict (user_id, card_id) do nothing
      returning *
    )
    select an.*, ${ms('coalesce(c.due, cs.due)')} as due_ms,
      coalesce(c.stability, cs.stability) as stability,
      coalesce(c.difficulty, cs.difficulty) as difficulty,
      coalesce(c.elapsed_days, cs.elapsed_days) as elapsed_days,
      coalesce(c.scheduled_days, cs.scheduled_days) as scheduled_days,
      coalesce(c.learning_steps, cs.learning_steps) as learning_steps,
      coalesce(c.reps, cs.reps) as reps, coalesce(c.lapses, cs.lapses) as lapses,
      coalesce(c.state, cs.state) as state,
      ${ms('coalesce(c.last_review, cs.last_review)')} as last_review_ms
    from answerable an
    left join created c on true
    left join lateral (
      select * from card_states where user_id = ${userId} and card_id = ${cardId} for update
    ) cs on true
  `);
  const row = rowsOf<AnswerableRow>(result)[0];
  if (!row) return undefined;
  const memory: Memory | null =
    row.due_ms === null
      ? null
      : {
          due: new Date(row.due_ms),
          stability: row.stability!,
          difficulty: row.difficulty!,
          elapsedDays: row.elapsed_days!,
          scheduledDays: row.scheduled_days!,
          learningSteps: row.learning_steps!,
          reps: row.reps!,
          lapses: row.lapses!,
          state: row.state!,
          lastReview: row.last_review_ms === null ? null : new Date(row.last_review_ms),
        };
  return {
    moduleId: row.module_id,
    version: row.version,
    content: row.content,
    expectedSeconds: row.expected_seconds,
    retention: row.retention,
    nextUse: row.next_use,
    memory,
  };
}

/**
 * Records an answer and the memory it leads to, in one statement: the log row unless its id
 * exists already (then nothing at all is written, and false comes back).
 */
export async function recordReview(db: Executor, log: NewReviewLog, memory: Memory, now: Date) {
  const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
  const result = await db.execute(sql`
    with logged as (
      insert into review_logs (id, org_id, user_id, card_id, module_id, module_version, answer,
        correct, rating, duration_ms, reviewed_at, request_retention, state_before, elapsed_days,
        stability, difficulty, scheduled_days, due, anchored_due)
      values (${log.id}, ${log.orgId}, ${log.userId}, ${log.cardId}, ${log.moduleId},
        ${log.moduleVersion}, ${JSON.stringify(log.answer)}::jsonb, ${log.correct}, ${log.rating},
        ${log.durationMs}, ${iso(log.reviewedAt)}::timestamptz, ${log.requestRetention},
        ${log.stateBefore}, ${log.elapsedDays}, ${log.stability}, ${log.difficulty},
        ${log.scheduledDays}, ${iso(log.due)}::timestamptz, ${iso(log.anchoredDue)}::timestamptz)
      on conflict (id) do nothing
      returning id
    )
    update card_states set
      due = ${iso(memory.due)}::timestamptz, stability = ${memory.stability},
      difficulty = ${memory.difficulty}, elapsed_days = ${memory.elapsedDays},
      scheduled_days = ${memory.scheduledDays}, learning_steps = ${memory.learningSteps},
      reps = ${memory.reps}, lapses = ${memory.lapses}, state = ${memory.state},
      last_review = ${iso(memory.lastReview)}::timestamptz, updated_at = ${iso(now)}::timestamptz
    where user_id = ${log.userId} and card_id = ${log.cardId} and exists (select 1 from logged)
    returning 1 as recorded
  `);
  return rowsOf(result).length > 0;
}
