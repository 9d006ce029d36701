import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { assignments, cardStates, dashboardPairs, lessonProgress } from '../../server/db/schema';
import { createTestDb } from '../helpers/db';
import { migrationDataStep, migrationFixtures } from '../helpers/migration-data';

const handle = await createTestDb();
afterAll(() => handle.close());
const { db } = handle;
const now = new Date('2026-03-02T09:00:00Z');
const dataStep = () => migrationDataStep('0012_dashboard-pairs.sql', 'UNION SELECT');
const { member: learner, orgWithModule } = migrationFixtures(db, now, 'pairs');

type Pair = { orgId: string; userId: string; moduleId: string };

async function memory(pair: Pair) {
  await db.insert(cardStates).values({
    ...pair,
    cardId: randomUUID(),
    due: now,
    stability: 3,
    difficulty: 5,
    elapsedDays: 0,
    scheduledDays: 3,
    learningSteps: 0,
    reps: 1,
    lapses: 0,
    state: 2,
    lastReview: now,
  });
}

async function assignment(pair: Pair) {
  await db.insert(assignments).values({ ...pair, reason: 'manual', opensAt: now });
}

async function progress(pair: Pair) {
  await db.insert(lessonProgress).values({ ...pair, lessonId: randomUUID(), completedAt: now });
}

describe('migration 0012 (dashboard pairs)', () => {
  it('makes one row to compute per learner × module with a card state, an assignment or progress', async () => {
    const { orgId, moduleId } = await orgWithModule('Before dashboard pairs');
    const [cards, assigned, reading, all] = [
      await learner(orgId),
      await learner(orgId),
      await learner(orgId),
      await learner(orgId),
    ];
    const pair = (userId: string) => ({ orgId, userId, moduleId });
    // Two card states for one pair, and all three tables for another: still one row each.
    await memory(pair(cards));
    await memory(pair(cards));
    await assignment(pair(assigned));
    await progress(pair(reading));
    await memory(pair(all));
    await memory(pair(all));
    await assignment(pair(all));
    await progress(pair(all));
    await progress(pair(all));
    // Before the migration there was no such row (the triggers have made some here).
    await db.delete(dashboardPairs);

    await db.execute(sql.raw(dataStep()));

    const rows = await db
      .select({
        userId: dashboardPairs.userId,
        moduleId: dashboardPairs.moduleId,
        asOf: dashboardPairs.asOf,
      })
      .from(dashboardPairs)
      .where(eq(dashboardPairs.orgId, orgId));
    const byUser = (x: { userId: string }, y: { userId: string }) =>
      x.userId.localeCompare(y.userId);
    expect(rows.sort(byUser)).toEqual(
      [cards, assigned, reading, all]
        .map((userId) => ({ userId, moduleId, asOf: null }))
        .sort(byUser),
    );
  });
});
