import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Today } from '../../shared/learning';
import { DAY } from '../helpers/clock';
import {
  checkRoute,
  createHarness,
  expectError,
  json,
  type OrgFixture,
  type UserFixture,
} from '../helpers/harness';
import { learningFixtures, rightAnswer } from '../helpers/learning';
import { sampleCards } from '../helpers/modules';

/*
 * A new version adds two cards to a lesson a learner has finished and removes one: the new
 * cards reach them through Today's "what's new", answered as a lesson check would, and then
 * come back as refreshers; the removed card is served nowhere. The clock starts on Monday
 * 2 March 2026, 10:00 in Paris (the organisations' zone).
 */

const h = await createHarness();
const f = learningFixtures(h);

let org: OrgFixture;
/** Finished the lesson before v2. */
let finisher: UserFixture;
/** Had not started it before v2. */
let newcomer: UserFixture;
let moduleId: string;
let lessonId: string;
/** v1's cards: `kept` stays, `dropped` is removed by v2. */
const card = { kept: '', dropped: '', added1: '', added2: '' };

const today = async (user: UserFixture) => {
  const res = await user.inject({ method: 'GET', url: f.url(org, '/me/today') });
  expect(res.statusCode, res.body).toBe(200);
  return json(res) as Today;
};

/** `user`'s right answer to `cardId`, in its expected time (a Good rating), recorded. */
async function answer(user: UserFixture, cardId: string) {
  const { cards } = await f.getLesson(org, lessonId);
  const content = cards.find((c: { id: string }) => c.id === cardId);
  const res = await user.inject({
    method: 'POST',
    url: f.url(org, '/reviews'),
    payload: rightAnswer(content, content.effectiveExpectedSeconds * 1000),
  });
  expect(res.statusCode, res.body).toBe(200);
  return json(res);
}

/** The learner drill's line for the module, as a manager of the organisation reads it. */
async function drillLine(user: UserFixture) {
  const res = await org.users.admin.inject({
    method: 'GET',
    url: f.url(org, `/dashboards/learners/${user.id}`),
  });
  expect(res.statusCode, res.body).toBe(200);
  return (json(res).modules as { moduleId: string; cardsLearnt: number; dueToday: number }[]).find(
    (m) => m.moduleId === moduleId,
  )!;
}

beforeAll(async () => {
  h.clock.set('2026-03-02T09:00:00Z');
  org = h.world.a;
  finisher = await f.learner(org, 'Fay');
  newcomer = await f.learner(org, 'Noah');
  const module = await f.publishedModule(org, { title: 'CRM basics' }, [
    { title: 'Log a call', cards: [sampleCards.single, sampleCards.single] },
  ]);
  moduleId = module.id;
  lessonId = module.lessons[0]!.id;
  [card.kept, card.dropped] = module.lessons[0]!.cardIds as [string, string];
  await f.assign(org, moduleId, [finisher.id, newcomer.id]);

  // The lesson's check, then its completion, as the lesson player sends them.
  await answer(finisher, card.kept);
  await answer(finisher, card.dropped);
  await f.lessonProgress(org, finisher, lessonId);

  // Version 2: two cards added, one removed.
  card.added1 = (await f.freshCard(org, lessonId, sampleCards.single)).id;
  card.added2 = (await f.freshCard(org, lessonId, sampleCards.single)).id;
  const removed = await org.users.trainer.inject({
    method: 'DELETE',
    url: f.url(org, `/cards/${card.dropped}`),
  });
  expect(removed.statusCode, removed.body).toBe(204);
  expect(await f.publish(org, moduleId)).toMatchObject({ version: 2 });
});

describe("Today's what's new", () => {
  it('lists the two new cards of the finished lesson, in the module, without answers', async () => {
    const t = await today(finisher);
    expect(t.nextLesson).toBeNull();
    expect(t.whatsNew).toHaveLength(1);
    const [entry] = t.whatsNew;
    expect(entry).toMatchObject({
      moduleId,
      moduleTitle: 'CRM basics',
      lessons: [{ id: lessonId, title: 'Log a call' }],
    });
    expect(entry!.cards.map((c) => c.id)).toEqual([card.added1, card.added2]);
    expect(entry!.cards.every((c) => c.lessonId === lessonId && c.moduleId === moduleId)).toBe(
      true,
    );
    // What the learner sees before answering: nothing says which option is right.
    expect(JSON.stringify(entry!.cards)).not.toMatch(/correct/);
    expect(entry!.estimatedSeconds).toBe(
      entry!.cards.reduce((sum, c) => sum + c.expectedSeconds, 0),
    );
  });

  it('gives a learner who had not finished the lesson the new cards with the lesson instead', async () => {
    const t = await today(newcomer);
    expect(t.whatsNew).toEqual([]);
    expect(t.nextLesson).toMatchObject({ moduleId, lessonId });
    const res = await newcomer.inject({
      method: 'GET',
      url: f.url(org, `/me/modules/${moduleId}`),
    });
    const lesson = (json(res).lessons as { id: string; cards: { id: string }[] }[])[0]!;
    expect(lesson.cards.map((c) => c.id)).toEqual([card.kept, card.added1, card.added2]);
  });

  it("is Today's, so only the caller's and only in their organisation", async () => {
    await checkRoute(h, {
      request: (o) => ({ method: 'GET', url: `/api/orgs/${o.id}/me/today` }),
      allow: ['learner', 'trainer', 'manager', 'referent', 'admin'],
      status: 200,
    });
    // A member of another organisation cannot answer the new cards.
    const outsider = h.world.b.users.learner;
    const res = await outsider.inject({
      method: 'POST',
      url: `/api/orgs/${h.world.b.id}/reviews`,
      payload: {
        id: randomUUID(),
        cardId: card.added2,
        answer: { kind: 'single', optionId: randomUUID() },
        durationMs: 5000,
      },
    });
    expectError(res, 404, 'NOT_FOUND');
  });

  it('rejects an answer that does not fit a new card with 400', async () => {
    const res = await finisher.inject({
      method: 'POST',
      url: f.url(org, '/reviews'),
      payload: {
        id: randomUUID(),
        cardId: card.added2,
        answer: { kind: 'single', optionId: randomUUID() },
        durationMs: 5000,
      },
    });
    expectError(res, 400, 'VALIDATION_FAILED');
    expect((await today(finisher)).whatsNew[0]!.cards).toHaveLength(2);
  });

  it('after the session the cards are in memory, leave what’s new, and come back as refreshers', async () => {
    const before = await drillLine(finisher);
    await answer(finisher, card.added1);
    await answer(finisher, card.added2);

    const t = await today(finisher);
    expect(t.whatsNew).toEqual([]);
    // Memory of the kept card and the two new ones; the removed card counts nowhere.
    expect(t.summary.cardsInMemory).toBe(3);
    expect((await drillLine(finisher)).cardsLearnt).toBe(before.cardsLearnt + 2);

    // Ten days later every card is due: the new ones are served, the removed one is not.
    h.clock.advance(10 * DAY);
    const later = await today(finisher);
    expect(later.refreshers.map((c) => c.id).sort()).toEqual(
      [card.kept, card.added1, card.added2].sort(),
    );
    expect(later.dueCount).toBe(3);
    expect((await drillLine(finisher)).dueToday).toBe(3);
    expect(later.whatsNew).toEqual([]);
  });

  // Known gap, outside this change's area: the dashboards' learnt cards and recall
  // (server/dashboards: the drill's `learnt`, the at-risk pairs, the overview's
  // dashboard_pairs) read card_states without published_cards, so the removed card still
  // counts there. `fails` until they join it: then this turns red, to be made a plain `it`.
  it.fails("the dashboards' learnt cards leave out the removed card", async () => {
    expect((await drillLine(finisher)).cardsLearnt).toBe(3);
  });

  it('no longer accepts answers to the removed card', async () => {
    const res = await finisher.inject({
      method: 'POST',
      url: f.url(org, '/reviews'),
      payload: {
        id: randomUUID(),
        cardId: card.dropped,
        answer: { kind: 'single', optionId: randomUUID() },
        durationMs: 5000,
      },
    });
    expectError(res, 404, 'NOT_FOUND');
  });
});
