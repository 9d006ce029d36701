import { and, asc, eq, sql } from 'drizzle-orm';
import { type BoundStatement, type Executor, type HotTransaction, statement } from '../db/client';
import { reviewLogs } from '../db/schema';
import type { CardContent } from '../db/schema/modules';
import type { Memory } from '../srs/fsrs';
import type { NextUse } from '../../shared/tools';

export type ReviewLogRow = typeof reviewLogs.$inferSelect;
export type NewReviewLog = typeof reviewLogs.$inferInsert;

export async function findReviewLog(db: Executor, id: string) {
  const [row] = await db.select().from(reviewLogs).where(eq(reviewLogs.id, id));
  return row;
}

const reviewOwner = statement<{ id: string }>`
  select user_id as "userId", card_id as "cardId" from review_logs where id = ${'id'}
`;

/** Whose answer to which card an answer id records, inside a hot transaction. */
export async function findReviewOwner(tx: HotTransaction, id: string) {
  const [row] = await tx.query<{ userId: string; cardId: string }>(reviewOwner.bind({ id }));
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

/**
 * What the answer needs of the organisation's calendar (due dates on working days, anchored
 * refreshers), as it reads it.
 */
export interface AnswerCalendar {
  timeZone: string;
  country: string;
  region: string | null;
  workingWeekdays: number[];
  /** `[startsOn, endsOn, label]` */
  closures: [string, string, string][];
}

interface AnswerableRow {
  module_id: string;
  version: number;
  content: CardContent;
  expected_seconds: number;
  retention: number;
  next_use: NextUse | null;
  use_day_target: number | null;
  /** The organisation's calendar. */
  calendar: AnswerCalendar;
  /** The organisation's fitted FSRS weights in use, none for the defaults. */
  fsrs_fit_id: string | null;
  fsrs_weights: number[] | null;
  // The learner's memory, null when there is none yet; timestamps as epoch milliseconds (a
  // float8 both drivers parse to a number, exactly).
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

const lockAnswerable = statement<{
  orgId: string;
  userId: string;
  cardId: string;
  at: string;
  due: string;
  stability: number;
  difficulty: number;
  elapsedDays: number;
  scheduledDays: number;
  learningSteps: number;
  reps: number;
  lapses: number;
  state: number;
}>`
  with answerable as (
    select pc.module_id, pc.version, pc.content,
           pc.effective_expected_seconds as expected_seconds,
           coalesce(m.desired_retention, pe.desired_retention, o.desired_retention) as retention,
           pr.next_use, pr.use_day_target,
           jsonb_build_object(
             'timeZone', o.time_zone, 'country', o.country, 'region', o.region,
             'workingWeekdays', to_jsonb(o.working_weekdays),
             -- Closures over by the answer's day move nothing: due dates come after it.
             'closures', (select coalesce(jsonb_agg(jsonb_build_array(
                 oc.starts_on, oc.ends_on, oc.label)), '[]'::jsonb)
               from org_closures oc where oc.org_id = o.id
                 and oc.ends_on >= (${'at'}::timestamptz at time zone o.time_zone)::date)
           ) as calendar,
           fw.id as fsrs_fit_id, to_jsonb(fw.weights) as fsrs_weights
    from published_cards pc
    join modules m on m.id = pc.module_id and m.status = 'published'
    join assignments a on a.module_id = pc.module_id and a.user_id = ${'userId'}
      and a.opens_at <= ${'at'}::timestamptz
    join organisations o on o.id = pc.org_id
    join memberships ms on ms.org_id = pc.org_id and ms.user_id = ${'userId'}
    left join personas pe on pe.id = ms.persona_id
    left join processes pr on pr.id = m.process_id
    left join fsrs_fits fw on fw.org_id = o.id and fw.in_use
    where pc.card_id = ${'cardId'} and pc.org_id = ${'orgId'}
  ), created as (
    insert into card_states (org_id, user_id, card_id, module_id, due, stability, difficulty,
      elapsed_days, scheduled_days, learning_steps, reps, lapses, state, last_review,
      created_at, updated_at)
    select ${'orgId'}, ${'userId'}, ${'cardId'}, module_id, ${'due'}::timestamptz,
      ${'stability'}, ${'difficulty'}, ${'elapsedDays'}, ${'scheduledDays'},
      ${'learningSteps'}, ${'reps'}, ${'lapses'}, ${'state'}, null,
      ${'at'}::timestamptz, ${'at'}::timestamptz
    from answerable
    on conflict (user_id, card_id) do nothing
    returning *
  )
  select an.*,
    (extract(epoch from coalesce(c.due, cs.due)) * 1000)::float8 as due_ms,
    coalesce(c.stability, cs.stability) as stability,
    coalesce(c.difficulty, cs.difficulty) as difficulty,
    coalesce(c.elapsed_days, cs.elapsed_days) as elapsed_days,
    coalesce(c.scheduled_days, cs.scheduled_days) as scheduled_days,
    coalesce(c.learning_steps, cs.learning_steps) as learning_steps,
    coalesce(c.reps, cs.reps) as reps, coalesce(c.lapses, cs.lapses) as lapses,
    coalesce(c.state, cs.state) as state,
    (extract(epoch from coalesce(c.last_review, cs.last_review)) * 1000)::float8 as last_review_ms
  from answerable an
  left join created c on true
  left join lateral (
    select * from card_states where user_id = ${'userId'} and card_id = ${'cardId'} for update
  ) cs on true
`;

function memoryOf(row: AnswerableRow): Memory | null {
  if (row.due_ms === null) return null;
  return {
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
}

/**
 * The hot path of an answer, in one statement inside its transaction: the card if it is the
 * learner's to answer (the latest version of a published module assigned to them and opened by
 * `now`), with the desired retention resolved (module, else persona, else organisation), the
 * process's next-use dates and the organisation's calendar; the learner's memory of the card
 * made sure of (inserted as `fresh` unless it exists) and locked (FOR UPDATE). `memory` is null
 * in one case only: another transaction created it meanwhile, and this statement could not see
 * it yet (a second run of the statement does). Undefined when the card is not the learner's to
 * answer.
 */
export async function lockAnswerableCard(
  tx: HotTransaction,
  key: { orgId: string; userId: string; cardId: string },
  fresh: Memory,
  now: Date,
) {
  const [row] = await tx.query<AnswerableRow>(
    lockAnswerable.bind({
      ...key,
      at: now.toISOString(),
      due: fresh.due.toISOString(),
      stability: fresh.stability,
      difficulty: fresh.difficulty,
      elapsedDays: fresh.elapsedDays,
      scheduledDays: fresh.scheduledDays,
      learningSteps: fresh.learningSteps,
      reps: fresh.reps,
      lapses: fresh.lapses,
      state: fresh.state,
    }),
  );
  if (!row) return undefined;
  return {
    moduleId: row.module_id,
    version: row.version,
    content: row.content,
    expectedSeconds: row.expected_seconds,
    retention: row.retention,
    nextUse: row.next_use,
    /** The process's; null: `DEFAULT_USE_DAY_TARGET`. */
    useDayTarget: row.use_day_target,
    calendar: row.calendar,
    weights:
      row.fsrs_fit_id && row.fsrs_weights
        ? { fitId: row.fsrs_fit_id, weights: row.fsrs_weights }
        : null,
    memory: memoryOf(row),
  };
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

const record = statement<{
  id: string;
  orgId: string;
  userId: string;
  cardId: string;
  moduleId: string;
  moduleVersion: number;
  answer: string;
  correct: boolean;
  rating: number;
  durationMs: number;
  reviewedAt: string | null;
  requestRetention: number;
  stateBefore: number;
  elapsedDays: number;
  stability: number;
  difficulty: number;
  scheduledDays: number;
  due: string | null;
  anchoredDue: string | null;
  fsrsFitId: string | null;
  nextDue: string | null;
  nextStability: number;
  nextDifficulty: number;
  nextElapsedDays: number;
  nextScheduledDays: number;
  nextLearningSteps: number;
  nextReps: number;
  nextLapses: number;
  nextState: number;
  nextLastReview: string | null;
  now: string | null;
}>`
  with prev as (
    select reviewed_at, stability, scheduled_days from review_logs
    where user_id = ${'userId'} and card_id = ${'cardId'}
      and reviewed_at < ${'reviewedAt'}::timestamptz
    order by reviewed_at desc limit 1
  ), logged as (
    insert into review_logs (id, org_id, user_id, card_id, module_id, module_version, answer,
      correct, rating, duration_ms, reviewed_at, request_retention, state_before, elapsed_days,
      stability, difficulty, scheduled_days, due, anchored_due, fsrs_fit_id, prev_reviewed_at,
      prev_stability, prev_scheduled_days)
    values (${'id'}, ${'orgId'}, ${'userId'}, ${'cardId'}, ${'moduleId'},
      ${'moduleVersion'}, ${'answer'}::jsonb, ${'correct'}, ${'rating'},
      ${'durationMs'}, ${'reviewedAt'}::timestamptz, ${'requestRetention'},
      ${'stateBefore'}, ${'elapsedDays'}, ${'stability'}, ${'difficulty'},
      ${'scheduledDays'}, ${'due'}::timestamptz, ${'anchoredDue'}::timestamptz,
      ${'fsrsFitId'}::uuid, (select reviewed_at from prev), (select stability from prev),
      (select scheduled_days from prev))
    on conflict (id) do nothing
    returning id
  )
  update card_states set
    due = ${'nextDue'}::timestamptz, stability = ${'nextStability'},
    difficulty = ${'nextDifficulty'}, elapsed_days = ${'nextElapsedDays'},
    scheduled_days = ${'nextScheduledDays'}, learning_steps = ${'nextLearningSteps'},
    reps = ${'nextReps'}, lapses = ${'nextLapses'}, state = ${'nextState'},
    last_review = ${'nextLastReview'}::timestamptz,
    first_review = coalesce(first_review, ${'reviewedAt'}::timestamptz),
    updated_at = ${'now'}::timestamptz
  where user_id = ${'userId'} and card_id = ${'cardId'} and exists (select 1 from logged)
  returning 1 as recorded
`;

/**
 * The statement that records an answer and the memory it leads to: the log row unless its id
 * exists already (then nothing at all is written, and no row comes back; see `recorded`). The
 * memory's first review is set by the first answer recorded, not when the memory is created:
 * a card state can be created by an answer that then records nothing.
 *
 * The row keeps its predecessor (`prev_*`: the learner's previous answer to the card, none for
 * a first one), read from the log in this same statement rather than from the locked memory, so
 * that it is the log's own row (older rows of anchored refreshers hold the scheduler's interval,
 * not the one given, and true retention's young/mature split reads them as they are). Run after
 * the memory's lock is held, the statement sees every earlier answer to the card committed.
 */
export function recordReview(log: NewReviewLog, memory: Memory, now: Date): BoundStatement {
  return record.bind({
    id: log.id,
    orgId: log.orgId,
    userId: log.userId,
    cardId: log.cardId,
    moduleId: log.moduleId,
    moduleVersion: log.moduleVersion,
    answer: JSON.stringify(log.answer),
    correct: log.correct,
    rating: log.rating,
    durationMs: log.durationMs,
    reviewedAt: iso(log.reviewedAt),
    requestRetention: log.requestRetention,
    stateBefore: log.stateBefore,
    elapsedDays: log.elapsedDays,
    stability: log.stability,
    difficulty: log.difficulty,
    scheduledDays: log.scheduledDays,
    due: iso(log.due),
    anchoredDue: iso(log.anchoredDue),
    fsrsFitId: log.fsrsFitId ?? null,
    nextDue: iso(memory.due),
    nextStability: memory.stability,
    nextDifficulty: memory.difficulty,
    nextElapsedDays: memory.elapsedDays,
    nextScheduledDays: memory.scheduledDays,
    nextLearningSteps: memory.learningSteps,
    nextReps: memory.reps,
    nextLapses: memory.lapses,
    nextState: memory.state,
    nextLastReview: iso(memory.lastReview),
    now: iso(now),
  });
}

/** Whether `recordReview` wrote the answer, from the rows it answered. */
export const recorded = (rows: unknown[]) => rows.length > 0;
