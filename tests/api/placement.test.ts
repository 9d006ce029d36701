import { randomUUID } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { assignments, cardStates, lessonProgress, reviewLogs } from '../../server/db/schema';
import {
  ALL_ROLES,
  checkRoute,
  createHarness,
  expectError,
  issuePaths,
  json,
  type OrgFixture,
  type UserFixture,
} from '../helpers/harness';
import { learningFixtures } from '../helpers/learning';
import { sampleCards } from '../helpers/modules';

const h = await createHarness();
const f = learningFixtures(h);
const START = '2026-03-02T09:00:00Z';
const me = (org: OrgFixture, rest: string) => `/api/orgs/${org.id}/me${rest}`;
const placement = (org: OrgFixture, moduleId: string) => me(org, `/modules/${moduleId}/placement`);
const tf = sampleCards.truefalse; // the right answer is `true`

/** One answer through POST /reviews, as the placement page sends it; its id. */
async function answer(user: UserFixture, org: OrgFixture, cardId: string, right: boolean) {
  const id = randomUUID();
  const res = await user.inject({
    method: 'POST',
    url: `/api/orgs/${org.id}/reviews`,
    payload: { id, cardId, answer: { kind: 'truefalse', value: right }, durationMs: 4000 },
  });
  expect(res.statusCode, res.body).toBe(200);
  return id;
}

const place = (user: UserFixture, org: OrgFixture, moduleId: string, reviewIds: string[]) =>
  user.inject({ method: 'POST', url: placement(org, moduleId), payload: { reviewIds } });

const everyones: Record<string, Awaited<ReturnType<typeof f.publishedModule>>> = {};

beforeAll(async () => {
  h.clock.set(START);
  for (const org of [h.world.a, h.world.b]) {
    everyones[org.id] = await f.publishedModule(org);
    await f.assign(org, everyones[org.id]!.id, f.everyone(org));
  }
});

describe('access', () => {
  it('every member places themselves in their own modules; bad input is 400', async () => {
    await checkRoute(h, {
      request: (org, owner) => ({
        method: 'POST',
        url: placement(org, everyones[owner.id]!.id),
        payload: { reviewIds: [randomUUID()] },
      }),
      allow: ALL_ROLES,
      status: 200,
      objectInPath: true,
      badInput: (org) => ({
        method: 'POST',
        url: placement(org, everyones[org.id]!.id),
        payload: { reviewIds: ['not-a-uuid'] },
      }),
    });
    const { a } = h.world;
    const id = everyones[a.id]!.id;
    for (const payload of [{}, { reviewIds: [randomUUID()], extra: 1 }]) {
      const res = await a.users.learner.inject({
        method: 'POST',
        url: placement(a, id),
        payload,
      });
      expectError(res, 400, 'VALIDATION_FAILED');
    }
    const twice = randomUUID();
    const err = expectError(await place(a.users.learner, a, id, [twice, twice]), 400);
    expect(issuePaths(err)).toContain('body.reviewIds');
  });

  it('an unassigned module, a draft or an unknown id is 404', async () => {
    const { a } = h.world;
    const learner = await h.addUser(a.id, ['learner']);
    const unassigned = await f.publishedModule(a);
    const draft = await f.freshModule(a);
    await f.freshLesson(a, draft.id);
    await h.db.insert(assignments).values({
      orgId: a.id,
      moduleId: draft.id,
      userId: learner.id,
      reason: 'manual',
      opensAt: h.clock.now(),
    });
    for (const id of [unassigned.id, draft.id, randomUUID()]) {
      expectError(await place(learner, a, id, [randomUUID()]), 404, 'NOT_FOUND');
    }
  });
});

describe('placement check', () => {
  it('marks known the lessons whose cards were all answered right; the rest stay to study', async () => {
    const { a } = h.world;
    const learner = await h.addUser(a.id, ['learner']);
    const module = await f.publishedModule(a, {}, [
      { title: 'Find a customer', cards: [tf, tf] },
      { title: 'Log a call', cards: [tf, tf] },
      { title: 'Close a call', cards: [tf] },
    ]);
    await f.assign(a, module.id, [learner.id]);
    const [one, two, three] = module.lessons;

    const ids = [
      await answer(learner, a, one!.cardIds[0]!, true),
      await answer(learner, a, one!.cardIds[1]!, true),
      await answer(learner, a, two!.cardIds[0]!, true),
      await answer(learner, a, two!.cardIds[1]!, false),
      // Lesson 3's card: wrong, then right; the last answer counts.
      await answer(learner, a, three!.cardIds[0]!, false),
      await answer(learner, a, three!.cardIds[0]!, true),
    ];
    const res = await place(learner, a, module.id, ids);
    expect(res.statusCode, res.body).toBe(200);
    expect(json(res)).toEqual({
      known: [
        { id: one!.id, title: 'Find a customer' },
        { id: three!.id, title: 'Close a call' },
      ],
      toStudy: [{ id: two!.id, title: 'Log a call' }],
    });

    const rows = await h.db
      .select()
      .from(lessonProgress)
      .where(eq(lessonProgress.userId, learner.id));
    expect(rows.map((r) => [r.lessonId, r.knownAt, r.completedAt]).sort()).toEqual(
      [
        [one!.id, new Date(START), null],
        [three!.id, new Date(START), null],
      ].sort(),
    );

    // Today now points at lesson 2, and the module reads lessons 1 and 3 as known.
    const today = json(await learner.inject({ method: 'GET', url: me(a, '/today') }));
    expect(today.nextLesson).toMatchObject({ moduleId: module.id, lessonId: two!.id });
    expect(today.summary.cardsInMemory).toBe(5);
    const read = json(await learner.inject({ method: 'GET', url: me(a, `/modules/${module.id}`) }));
    expect(read.lessons.map((l: { knownAt: string | null }) => l.knownAt)).toEqual([
      START.replace('Z', '.000Z'),
      null,
      START.replace('Z', '.000Z'),
    ]);
    const list = json(await learner.inject({ method: 'GET', url: me(a, '/modules') }));
    expect(list.items[0]).toMatchObject({ moduleId: module.id, lessonsDone: 2, lessonCount: 3 });

    // Every card answered is in memory, reviewed once per answer.
    const states = await h.db.select().from(cardStates).where(eq(cardStates.userId, learner.id));
    const allCards = module.lessons.flatMap((l) => l.cardIds);
    expect(states.map((s) => s.cardId).sort()).toEqual([...allCards].sort());
    for (const s of states) {
      expect(s.lastReview!.getTime()).toBeGreaterThanOrEqual(h.clock.now().getTime());
      expect(s.reps).toBe(s.cardId === three!.cardIds[0] ? 2 : 1);
    }
    const logs = await h.db.select().from(reviewLogs).where(inArray(reviewLogs.id, ids));
    expect(logs).toHaveLength(6);

    // The same placement again changes nothing; a later one never unmarks a known lesson.
    h.clock.advance(60_000);
    const again = await place(learner, a, module.id, ids);
    expect(json(again)).toEqual(json(res));
    const wrong = [await answer(learner, a, one!.cardIds[0]!, false)];
    expect(json(await place(learner, a, module.id, wrong))).toEqual(json(res));
    const [first] = await h.db
      .select()
      .from(lessonProgress)
      .where(and(eq(lessonProgress.userId, learner.id), eq(lessonProgress.lessonId, one!.id)));
    expect(first!.knownAt).toEqual(new Date(START));
    h.clock.set(START);
  });

  it('needs every card answered; a lesson without cards stays to study; completed lessons are left out', async () => {
    const { a } = h.world;
    const learner = await h.addUser(a.id, ['learner']);
    const module = await f.publishedModule(a, {}, [
      { title: 'Done already', cards: [tf] },
      { title: 'Half answered', cards: [tf, tf] },
      { title: 'Reading only', cards: [] },
    ]);
    await f.assign(a, module.id, [learner.id]);
    const [done, half, reading] = module.lessons;
    await learner.inject({
      method: 'PUT',
      url: me(a, `/lessons/${done!.id}/progress`),
      payload: { position: 1, completed: true },
    });
    const ids = [
      await answer(learner, a, done!.cardIds[0]!, true),
      await answer(learner, a, half!.cardIds[0]!, true),
    ];
    const res = await place(learner, a, module.id, ids);
    expect(json(res)).toEqual({
      known: [],
      toStudy: [
        { id: half!.id, title: 'Half answered' },
        { id: reading!.id, title: 'Reading only' },
      ],
    });
  });

  it('counts only the caller’s own answers to this module', async () => {
    const { a } = h.world;
    const [learner, other] = [
      await h.addUser(a.id, ['learner']),
      await h.addUser(a.id, ['learner']),
    ];
    const module = await f.publishedModule(a, {}, [{ cards: [tf] }]);
    const elsewhere = await f.publishedModule(a, {}, [{ cards: [tf] }]);
    await f.assign(a, module.id, [learner.id, other.id]);
    await f.assign(a, elsewhere.id, [learner.id]);
    const card = module.lessons[0]!.cardIds[0]!;
    const ids = [
      await answer(other, a, card, true),
      await answer(learner, a, elsewhere.lessons[0]!.cardIds[0]!, true),
    ];
    expect(json(await place(learner, a, module.id, ids))).toEqual({
      known: [],
      toStudy: [{ id: module.lessons[0]!.id, title: expect.any(String) }],
    });
    const mine = await answer(learner, a, card, true);
    expect(json(await place(learner, a, module.id, [mine])).known).toHaveLength(1);
  });
});
