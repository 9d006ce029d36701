import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { cardStates } from '../../server/db/schema';
import { createTestDb } from '../helpers/db';
import { migrationDataStep, migrationFixtures } from '../helpers/migration-data';
import { logAnswer } from '../helpers/review-log';

const handle = await createTestDb();
afterAll(() => handle.close());
const { db } = handle;
const now = new Date('2026-03-02T09:00:00Z');
const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(now.getTime() - days * DAY);
const dataStep = () => migrationDataStep('0007_card-first-review.sql', 'UPDATE "card_states"');
const { member: learner, orgWithModule } = migrationFixtures(db, now, 'first-review');

/** A memory as it was before migration 0007: no first review. */
async function memory(key: Key, lastReview: Date | null) {
  await db.insert(cardStates).values({
    ...key,
    due: now,
    stability: 3,
    difficulty: 5,
    elapsedDays: 0,
    scheduledDays: 3,
    learningSteps: 0,
    reps: 1,
    lapses: 0,
    state: lastReview ? 2 : 0,
    lastReview,
  });
}

async function answer(key: Key, reviewedAt: Date) {
  await logAnswer(db, key, { at: reviewedAt });
}

type Key = { orgId: string; userId: string; cardId: string; moduleId: string };

describe('migration 0007 (first review on the card state)', () => {
  it("sets each memory's first review to its log's earliest answer, and none without a log", async () => {
    const { orgId, moduleId } = await orgWithModule('Before first reviews');
    const [ann, bob] = [await learner(orgId), await learner(orgId)];
    const card = (userId: string, cardId: string) => ({ orgId, userId, cardId, moduleId });
    const [c1, c2, c3] = [randomUUID(), randomUUID(), randomUUID()];
    // ann: card 1 answered three times, logged out of order; card 2 never answered (a memory
    // created by an answer that recorded nothing); card 3 answered once.
    await memory(card(ann, c1), daysAgo(1));
    for (const days of [5, 30, 12]) await answer(card(ann, c1), daysAgo(days));
    await memory(card(ann, c2), null);
    await memory(card(ann, c3), daysAgo(2));
    await answer(card(ann, c3), daysAgo(2));
    // bob answered card 1 too, later than ann: his own first review, not hers.
    await memory(card(bob, c1), daysAgo(3));
    for (const days of [3, 4]) await answer(card(bob, c1), daysAgo(days));

    await db.execute(sql.raw(dataStep()));

    const rows = await db
      .select({
        userId: cardStates.userId,
        cardId: cardStates.cardId,
        firstReview: cardStates.firstReview,
      })
      .from(cardStates)
      .where(eq(cardStates.orgId, orgId));
    const key = (r: { userId: string; cardId: string }) => `${r.userId} ${r.cardId}`;
    expect(rows.sort((x, y) => key(x).localeCompare(key(y)))).toEqual(
      [
        { userId: ann, cardId: c1, firstReview: daysAgo(30) },
        { userId: ann, cardId: c2, firstReview: null },
        { userId: ann, cardId: c3, firstReview: daysAgo(2) },
        { userId: bob, cardId: c1, firstReview: daysAgo(4) },
      ].sort((x, y) => key(x).localeCompare(key(y))),
    );
  });
});
