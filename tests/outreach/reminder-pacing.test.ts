/**
 * The reminders' producer rests between batches, twice as long as each took, so the people using
 * the app keep their share of the database during a large run; it queues everyone all the same.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxMessages } from '../../server/db/schema';
import { createReminderProducer } from '../../server/outreach/reminders';
import { createHarness, type Harness } from '../helpers/harness';
import { learningFixtures } from '../helpers/learning';

// Tuesday 8 December 2026, 10:00 in Paris: a working day, past the default 09:00.
const TUESDAY_1000_PARIS = new Date('2026-12-08T09:00:00Z');

let h: Harness;
beforeAll(async () => {
  h = await createHarness({
    config: { session: { idleMs: 365 * 86_400_000, absoluteMs: 365 * 86_400_000 } },
    seed: true,
  });
}, 60_000);
afterAll(() => h?.close());

describe('the reminders producer', () => {
  it('rests after every batch but the last, and reminds everyone', async () => {
    const f = learningFixtures(h);
    const { a } = h.world;
    const module = await f.publishedModule(a, { title: 'CRM basics' });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await f.learner(a, `Learner ${i}`)).id);
    await f.assign(a, module.id, ids);
    for (const id of ids) {
      await f.remember(a, id, module.lessons[0]!.cardIds[0]!, { stability: 2, daysAgo: 10 });
    }

    const rests: number[] = [];
    const producer = createReminderProducer({
      db: h.db,
      clock: h.clock,
      appUrl: 'http://rappel.test',
      // Both organisations' members, two at a time: several batches.
      batchSize: 2,
      rest: async (ms) => void rests.push(ms),
    });
    h.clock.set(TUESDAY_1000_PARIS);
    const run = await producer.run();

    expect(run.batches).toBeGreaterThanOrEqual(8);
    // A rest after every batch but the last.
    expect(rests).toHaveLength(run.batches - 1);
    expect(rests.every((ms) => ms > 0)).toBe(true);
    const queued = await h.db
      .select({ userId: outboxMessages.userId })
      .from(outboxMessages)
      .where(eq(outboxMessages.kind, 'reminder'));
    expect(queued.map((q) => q.userId).sort()).toEqual([...ids].sort());
  });
});
