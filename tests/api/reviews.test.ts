import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CardContentInput } from '../../shared/modules';
import type { NextUse } from '../../shared/tools';
import {
  assignments,
  cardStates,
  memberships,
  modules,
  organisations,
  personas,
  reviewLogs,
} from '../../server/db/schema';
import * as reviewRepo from '../../server/reviews/repository';
import { createScheduler } from '../../server/srs/fsrs';
import { BETWEEN_USES_RETENTION } from '../../server/srs/anchor';
import * as toolRepo from '../../server/tools/repository';
import { DAY } from '../helpers/clock';
import {
  ALL_ROLES,
  checkRoute,
  createHarness,
  expectError,
  type Harness,
  issuePaths,
  json,
  type OrgFixture,
  type UserFixture,
} from '../helpers/harness';
import { moduleFixtures, sampleCards } from '../helpers/modules';

const START = '2026-03-02T09:00:00Z'; // a Monday
const at = (days: number) => new Date(new Date(START).getTime() + days * DAY).toISOString();

let h: Harness;
let fx: ReturnType<typeof moduleFixtures>;
const reviews = (org: OrgFixture) => `/api/orgs/${org.id}/reviews`;

type Kind = keyof typeof sampleCards;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyCard = any;

/** A published module with one card of each kind (and `extra` cards), for `learners`. */
async function learnModule(
  org: OrgFixture,
  learners: UserFixture[],
  options: { toolId?: string; processId?: string; cards?: CardContentInput[] } = {},
) {
  const { cards: cardInputs, ...header } = options;
  const module = await fx.freshModule(org, header);
  const lesson = await fx.freshLesson(org, module.id);
  const inputs = cardInputs ?? Object.values(sampleCards);
  for (const input of inputs) await fx.freshCard(org, lesson.id, input);
  await fx.publish(org, module.id);
  const cards: AnyCard[] = (await fx.getLesson(org, lesson.id)).cards;
  await assign(org, module.id, learners);
  const byKind = Object.fromEntries(cards.map((c) => [c.kind, c])) as Record<Kind, AnyCard>;
  return { module, lesson, cards, byKind };
}

async function assign(org: OrgFixture, moduleId: string, learners: UserFixture[], opensAt = START) {
  for (const user of learners) {
    await h.db
      .insert(assignments)
      .values({
        orgId: org.id,
        moduleId,
        userId: user.id,
        reason: 'manual',
        opensAt: new Date(opensAt),
      })
      .onConflictDoNothing();
  }
}

/** The right answer to a card, as a learner would send it. */
function rightAnswer(card: AnyCard) {
  switch (card.kind as Kind) {
    case 'single':
      return { kind: 'single', optionId: card.options.find((o: AnyCard) => o.correct).id };
    case 'multiple':
      return {
        kind: 'multiple',
        optionIds: card.options.filter((o: AnyCard) => o.correct).map((o: AnyCard) => o.id),
      };
    case 'truefalse':
      return { kind: 'truefalse', value: card.answer };
    case 'order':
      return { kind: 'order', stepIds: card.steps.map((s: AnyCard) => s.id) };
    case 'short':
      return { kind: 'short', text: 'Ctrl+S', gotIt: true };
  }
}

function post(user: UserFixture, org: OrgFixture, card: AnyCard, body: object = {}) {
  return user.inject({
    method: 'POST',
    url: reviews(org),
    payload: {
      id: randomUUID(),
      cardId: card.id,
      answer: rightAnswer(card),
      durationMs: card.effectiveExpectedSeconds * 1000,
      ...body,
    },
  });
}

async function stateOf(userId: string, cardId: string) {
  const [row] = await h.db
    .select()
    .from(cardStates)
    .where(and(eq(cardStates.userId, userId), eq(cardStates.cardId, cardId)));
  return row;
}

async function logsOf(userId: string, cardId: string) {
  return h.db
    .select()
    .from(reviewLogs)
    .where(and(eq(reviewLogs.userId, userId), eq(reviewLogs.cardId, cardId)));
}

beforeAll(async () => {
  h = await createHarness();
  h.clock.set(START);
  fx = moduleFixtures(h);
});
// Made inside a hook, the harness cannot register its own afterAll (it left a database behind
// on every PostgreSQL run): closed here.
afterAll(() => h.close());

describe('POST /api/orgs/:orgId/reviews', () => {
  it('passes the access matrix: every member who has the module may answer', async () => {
    const { a } = h.world;
    const { byKind } = await learnModule(
      a,
      ALL_ROLES.map((r) => a.users[r]),
    );
    await checkRoute(h, {
      request: (org) => ({
        method: 'POST',
        url: reviews(org),
        payload: {
          id: randomUUID(),
          cardId: byKind.single.id,
          answer: rightAnswer(byKind.single),
          durationMs: 3000,
        },
      }),
      allow: ALL_ROLES,
      status: 200,
      badInput: (org) => ({
        method: 'POST',
        url: reviews(org),
        payload: {
          id: 'nope',
          cardId: byKind.single.id,
          answer: { kind: 'single' },
          durationMs: -1,
        },
      }),
    });
  });

  it('publishing fills the published cards and gives targeted learners the module', async () => {
    const { a } = h.world;
    const learner = await h.addUser(a.id, ['learner']);
    await h.db
      .update(memberships)
      .set({ jobRoleId: a.jobRole.id })
      .where(eq(memberships.userId, learner.id));
    const module = await fx.freshModule(a, { jobRoleIds: [a.jobRole.id] });
    const lesson = await fx.freshLesson(a, module.id);
    const card = await fx.freshCard(a, lesson.id, sampleCards.truefalse);
    const before = await post(learner, a, card);
    expectError(before, 404, 'NOT_FOUND');
    await fx.publish(a, module.id);
    const rows = await h.db.select().from(assignments).where(eq(assignments.moduleId, module.id));
    expect(rows.map((r) => [r.userId, r.reason])).toEqual([[learner.id, 'target']]);
    const res = await post(learner, a, card);
    expect(res.statusCode, res.body).toBe(200);
    // Someone else in the organisation, not targeted: the module is not theirs.
    expectError(await post(a.users.admin, a, card), 404, 'NOT_FOUND');
  });

  it('answers 404 for a card that is not this learner’s to answer', async () => {
    const { a, b } = h.world;
    const learner = a.users.learner;
    // Another organisation's card, through A's path and through B's.
    const theirs = await learnModule(b, [b.users.learner]);
    expectError(await post(learner, a, theirs.byKind.single), 404, 'NOT_FOUND');
    expectError(await post(learner, b, theirs.byKind.single), 404, 'NOT_FOUND');
    // A published module assigned to someone else.
    const unassigned = await learnModule(a, [a.users.trainer]);
    expectError(await post(learner, a, unassigned.byKind.single), 404, 'NOT_FOUND');
    // A draft: the card exists in the working copy only.
    const draft = await fx.readyModule(a);
    await assign(a, draft.module.id, [learner]);
    expectError(await post(learner, a, draft.card), 404, 'NOT_FOUND');
    // An assignment that opens later (a wave).
    const later = await learnModule(a, []);
    await assign(a, later.module.id, [learner], at(7));
    expectError(await post(learner, a, later.byKind.single), 404, 'NOT_FOUND');
    // Archived.
    const archived = await learnModule(a, [learner]);
    expect((await post(learner, a, archived.byKind.single)).statusCode).toBe(200);
    const archive = await a.users.trainer.inject({
      method: 'PATCH',
      url: fx.modules(a, `/${archived.module.id}`),
      payload: { status: 'archived' },
    });
    expect(archive.statusCode, archive.body).toBe(200);
    expectError(await post(learner, a, archived.byKind.single), 404, 'NOT_FOUND');
    // Removed from the latest version (the other cards stay answerable).
    const edited = await learnModule(a, [learner]);
    const del = await a.users.trainer.inject({
      method: 'DELETE',
      url: fx.cards(a, `/${edited.byKind.order.id}`),
    });
    expect(del.statusCode, del.body).toBe(204);
    expect((await post(learner, a, edited.byKind.order)).statusCode).toBe(200);
    await fx.publish(a, edited.module.id);
    expectError(await post(learner, a, edited.byKind.order), 404, 'NOT_FOUND');
    expect((await post(learner, a, edited.byKind.single)).statusCode).toBe(200);
    // A card id nobody has.
    expectError(await post(learner, a, { ...edited.byKind.single, id: randomUUID() }), 404);
  });

  it('answers 400 at the field for an answer that does not fit the card', async () => {
    const { a } = h.world;
    const { byKind } = await learnModule(a, [a.users.learner]);
    const bad = async (card: AnyCard, answer: object, path: string) => {
      const err = expectError(
        await post(a.users.learner, a, card, { answer }),
        400,
        'VALIDATION_FAILED',
      );
      expect(issuePaths(err)).toContain(path);
    };
    await bad(byKind.single, { kind: 'truefalse', value: true }, 'body.answer.kind');
    await bad(byKind.single, { kind: 'single', optionId: randomUUID() }, 'body.answer.optionId');
    await bad(
      byKind.multiple,
      { kind: 'multiple', optionIds: [byKind.multiple.options[0].id, randomUUID()] },
      'body.answer.optionIds.1',
    );
    await bad(
      byKind.order,
      { kind: 'order', stepIds: byKind.order.steps.slice(0, 2).map((s: AnyCard) => s.id) },
      'body.answer.stepIds',
    );
    await bad(byKind.order, { kind: 'order', stepIds: [randomUUID()] }, 'body.answer.stepIds.0');
    // Schema-level: unknown kind, duplicate ids.
    await bad(byKind.single, { kind: 'essay' }, 'body.answer.kind');
    const dup = byKind.multiple.options[0].id;
    await bad(
      byKind.multiple,
      { kind: 'multiple', optionIds: [dup, dup] },
      'body.answer.optionIds',
    );
    expect(
      await h.db.select().from(reviewLogs).where(eq(reviewLogs.cardId, byKind.single.id)),
    ).toEqual([]);
  });
});

describe('checking and rating answers', () => {
  let learner: UserFixture;
  let org: OrgFixture;
  beforeAll(() => {
    org = h.world.a;
  });

  /** A fresh learner and module each time, so every answer is a first answer. */
  async function answer(
    kind: Kind,
    answerFor: (card: AnyCard) => object,
    seconds: (card: AnyCard) => number,
  ) {
    learner = await h.addUser(org.id, ['learner']);
    const { byKind } = await learnModule(org, [learner]);
    const card = byKind[kind];
    const res = await post(learner, org, card, {
      answer: answerFor(card),
      durationMs: Math.round(seconds(card) * 1000),
    });
    expect(res.statusCode, res.body).toBe(200);
    return { body: json(res), card };
  }
  const normal = (c: AnyCard) => c.effectiveExpectedSeconds;
  const fast = (c: AnyCard) => c.effectiveExpectedSeconds * 0.3;
  const slow = (c: AnyCard) => c.effectiveExpectedSeconds * 2;

  it('single choice: right is Good, Easy when fast, Hard when slow; wrong is Again', async () => {
    const right = await answer('single', rightAnswer, normal);
    expect(right.body).toMatchObject({
      correct: true,
      rating: 3,
      scheduledDays: 3,
      due: at(3),
      reviewedAt: at(0),
    });
    expect(right.body.solution).toEqual({
      kind: 'single',
      optionIds: [right.card.options.find((o: AnyCard) => o.correct).id],
    });
    expect(right.body.explanationHtml).toBe(right.card.explanationHtml);
    expect((await answer('single', rightAnswer, fast)).body.rating).toBe(4);
    expect((await answer('single', rightAnswer, slow)).body.rating).toBe(2);
    const wrong = await answer(
      'single',
      (c) => ({ kind: 'single', optionId: c.options.find((o: AnyCard) => !o.correct).id }),
      fast,
    );
    expect(wrong.body).toMatchObject({ correct: false, rating: 1, scheduledDays: 1, due: at(1) });
  });

  it('multiple choice: exactly the correct set', async () => {
    expect((await answer('multiple', rightAnswer, normal)).body).toMatchObject({
      correct: true,
      rating: 3,
    });
    const reversed = await answer(
      'multiple',
      (c) => ({ kind: 'multiple', optionIds: [...rightAnswer(c)!.optionIds!].reverse() }),
      normal,
    );
    expect(reversed.body.correct).toBe(true);
    const subset = await answer(
      'multiple',
      (c) => ({ kind: 'multiple', optionIds: rightAnswer(c)!.optionIds!.slice(0, 1) }),
      normal,
    );
    expect(subset.body).toMatchObject({ correct: false, rating: 1 });
    const all = await answer(
      'multiple',
      (c) => ({ kind: 'multiple', optionIds: c.options.map((o: AnyCard) => o.id) }),
      normal,
    );
    expect(all.body.correct).toBe(false);
    expect(all.body.solution.optionIds.sort()).toEqual(rightAnswer(all.card)!.optionIds!.sort());
  });

  it('true/false and order: the value, the exact order', async () => {
    const tf = await answer('truefalse', rightAnswer, normal);
    expect(tf.body).toMatchObject({ correct: true, solution: { kind: 'truefalse', value: true } });
    expect(
      (await answer('truefalse', () => ({ kind: 'truefalse', value: false }), normal)).body.correct,
    ).toBe(false);
    const order = await answer('order', rightAnswer, normal);
    expect(order.body).toMatchObject({ correct: true, rating: 3 });
    expect(order.body.solution).toEqual({
      kind: 'order',
      stepIds: order.card.steps.map((s: AnyCard) => s.id),
    });
    const swapped = await answer(
      'order',
      (c) => {
        const ids = c.steps.map((s: AnyCard) => s.id);
        return { kind: 'order', stepIds: [ids[1], ids[0], ...ids.slice(2)] };
      },
      normal,
    );
    expect(swapped.body).toMatchObject({ correct: false, rating: 1 });
  });

  it('short answers count by the learner’s word and are never Easy', async () => {
    const got = await answer('short', rightAnswer, fast);
    expect(got.body).toMatchObject({
      correct: true,
      rating: 3,
      solution: { kind: 'short', modelAnswer: 'Ctrl+S' },
    });
    const missed = await answer(
      'short',
      () => ({ kind: 'short', text: 'F5', gotIt: false }),
      normal,
    );
    expect(missed.body).toMatchObject({ correct: false, rating: 1 });
  });

  it('schedules with the module’s desired retention, else the persona’s, else the organisation’s', async () => {
    const [persona] = await h.db
      .insert(personas)
      .values({
        orgId: org.id,
        name: `Careful ${randomUUID()}`,
        confidence: 2,
        device: 'desktop',
        minutesPerDay: 5,
        position: 99,
        desiredRetention: 0.8,
      })
      .returning();
    const retentionOf = async (
      setUp: (learner: UserFixture, moduleId: string) => Promise<void>,
    ) => {
      const user = await h.addUser(org.id, ['learner']);
      const { module, byKind } = await learnModule(org, [user]);
      await setUp(user, module.id);
      expect((await post(user, org, byKind.single)).statusCode).toBe(200);
      const [log] = await logsOf(user.id, byKind.single.id);
      return log!.requestRetention;
    };
    const withPersona = (user: UserFixture) =>
      h.db
        .update(memberships)
        .set({ personaId: persona!.id })
        .where(eq(memberships.userId, user.id))
        .then(() => {});
    await h.db
      .update(organisations)
      .set({ desiredRetention: 0.85 })
      .where(eq(organisations.id, org.id));
    try {
      expect(await retentionOf(async () => {})).toBe(0.85);
      expect(await retentionOf(withPersona)).toBe(0.8);
      expect(
        await retentionOf(async (user, moduleId) => {
          await withPersona(user);
          await h.db
            .update(modules)
            .set({ desiredRetention: 0.95 })
            .where(eq(modules.id, moduleId));
        }),
      ).toBe(0.95);
    } finally {
      await h.db
        .update(organisations)
        .set({ desiredRetention: 0.9 })
        .where(eq(organisations.id, org.id));
    }
  });
});

describe('idempotency and concurrency', () => {
  it('the same id again returns the same result and records nothing new', async () => {
    const { a } = h.world;
    const user = await h.addUser(a.id, ['learner']);
    const { byKind } = await learnModule(a, [user]);
    const id = randomUUID();
    const first = await post(user, a, byKind.single, { id });
    expect(first.statusCode).toBe(200);
    h.clock.advance(DAY);
    // Even with another answer and later: what was recorded stands.
    const again = await post(user, a, byKind.single, {
      id,
      answer: {
        kind: 'single',
        optionId: byKind.single.options.find((o: AnyCard) => !o.correct).id,
      },
    });
    h.clock.set(START);
    expect(again.statusCode).toBe(200);
    expect(json(again)).toEqual(json(first));
    expect(await logsOf(user.id, byKind.single.id)).toHaveLength(1);
    expect((await stateOf(user.id, byKind.single.id))!.reps).toBe(1);
  });

  it('50 copies of one answer at once record one review and all get the same result', async () => {
    const { a } = h.world;
    const user = await h.addUser(a.id, ['learner']);
    const { byKind } = await learnModule(a, [user]);
    const id = randomUUID();
    const results = await Promise.all(
      Array.from({ length: 50 }, () => post(user, a, byKind.order, { id })),
    );
    for (const res of results) expect(res.statusCode, res.body).toBe(200);
    const bodies = new Set(results.map((r) => r.body));
    expect(bodies.size).toBe(1);
    expect(await logsOf(user.id, byKind.order.id)).toHaveLength(1);
    expect((await stateOf(user.id, byKind.order.id))!.reps).toBe(1);
  });

  it('two different answers to one card at once are both recorded, one after the other', async () => {
    const { a } = h.world;
    const user = await h.addUser(a.id, ['learner']);
    const { byKind } = await learnModule(a, [user]);
    const [one, two] = await Promise.all([
      post(user, a, byKind.multiple),
      post(user, a, byKind.multiple),
    ]);
    expect(one!.statusCode, one!.body).toBe(200);
    expect(two!.statusCode, two!.body).toBe(200);
    const logs = await logsOf(user.id, byKind.multiple.id);
    expect(logs).toHaveLength(2);
    // The second saw the first: it was applied to a card already reviewed.
    expect(logs.map((l) => l.stateBefore).sort()).toEqual([0, 2]);
    expect(new Set(logs.map((l) => l.reviewedAt.getTime())).size).toBe(2);
    expect((await stateOf(user.id, byKind.multiple.id))!.reps).toBe(2);
  });

  it('an id already used for another card or learner is 409, and records nothing', async () => {
    const { a } = h.world;
    const user = await h.addUser(a.id, ['learner']);
    const other = await h.addUser(a.id, ['learner']);
    const { byKind } = await learnModule(a, [user, other]);
    const id = randomUUID();
    expect((await post(user, a, byKind.single, { id })).statusCode).toBe(200);
    expectError(await post(user, a, byKind.truefalse, { id }), 409, 'CONFLICT');
    expectError(await post(other, a, byKind.single, { id }), 409, 'CONFLICT');
    expect(await logsOf(user.id, byKind.truefalse.id)).toHaveLength(0);
    expect(await logsOf(other.id, byKind.single.id)).toHaveLength(0);
    // The same id for two cards at the same moment: one wins, the other is told.
    const raced = randomUUID();
    const [x, y] = await Promise.all([
      post(user, a, byKind.order, { id: raced }),
      post(user, a, byKind.short, { id: raced }),
    ]);
    expect([x!.statusCode, y!.statusCode].sort()).toEqual([200, 409]);
  });
});

describe('a process’s use-day target', () => {
  it('brings a card back before the first use its recall would miss, at that process’s target', async () => {
    const { a } = h.world;
    const tool = await toolRepo.insertTool(
      h.db,
      a.id,
      { name: `Payroll ${randomUUID()}`, description: null },
      h.clock.now(),
    );
    // Closes on Wednesday 4 March and Friday 27 March.
    const nextUse: NextUse = { kind: 'dates', dates: ['2026-03-04', '2026-03-27'] };
    const firstAnswer = async (useDayTarget: number | null) => {
      const process = await toolRepo.insertProcess(
        h.db,
        a.id,
        tool.id,
        { name: `Close ${useDayTarget}`, description: null, nextUse, useDayTarget },
        h.clock.now(),
      );
      const user = await h.addUser(a.id, ['learner']);
      const { byKind } = await learnModule(a, [user], { toolId: tool.id, processId: process.id });
      return json(await post(user, a, byKind.truefalse));
    };
    // The default 90%: recall would miss Wednesday's close, so Tuesday.
    expect(await firstAnswer(null)).toMatchObject({ rating: 3, due: at(1) });
    // At 70% a first memory lasts past Wednesday, not to 27 March: two working days before it.
    expect(await firstAnswer(0.7)).toMatchObject({ rating: 3, due: at(23) });
  });
});

describe('the stored log replays to the stored state', () => {
  it('over weeks of answers, with refreshers anchored before a process’s next use', async () => {
    const { a } = h.world;
    const user = await h.addUser(a.id, ['learner']);
    const tool = await toolRepo.insertTool(
      h.db,
      a.id,
      { name: `Ledger ${randomUUID()}`, description: null },
      h.clock.now(),
    );
    // Month-end close on Wednesday 4 March, then Friday 27 March.
    const process = await toolRepo.insertProcess(
      h.db,
      a.id,
      tool.id,
      {
        name: 'Close',
        description: null,
        nextUse: { kind: 'dates', dates: ['2026-03-04', '2026-03-27'] },
      },
      h.clock.now(),
    );
    const { byKind } = await learnModule(a, [user], { toolId: tool.id, processId: process.id });
    const card = byKind.truefalse;
    // Learnt Monday: scheduled at the retention between uses, FSRS says late September, long
    // after the use on Wednesday, where recall would be under 90%: the refresher comes Tuesday
    // instead (2 working days before, not before tomorrow).
    const first = json(await post(user, a, card));
    expect(first).toMatchObject({ rating: 3, due: at(1), scheduledDays: 1 });
    const [log] = await logsOf(user.id, card.id);
    expect(log!.requestRetention).toBeCloseTo(BETWEEN_USES_RETENTION, 6);
    expect(log!.due.toISOString()).toBe(at(208));
    expect(log!.anchoredDue!.toISOString()).toBe(at(1));
    expect(log!.scheduledDays).toBe(1);
    expect((await stateOf(user.id, card.id))!.due.toISOString()).toBe(at(1));

    // A few weeks of answers at various times, right and wrong.
    const plan: [number, boolean][] = [
      [1, true],
      [2.1, false],
      [3.2, true],
      [8, true],
      [8, true],
      [30, true],
      [31.5, false],
    ];
    for (const [day, right] of plan) {
      h.clock.set(at(day));
      // Weeks pass: a fresh session, as the learner would sign in again.
      user.token = await h.signIn(user.id);
      const answer = right ? rightAnswer(card) : { kind: 'truefalse', value: !card.answer };
      const res = await post(user, a, card, { answer });
      expect(res.statusCode, res.body).toBe(200);
    }
    h.clock.set(START);
    const logs = await reviewRepo.listReviewLogs(h.db, a.id, user.id, card.id);
    expect(logs).toHaveLength(plan.length + 1);
    const state = (await stateOf(user.id, card.id))!;
    const replayed = createScheduler({ fuzz: false }).replay(logs);
    expect(replayed).toEqual({
      due: state.due,
      stability: state.stability,
      difficulty: state.difficulty,
      elapsedDays: state.elapsedDays,
      scheduledDays: state.scheduledDays,
      learningSteps: state.learningSteps,
      reps: state.reps,
      lapses: state.lapses,
      state: state.state,
      lastReview: state.lastReview,
    });
    expect(state).toMatchObject({ reps: plan.length + 1, lapses: 2 });
  });
});
