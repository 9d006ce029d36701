import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
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

/** One answer as the placement page keeps it: its own id, the measured duration. */
const answerTo = (cardId: string, right: boolean, durationMs = 4000) => ({
  id: randomUUID(),
  cardId,
  answer: { kind: 'truefalse', value: right },
  durationMs,
});
type PlacementAnswer = ReturnType<typeof answerTo>;

/** Grades one answer through the check endpoint, as the page does for each card; the answer. */
async function check(user: UserFixture, org: OrgFixture, moduleId: string, a: PlacementAnswer) {
  const res = await user.inject({
    method: 'POST',
    url: `${placement(org, moduleId)}/check`,
    payload: { cardId: a.cardId, answer: a.answer },
  });
  expect(res.statusCode, res.body).toBe(200);
  expect(json(res)).toEqual({
    cardId: a.cardId,
    correct: a.answer.value,
    solution: { kind: 'truefalse', value: true },
    explanationHtml: expect.any(String),
  });
  return a;
}

const place = (user: UserFixture, org: OrgFixture, moduleId: string, answers: object[]) =>
  user.inject({ method: 'POST', url: placement(org, moduleId), payload: { answers } });

const memoryOf = (userId: string) =>
  h.db.select().from(cardStates).where(eq(cardStates.userId, userId));
const logsOf = (userId: string) =>
  h.db.select().from(reviewLogs).where(eq(reviewLogs.userId, userId));
const today = async (user: UserFixture, org: OrgFixture) =>
  json(await user.inject({ method: 'GET', url: me(org, '/today') }));

const everyones: Record<string, Awaited<ReturnType<typeof f.publishedModule>>> = {};

beforeAll(async () => {
  h.clock.set(START);
  for (const org of [h.world.a, h.world.b]) {
    everyones[org.id] = await f.publishedModule(org, {}, [{ cards: [tf] }]);
    await f.assign(org, everyones[org.id]!.id, f.everyone(org));
  }
});

describe('access', () => {
  const cardOf = (org: OrgFixture) => everyones[org.id]!.lessons[0]!.cardIds[0]!;

  it('every member checks answers in their own modules; bad input is 400', async () => {
    await checkRoute(h, {
      request: (org, owner) => ({
        method: 'POST',
        url: `${placement(org, everyones[owner.id]!.id)}/check`,
        payload: { cardId: cardOf(owner), answer: { kind: 'truefalse', value: true } },
      }),
      allow: ALL_ROLES,
      status: 200,
      objectInPath: true,
      badInput: (org) => ({
        method: 'POST',
        url: `${placement(org, everyones[org.id]!.id)}/check`,
        payload: { cardId: 'not-a-uuid', answer: { kind: 'truefalse', value: true } },
      }),
    });
    const { a } = h.world;
    const url = `${placement(a, everyones[a.id]!.id)}/check`;
    const bad = async (payload: object, path: string) => {
      const res = await a.users.learner.inject({ method: 'POST', url, payload });
      expect(issuePaths(expectError(res, 400, 'VALIDATION_FAILED'))).toContain(path);
    };
    const cardId = cardOf(a);
    await bad({ cardId }, 'body.answer');
    await bad({ cardId, answer: { kind: 'truefalse', value: true }, extra: 1 }, 'body');
    // Schema-valid, but not an answer to this card: the message reviews give.
    const res = await a.users.learner.inject({
      method: 'POST',
      url,
      payload: { cardId, answer: { kind: 'single', optionId: randomUUID() } },
    });
    const err = expectError(res, 400, 'VALIDATION_FAILED');
    expect(err.message).toBe('This answer does not fit the card.');
    expect(issuePaths(err)).toEqual(['body.answer.kind']);
  });

  it('every member places themselves in their own modules; bad input is 400', async () => {
    await checkRoute(h, {
      request: (org, owner) => ({
        method: 'POST',
        url: placement(org, everyones[owner.id]!.id),
        payload: { answers: [answerTo(cardOf(owner), true)] },
      }),
      allow: ALL_ROLES,
      status: 200,
      objectInPath: true,
      badInput: (org) => ({
        method: 'POST',
        url: placement(org, everyones[org.id]!.id),
        payload: { answers: [{ ...answerTo(cardOf(org), true), id: 'not-a-uuid' }] },
      }),
    });
    const { a } = h.world;
    const { learner } = a.users;
    const id = everyones[a.id]!.id;
    for (const payload of [{}, { answers: [], extra: 1 }, { reviewIds: [randomUUID()] }]) {
      const res = await learner.inject({ method: 'POST', url: placement(a, id), payload });
      expectError(res, 400, 'VALIDATION_FAILED');
    }
    const twice = answerTo(cardOf(a), true);
    const dup = expectError(await place(learner, a, id, [twice, twice]), 400);
    expect(issuePaths(dup)).toContain('body.answers');
    const late = { ...answerTo(cardOf(a), true), durationMs: -1 };
    expect(issuePaths(expectError(await place(learner, a, id, [late]), 400))).toContain(
      'body.answers.0.durationMs',
    );
    const misfit = { ...answerTo(cardOf(a), true), answer: { kind: 'order', stepIds: [] } };
    const err = expectError(await place(learner, a, id, [answerTo(cardOf(a), true), misfit]), 400);
    expect(err.message).toBe('This answer does not fit the card.');
    expect(issuePaths(err)).toEqual(['body.answers.1.answer.kind']);
  });

  it('an unassigned module, a draft, an unknown id or a card of another module is 404', async () => {
    const { a } = h.world;
    const learner = await h.addUser(a.id, ['learner']);
    const unassigned = await f.publishedModule(a, {}, [{ cards: [tf] }]);
    const mine = await f.publishedModule(a, {}, [{ cards: [tf] }]);
    await f.assign(a, mine.id, [learner.id]);
    const draft = await f.freshModule(a);
    const lesson = await f.freshLesson(a, draft.id);
    const draftCard = (await f.freshCard(a, lesson.id, tf)).id as string;
    await h.db.insert(assignments).values({
      orgId: a.id,
      moduleId: draft.id,
      userId: learner.id,
      reason: 'manual',
      opensAt: h.clock.now(),
    });
    const unassignedCard = unassigned.lessons[0]!.cardIds[0]!;
    const cases: [string, string][] = [
      [unassigned.id, unassignedCard],
      [draft.id, draftCard],
      [randomUUID(), unassignedCard],
      // The module is the learner's; the card belongs to another one, or to none.
      [mine.id, unassignedCard],
      [mine.id, draftCard],
      [mine.id, randomUUID()],
    ];
    for (const [moduleId, cardId] of cases) {
      const res = await learner.inject({
        method: 'POST',
        url: `${placement(a, moduleId)}/check`,
        payload: { cardId, answer: { kind: 'truefalse', value: true } },
      });
      expectError(res, 404, 'NOT_FOUND');
    }
    for (const id of [unassigned.id, draft.id, randomUUID()]) {
      expectError(await place(learner, a, id, [answerTo(draftCard, true)]), 404, 'NOT_FOUND');
    }
    expect(await memoryOf(learner.id)).toEqual([]);
  });
});

describe('placement check', () => {
  it('records nothing while checking; then only the lessons placed out of enter memory', async () => {
    const { a } = h.world;
    const [learner, reference] = [
      await h.addUser(a.id, ['learner']),
      await h.addUser(a.id, ['learner']),
    ];
    const module = await f.publishedModule(a, {}, [
      { title: 'Find a customer', cards: [tf, tf] },
      { title: 'Log a call', cards: [tf, tf] },
      { title: 'Close a call', cards: [tf] },
    ]);
    await f.assign(a, module.id, [learner.id, reference.id]);
    const [one, two, three] = module.lessons;
    const read = async () =>
      json(await learner.inject({ method: 'GET', url: me(a, `/modules/${module.id}`) }));
    // In the expected time: Good; within half of it: Easy.
    const inTime = (await read()).lessons[0].cards[0].expectedSeconds * 1000;

    const answers = [
      await check(learner, a, module.id, answerTo(one!.cardIds[0]!, true, inTime)),
      await check(learner, a, module.id, answerTo(one!.cardIds[1]!, true, 1000)),
      await check(learner, a, module.id, answerTo(two!.cardIds[0]!, true)),
      await check(learner, a, module.id, answerTo(two!.cardIds[1]!, false)),
      // Lesson 3's card: wrong, then right; the last answer counts.
      await check(learner, a, module.id, answerTo(three!.cardIds[0]!, false)),
      await check(learner, a, module.id, answerTo(three!.cardIds[0]!, true, inTime)),
    ];
    // Checking put nothing in memory and logged nothing.
    expect(await memoryOf(learner.id)).toEqual([]);
    expect(await logsOf(learner.id)).toEqual([]);
    expect((await today(learner, a)).summary.cardsInMemory).toBe(0);

    const res = await place(learner, a, module.id, answers);
    expect(res.statusCode, res.body).toBe(200);
    expect(json(res)).toEqual({
      known: [
        { id: one!.id, title: 'Find a customer' },
        { id: three!.id, title: 'Close a call' },
      ],
      toStudy: [{ id: two!.id, title: 'Log a call' }],
    });

    const progress = await h.db
      .select()
      .from(lessonProgress)
      .where(eq(lessonProgress.userId, learner.id));
    expect(progress.map((r) => [r.lessonId, r.knownAt, r.completedAt]).sort()).toEqual(
      [
        [one!.id, new Date(START), null],
        [three!.id, new Date(START), null],
      ].sort(),
    );

    // Lesson 2 is next, its cards are not in memory (no refresher tomorrow for a lesson not
    // studied yet); the known lessons' cards are, once each.
    const now = await today(learner, a);
    expect(now.nextLesson).toMatchObject({ moduleId: module.id, lessonId: two!.id });
    expect(now.summary.cardsInMemory).toBe(3);
    const placed = [one!.cardIds[0]!, one!.cardIds[1]!, three!.cardIds[0]!];
    const states = await memoryOf(learner.id);
    expect(states.map((s) => s.cardId).sort()).toEqual([...placed].sort());
    for (const s of states) expect(s.reps).toBe(1);
    const logs = await logsOf(learner.id);
    expect(logs.map((l) => l.id).sort()).toEqual(
      [answers[0]!.id, answers[1]!.id, answers[5]!.id].sort(),
    );

    // Due dates as the same answers give as first reviews (Good, Easy, Good).
    expect(logs.map((l) => [l.cardId, l.rating]).sort()).toEqual(
      [
        [placed[0], 3],
        [placed[1], 4],
        [placed[2], 3],
      ].sort(),
    );
    for (const i of [0, 1, 5]) {
      const { id: _, ...rest } = answers[i]!;
      const review = await reference.inject({
        method: 'POST',
        url: `/api/orgs/${a.id}/reviews`,
        payload: { ...rest, id: randomUUID() },
      });
      const state = states.find((s) => s.cardId === answers[i]!.cardId)!;
      expect(state.due.toISOString()).toBe(json(review).due);
    }

    expect((await read()).lessons.map((l: { knownAt: string | null }) => l.knownAt)).toEqual([
      START.replace('Z', '.000Z'),
      null,
      START.replace('Z', '.000Z'),
    ]);
    const list = json(await learner.inject({ method: 'GET', url: me(a, '/modules') }));
    expect(list.items[0]).toMatchObject({ moduleId: module.id, lessonsDone: 2, lessonCount: 3 });

    // The same placement again (a lost response) changes nothing; a later one never unmarks a
    // known lesson nor records a wrong answer.
    h.clock.advance(60_000);
    const again = await place(learner, a, module.id, answers);
    expect(json(again)).toEqual(json(res));
    const wrong = [answerTo(one!.cardIds[0]!, false), answerTo(two!.cardIds[0]!, false)];
    expect(json(await place(learner, a, module.id, wrong))).toEqual(json(res));
    expect(await memoryOf(learner.id)).toEqual(states);
    expect(await logsOf(learner.id)).toHaveLength(3);
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
    const answers = [answerTo(done!.cardIds[0]!, true), answerTo(half!.cardIds[0]!, true)];
    const res = await place(learner, a, module.id, answers);
    expect(json(res)).toEqual({
      known: [],
      toStudy: [
        { id: half!.id, title: 'Half answered' },
        { id: reading!.id, title: 'Reading only' },
      ],
    });
    expect(await memoryOf(learner.id)).toEqual([]);
  });

  it('answers to cards of another module count for nothing and are recorded nowhere', async () => {
    const { a } = h.world;
    const learner = await h.addUser(a.id, ['learner']);
    const module = await f.publishedModule(a, {}, [{ cards: [tf] }]);
    const elsewhere = await f.publishedModule(a, {}, [{ cards: [tf] }]);
    await f.assign(a, module.id, [learner.id]);
    await f.assign(a, elsewhere.id, [learner.id]);
    const other = answerTo(elsewhere.lessons[0]!.cardIds[0]!, true);
    expect(json(await place(learner, a, module.id, [other]))).toEqual({
      known: [],
      toStudy: [{ id: module.lessons[0]!.id, title: expect.any(String) }],
    });
    expect(await memoryOf(learner.id)).toEqual([]);
    const mine = answerTo(module.lessons[0]!.cardIds[0]!, true);
    expect(json(await place(learner, a, module.id, [other, mine])).known).toHaveLength(1);
    expect((await memoryOf(learner.id)).map((s) => s.cardId)).toEqual([mine.cardId]);
  });

  it('a card already in memory takes the placing answer as its next review', async () => {
    const { a } = h.world;
    const learner = await h.addUser(a.id, ['learner']);
    const module = await f.publishedModule(a, {}, [{ cards: [tf, tf] }]);
    await f.assign(a, module.id, [learner.id]);
    const [cardA, cardB] = module.lessons[0]!.cardIds;
    // A lesson check left half done: one card answered (wrong), the lesson not completed.
    const res = await learner.inject({
      method: 'POST',
      url: `/api/orgs/${a.id}/reviews`,
      payload: answerTo(cardA!, false),
    });
    expect(res.statusCode, res.body).toBe(200);
    h.clock.advance(3_600_000);
    const answers = [answerTo(cardA!, true), answerTo(cardB!, true)];
    expect(json(await place(learner, a, module.id, answers)).known).toHaveLength(1);
    const states = await memoryOf(learner.id);
    expect(states.map((s) => [s.cardId, s.reps]).sort()).toEqual(
      [
        [cardA, 2],
        [cardB, 1],
      ].sort(),
    );
    h.clock.set(START);
  });

  it('an answer id already used for another answer is 409, and nothing is marked known', async () => {
    const { a } = h.world;
    const learner = await h.addUser(a.id, ['learner']);
    const module = await f.publishedModule(a, {}, [{ cards: [tf] }]);
    await f.assign(a, module.id, [learner.id]);
    const cardId = module.lessons[0]!.cardIds[0]!;
    const used = answerTo(everyones[a.id]!.lessons[0]!.cardIds[0]!, true);
    const res = await a.users.learner.inject({
      method: 'POST',
      url: `/api/orgs/${a.id}/reviews`,
      payload: used,
    });
    expect(res.statusCode, res.body).toBe(200);
    const reused = { ...answerTo(cardId, true), id: used.id };
    expectError(await place(learner, a, module.id, [reused]), 409, 'CONFLICT');
    const read = json(await learner.inject({ method: 'GET', url: me(a, `/modules/${module.id}`) }));
    expect(read.lessons[0].knownAt).toBeNull();
  });
});
