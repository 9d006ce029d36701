import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { reviewLogs } from '../../server/db/schema';
import { createTestDb } from '../helpers/db';
import { migrationDataStep, migrationFixtures } from '../helpers/migration-data';
import { logAnswer } from '../helpers/review-log';

const handle = await createTestDb();
afterAll(() => handle.close());
const { db } = handle;
const now = new Date('2026-03-02T09:00:00Z');
const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(now.getTime() - days * DAY);
const dataStep = () =>
  migrationDataStep('0008_refresher-log-reminders.sql', 'UPDATE "review_logs"');
const { member: learner, orgWithModule } = migrationFixtures(db, now, 'predecessor');

type Key = { orgId: string; userId: string; cardId: string; moduleId: string };

/** An answer as it was logged before migration 0008: no predecessor. */
async function answer(key: Key, reviewedAt: Date, stability: number, scheduledDays: number) {
  return logAnswer(db, key, { at: reviewedAt, stability, scheduledDays });
}

describe('migration 0008 (each answer keeps its predecessor)', () => {
  it("sets each answer's predecessor to the same learner's previous answer to the card", async () => {
    const one = await orgWithModule('Before predecessors');
    const two = await orgWithModule('Another organisation');
    const [ann, bob] = [await learner(one.orgId), await learner(one.orgId)];
    const eve = await learner(two.orgId);
    const [c1, c2] = [randomUUID(), randomUUID()];
    const key = (org: typeof one, userId: string, cardId: string) => ({ ...org, userId, cardId });

    // ann, card 1: three answers, logged out of order; card 2: one answer.
    const a30 = await answer(key(one, ann, c1), daysAgo(30), 2, 2);
    const a5 = await answer(key(one, ann, c1), daysAgo(5), 20, 21);
    const a12 = await answer(key(one, ann, c1), daysAgo(12), 8, 9);
    const a2 = await answer(key(one, ann, c2), daysAgo(2), 3, 3);
    // bob, card 1, between ann's answers: his own predecessors, not hers.
    const b20 = await answer(key(one, bob, c1), daysAgo(20), 4, 4);
    const b10 = await answer(key(one, bob, c1), daysAgo(10), 11, 12);
    // eve, another organisation, card 1 too (a card id is unique to a module; still).
    const e7 = await answer(key(two, eve, c1), daysAgo(7), 5, 5);
    const e1 = await answer(key(two, eve, c1), daysAgo(1), 15, 16);

    await db.execute(sql.raw(dataStep()));

    const rows = await db
      .select({
        id: reviewLogs.id,
        prevReviewedAt: reviewLogs.prevReviewedAt,
        prevStability: reviewLogs.prevStability,
        prevScheduledDays: reviewLogs.prevScheduledDays,
      })
      .from(reviewLogs);
    const none = { prevReviewedAt: null, prevStability: null, prevScheduledDays: null };
    const after = (days: number, stability: number, scheduledDays: number) => ({
      prevReviewedAt: daysAgo(days),
      prevStability: stability,
      prevScheduledDays: scheduledDays,
    });
    expect(Object.fromEntries(rows.map(({ id, ...prev }) => [id, prev]))).toEqual({
      [a30]: none,
      [a12]: after(30, 2, 2),
      [a5]: after(12, 8, 9),
      [a2]: none,
      [b20]: none,
      [b10]: after(20, 4, 4),
      [e7]: none,
      [e1]: after(7, 5, 5),
    });
  });
});
