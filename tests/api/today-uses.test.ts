import { beforeAll, describe, expect, it } from 'vitest';
import { orgClosures } from '../../server/db/schema';
import { createHarness, json, type OrgFixture, type UserFixture } from '../helpers/harness';
import { learningFixtures } from '../helpers/learning';

/*
 * Today names the processes used within a week that the day's refreshers prepare for. The
 * clock starts on Monday 2 March 2026, 10:00 in Paris (the organisation's zone).
 */

const h = await createHarness();
const f = learningFixtures(h);

let org: OrgFixture;
let learner: UserFixture;
const card: Record<'close' | 'inventory' | 'quarter' | 'plain', string> = {
  close: '',
  inventory: '',
  quarter: '',
  plain: '',
};
const process: Record<'close' | 'inventory' | 'quarter', string> = {
  close: '',
  inventory: '',
  quarter: '',
};

/** A process of a fresh tool, through the trainers' route. */
async function addProcess(name: string, nextUse: object) {
  const tool = await f.freshModule(org).then((m) => m.toolId as string);
  const res = await org.users.trainer.inject({
    method: 'POST',
    url: `/api/orgs/${org.id}/tools/${tool}/processes`,
    payload: { name, nextUse },
  });
  expect(res.statusCode, res.body).toBe(201);
  return { toolId: tool, processId: json(res).id as string };
}

/** A published module (of the process, or of none) with one card, due for `learner` now. */
async function dueCard(about: { toolId: string; processId: string } | null) {
  const module = await f.publishedModule(org, about ?? {});
  await f.assign(org, module.id, [learner.id]);
  const cardId = module.lessons[0]!.cardIds[0]!;
  await f.remember(org, learner.id, cardId, { stability: 10, daysAgo: 12 });
  return cardId;
}

async function today() {
  const res = await learner.inject({ method: 'GET', url: `/api/orgs/${org.id}/me/today` });
  expect(res.statusCode, res.body).toBe(200);
  return json(res) as {
    refreshers: { id: string }[];
    uses: { processId: string; processName: string; on: string; cardIds: string[] }[];
  };
}

beforeAll(async () => {
  h.clock.set('2026-03-02T09:00:00Z');
  org = h.world.a;
  learner = await h.addUser(org.id, ['learner'], 'Noor');
  const close = await addProcess('Month-end close', { kind: 'dates', dates: ['2026-03-05'] });
  const inventory = await addProcess('Inventory', { kind: 'dates', dates: ['2026-03-22'] });
  const quarter = await addProcess('Quarter close', {
    kind: 'rule',
    rule: 'last-working-day-of-quarter',
  });
  process.close = close.processId;
  process.inventory = inventory.processId;
  process.quarter = quarter.processId;
  card.close = await dueCard(close);
  card.inventory = await dueCard(inventory);
  card.quarter = await dueCard(quarter);
  card.plain = await dueCard(null);
});

describe("Today's process uses", () => {
  it('names a use in 3 days with its refresher; not one in 20 days, nor a module without a process', async () => {
    const t = await today();
    // Every card is served (they fit the daily budget); only one prepares for a use this week.
    expect(t.refreshers.map((r) => r.id).sort()).toEqual(Object.values(card).sort());
    expect(t.uses).toEqual([
      {
        processId: process.close,
        processName: 'Month-end close',
        on: '2026-03-05',
        cardIds: [card.close],
      },
    ]);
  });

  it("moves with the day: a past use is gone, a rule reads the organisation's working days", async () => {
    // Monday 16 March: the close is past, the inventory (Sunday 22nd) is 6 days ahead.
    h.clock.set('2026-03-16T09:00:00Z');
    learner.token = await h.signIn(learner.id);
    expect((await today()).uses).toEqual([
      {
        processId: process.inventory,
        processName: 'Inventory',
        on: '2026-03-22',
        cardIds: [card.inventory],
      },
    ]);
    // Wednesday 25 March: the quarter closes on Tuesday 31st, or on Monday 30th when the
    // organisation is closed on the 31st.
    h.clock.set('2026-03-25T09:00:00Z');
    learner.token = await h.signIn(learner.id);
    expect((await today()).uses.map((u) => [u.processId, u.on, u.cardIds])).toEqual([
      [process.quarter, '2026-03-31', [card.quarter]],
    ]);
    await h.db
      .insert(orgClosures)
      .values({ orgId: org.id, startsOn: '2026-03-31', endsOn: '2026-03-31', label: 'Inventaire' });
    expect((await today()).uses.map((u) => [u.processId, u.on])).toEqual([
      [process.quarter, '2026-03-30'],
    ]);
  });
});
