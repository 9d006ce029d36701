/**
 * The automatic reminder counts the refreshers Today serves in Today's order: lowest predicted
 * recall first (server/learner/today.ts), so a half-forgotten card due later fits the budget
 * before a better-remembered one due earlier, in the reminder's SQL as on Today.
 */
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { notifications } from '../../server/db/schema';
import { remindBatch } from '../../server/outreach/reminders-sql';
import { createHarness, json, type UserFixture } from '../helpers/harness';
import { learningFixtures, sampleSingle } from '../helpers/learning';

const h = await createHarness();
const f = learningFixtures(h);
/** Monday 2 March 2026, 10:30 in Paris: after the default 09:00 reminder. */
const NOW = '2026-03-02T09:30:00Z';

describe('the reminder’s count follows Today’s order', () => {
  let learner: UserFixture;
  let cardIds: string[];

  beforeAll(async () => {
    h.clock.set(NOW);
    const { a } = h.world;
    await f.learningSettings(a, { dailyBudgetMinutes: 5 });
    learner = await f.learner(a, 'Order');
    const module = await f.publishedModule(a, { title: 'Order' }, [
      {
        cards: [
          { ...sampleSingle, expectedSeconds: 250 },
          { ...sampleSingle, expectedSeconds: 100 },
          { ...sampleSingle, expectedSeconds: 100 },
        ],
      },
    ]);
    await f.assign(a, module.id, [learner.id]);
    cardIds = module.lessons[0]!.cardIds;
    const [old, weak1, weak2] = cardIds as [string, string, string];
    // Due 10 days ago, still well remembered: t/S = 40/30 = 1.33 (R 0.88).
    await f.remember(a, learner.id, old, { stability: 30, daysAgo: 40 });
    // Due 3 days ago, half forgotten: t/S = 5/2 = 2.5 (R 0.80).
    await f.remember(a, learner.id, weak1, { stability: 2, daysAgo: 5 });
    await f.remember(a, learner.id, weak2, { stability: 2, daysAgo: 5 });
  });

  it('the two weak cards (200 s) fit the 300 s budget first; earliest due would have served one', async () => {
    const { a } = h.world;
    const [, weak1, weak2] = cardIds;
    const res = await learner.inject({ method: 'GET', url: `/api/orgs/${a.id}/me/today` });
    expect(res.statusCode, res.body).toBe(200);
    const today = json(res);
    expect(today.refreshers.map((c: { id: string }) => c.id).sort()).toEqual([weak1, weak2].sort());
    expect(today.dueCount).toBe(3);

    await remindBatch(h.db, {
      days: [{ orgId: a.id, date: '2026-03-02' }],
      now: h.clock.now(),
      after: null,
      limit: 1000,
    });
    const [reminder] = await h.db
      .select({ params: notifications.params })
      .from(notifications)
      .where(and(eq(notifications.userId, learner.id), eq(notifications.kind, 'reminder')));
    // Earliest due first: the 250 s card alone, 5 minutes.
    expect(reminder?.params).toMatchObject({ dueCount: 2, minutes: 4, totalDue: 3 });
  });
});
