import { isDeepStrictEqual } from 'node:util';
import { and, count, eq } from 'drizzle-orm';
import type { Database } from '../../server/db/client';
import { cardStates, reviewLogs } from '../../server/db/schema';
import { listReviewLogs } from '../../server/reviews/repository';
import type { Memory, Scheduler } from '../../server/srs/fsrs';

/** The memory a card state holds, as the scheduler's replay gives it. */
export const memoryOf = (s: typeof cardStates.$inferSelect): Memory => ({
  due: s.due,
  stability: s.stability,
  difficulty: s.difficulty,
  elapsedDays: s.elapsedDays,
  scheduledDays: s.scheduledDays,
  learningSteps: s.learningSteps,
  reps: s.reps,
  lapses: s.lapses,
  state: s.state,
  lastReview: s.lastReview,
});

/**
 * Every card state of `learners` × `cardIds` in the organisation against a replay of its log by
 * `scheduler`: how many cards have a state or a log, and how many of those have no state, or one
 * its log does not lead to.
 */
export async function auditCards(
  db: Database,
  orgId: string,
  learners: readonly string[],
  cardIds: readonly string[],
  scheduler: Scheduler,
) {
  let cards = 0;
  let offTheirLog = 0;
  for (const userId of learners) {
    for (const cardId of cardIds) {
      const logs = await listReviewLogs(db, orgId, userId, cardId);
      const [state] = await db
        .select()
        .from(cardStates)
        .where(and(eq(cardStates.userId, userId), eq(cardStates.cardId, cardId)));
      if (!state && logs.length === 0) continue;
      cards += 1;
      if (!state || !isDeepStrictEqual(scheduler.replay(logs), memoryOf(state))) offTheirLog += 1;
    }
  }
  return { cards, offTheirLog };
}

/**
 * The organisation's review log against the answers acknowledged to their senders: acknowledged
 * ids missing from it (lost), ids in it more than once (doubled), and ids in it that no sender
 * saw acknowledged.
 */
export async function auditLog(db: Database, orgId: string, acked: ReadonlySet<string>) {
  const rows = await db
    .select({ id: reviewLogs.id, n: count() })
    .from(reviewLogs)
    .where(eq(reviewLogs.orgId, orgId))
    .groupBy(reviewLogs.id);
  const found = new Set(rows.map((r) => r.id));
  return {
    lost: [...acked].filter((id) => !found.has(id)).length,
    doubled: rows.filter((r) => r.n > 1).length,
    unacknowledged: rows.filter((r) => !acked.has(r.id)).length,
  };
}
