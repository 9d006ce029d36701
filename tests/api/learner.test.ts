import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { assignments, lessonProgress } from '../../server/db/schema';
import { HOUR, MINUTE } from '../helpers/clock';
import {
  ALL_ROLES,
  checkRoute,
  createHarness,
  expectError,
  json,
  type OrgFixture,
  type UserFixture,
} from '../helpers/harness';
import { learningFixtures, sampleSingle } from '../helpers/learning';
import { sampleCards, textBlock } from '../helpers/modules';

const h = await createHarness();
const f = learningFixtures(h);
const START = '2026-03-02T09:00:00Z';
const me = (org: OrgFixture, rest: string) => `/api/orgs/${org.id}/me${rest}`;

async function read(user: UserFixture, url: string) {
  const res = await user.inject({ method: 'GET', url });
  expect(res.statusCode, res.body).toBe(200);
  return json(res);
}
const progress = (user: UserFixture, org: OrgFixture, lessonId: string, payload: object) =>
  user.inject({ method: 'PUT', url: me(org, `/lessons/${lessonId}/progress`), payload });

/** Per organisation, a published module assigned to every member (for the access checks). */
const everyones: Record<string, Awaited<ReturnType<typeof f.publishedModule>>> = {};

beforeAll(async () => {
  h.clock.set(START);
  for (const org of [h.world.a, h.world.b]) {
    everyones[org.id] = await f.publishedModule(org);
    await f.assign(org, everyones[org.id]!.id, f.everyone(org));
  }
});

describe('access', () => {
  it('every member reads their own modules, today, and saves their progress', async () => {
    await checkRoute(h, {
      request: (org) => ({ method: 'GET', url: me(org, '/modules') }),
      allow: ALL_ROLES,
      status: 200,
    });
    await checkRoute(h, {
      request: (org) => ({ method: 'GET', url: me(org, '/today') }),
      allow: ALL_ROLES,
      status: 200,
    });
    await checkRoute(h, {
      request: (org, owner) => ({
        method: 'GET',
        url: me(org, `/modules/${everyones[owner.id]!.id}`),
      }),
      allow: ALL_ROLES,
      status: 200,
      objectInPath: true,
    });
    await checkRoute(h, {
      request: (org, owner) => ({
        method: 'PUT',
        url: me(org, `/lessons/${everyones[owner.id]!.lessons[0]!.id}/progress`),
        payload: { position: 1 },
      }),
      allow: ALL_ROLES,
      status: 200,
      objectInPath: true,
      badInput: (org) => ({
        method: 'PUT',
        url: me(org, `/lessons/${everyones[org.id]!.lessons[0]!.id}/progress`),
        payload: { position: -1 },
      }),
    });
  });
});

describe('what a learner sees', () => {
  it('only published modules assigned to them and opened; everything else is 404', async () => {
    const { a } = h.world;
    const learner = await h.addUser(a.id, ['learner']);
    const assigned = await f.publishedModule(a, { title: 'Assigned' });
    const unassigned = await f.publishedModule(a);
    const archived = await f.publishedModule(a);
    const draft = await f.freshModule(a);
    await f.freshLesson(a, draft.id);
    const later = await f.publishedModule(a);
    await f.assign(a, assigned.id, [learner.id]);
    await f.assign(a, archived.id, [learner.id]);
    await f.assign(a, later.id, [learner.id], {
      opensAt: new Date(h.clock.now().getTime() + 2 * HOUR).toISOString(),
    });
    // A draft cannot be assigned through the API; even written straight in, it stays hidden.
    await h.db.insert(assignments).values({
      orgId: a.id,
      moduleId: draft.id,
      userId: learner.id,
      reason: 'manual',
      opensAt: h.clock.now(),
    });
    await a.users.trainer.inject({
      method: 'PATCH',
      url: `/api/orgs/${a.id}/modules/${archived.id}`,
      payload: { status: 'archived' },
    });
    // Unpublished edits of the working copy stay with the trainers.
    await a.users.trainer.inject({
      method: 'PATCH',
      url: `/api/orgs/${a.id}/modules/${assigned.id}`,
      payload: { title: 'Renamed in the draft' },
    });

    const list = await read(learner, me(a, '/modules'));
    expect(list.items.map((m: { moduleId: string }) => m.moduleId)).toEqual([assigned.id]);
    expect(list.items[0].title).toBe('Assigned');
    const one = await read(learner, me(a, `/modules/${assigned.id}`));
    expect(one).toMatchObject({ moduleId: assigned.id, title: 'Assigned', version: 1 });
    for (const id of [unassigned.id, archived.id, draft.id, later.id, randomUUID()]) {
      expectError(
        await learner.inject({ method: 'GET', url: me(a, `/modules/${id}`) }),
        404,
        'NOT_FOUND',
      );
    }
    expectError(await progress(learner, a, unassigned.lessons[0]!.id, { position: 1 }), 404);
    expectError(await progress(learner, a, later.lessons[0]!.id, { position: 1 }), 404);

    // The wave's date comes: the module opens.
    h.clock.advance(2 * HOUR);
    expect((await read(learner, me(a, `/modules/${later.id}`))).moduleId).toBe(later.id);
    h.clock.set(START);
  });

  it('lessons and blocks as the learner’s persona sees them', async () => {
    const { a } = h.world;
    const [stepByStep, autonomous] = [await f.freshPersona(a), await f.freshPersona(a)];
    const everyoneBlock = textBlock('For everyone.');
    const stepBlock = { ...textBlock('Slowly.'), personaIds: [stepByStep] };
    const autoBlock = { ...textBlock('Quickly.'), personaIds: [autonomous] };
    const module = await f.publishedModule(a, {}, [
      { title: 'Shared', blocks: [everyoneBlock, stepBlock, autoBlock] },
      { title: 'Step by step only', personaIds: [stepByStep] },
      { title: 'Last' },
    ]);
    const seen = async (personaId: string | null) => {
      const learner = await h.addUser(a.id, ['learner']);
      await f.setMembership(a, learner.id, { personaId });
      await f.assign(a, module.id, [learner.id]);
      const got = await read(learner, me(a, `/modules/${module.id}`));
      return got.lessons.map((l: { title: string; blocks: { markdown: string }[] }) => [
        l.title,
        l.blocks.map((b) => b.markdown),
      ]);
    };
    expect(await seen(stepByStep)).toEqual([
      ['Shared', ['For everyone.', 'Slowly.']],
      ['Step by step only', ['Open the CRM.']],
      ['Last', ['Open the CRM.']],
    ]);
    expect(await seen(autonomous)).toEqual([
      ['Shared', ['For everyone.', 'Quickly.']],
      ['Last', ['Open the CRM.']],
    ]);
    expect(await seen(null)).toEqual([
      ['Shared', ['For everyone.']],
      ['Last', ['Open the CRM.']],
    ]);
    // A lesson not meant for the learner is not theirs to save progress in.
    const learner = await h.addUser(a.id, ['learner']);
    await f.setMembership(a, learner.id, { personaId: autonomous });
    await f.assign(a, module.id, [learner.id]);
    const hidden = module.lessons[1]!.id;
    expectError(await progress(learner, a, hidden, { position: 0 }), 404, 'NOT_FOUND');
  });

  it('cards carry no answers (short answers, self-checked, carry their model); order steps never come in the right order', async () => {
    const { a } = h.world;
    const cards = Object.values(sampleCards);
    const module = await f.publishedModule(a, {}, [{ cards }]);
    const learner = await h.addUser(a.id, ['learner']);
    await f.assign(a, module.id, [learner.id]);
    const lessonId = module.lessons[0]!.id;
    const authored = (await read(a.users.trainer, `/api/orgs/${a.id}/lessons/${lessonId}`))
      .cards as {
      id: string;
      kind: string;
      questionHtml: string;
      effectiveExpectedSeconds: number;
      options?: { id: string; html: string }[];
      steps?: { id: string; html: string }[];
    }[];
    const got = await read(learner, me(a, `/modules/${module.id}`));
    const where = (c: (typeof authored)[number]) => ({
      id: c.id,
      lessonId,
      moduleId: module.id,
      questionHtml: c.questionHtml,
      expectedSeconds: c.effectiveExpectedSeconds,
    });
    const pick = (items: { id: string; html: string }[]) =>
      items.map(({ id, html }) => ({ id, html }));
    const [single, multiple, truefalse, order, short] = authored as [
      (typeof authored)[number],
      (typeof authored)[number],
      (typeof authored)[number],
      (typeof authored)[number],
      (typeof authored)[number],
    ];
    const shown = got.lessons[0].cards;
    expect(shown[0]).toEqual({ ...where(single), kind: 'single', options: pick(single.options!) });
    expect(shown[1]).toEqual({
      ...where(multiple),
      kind: 'multiple',
      options: pick(multiple.options!),
    });
    expect(shown[2]).toEqual({ ...where(truefalse), kind: 'truefalse' });
    expect(shown[3]).toEqual({ ...where(order), kind: 'order', steps: expect.any(Array) });
    expect(shown[4]).toEqual({ ...where(short), kind: 'short', modelAnswer: 'Ctrl+S' });
    const { modelAnswer: _selfChecked, ...rest } = shown[4];
    expect(
      JSON.stringify({
        ...got,
        lessons: [{ ...got.lessons[0], cards: [...shown.slice(0, 4), rest] }],
      }),
    ).not.toMatch(/correct|modelAnswer|Ctrl\+S|explanation/);

    const rightOrder = order.steps!.map((s) => s.id);
    for (let i = 0; i < 30; i++) {
      const again = await read(learner, me(a, `/modules/${module.id}`));
      const steps = again.lessons[0].cards[3].steps as { id: string; html: string }[];
      expect(steps.map((s) => s.id)).not.toEqual(rightOrder);
      expect([...steps].sort((x, y) => x.id.localeCompare(y.id))).toEqual(
        pick(order.steps!).sort((x, y) => x.id.localeCompare(y.id)),
      );
    }
  });
});

describe('lesson progress', () => {
  it('keeps the resume position; completing records the time once', async () => {
    const { a } = h.world;
    const module = await f.publishedModule(a, {}, [{}, {}]);
    const learner = await h.addUser(a.id, ['learner']);
    await f.assign(a, module.id, [learner.id]);
    const [first, second] = module.lessons.map((l) => l.id) as [string, string];

    const saved = await progress(learner, a, first, { position: 2 });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(json(saved)).toEqual({ lessonId: first, position: 2, completedAt: null });
    const doneAt = new Date(h.clock.now().getTime() + 5 * MINUTE);
    h.clock.set(doneAt);
    expect(json(await progress(learner, a, first, { position: 3, completed: true }))).toEqual({
      lessonId: first,
      position: 3,
      completedAt: doneAt.toISOString(),
    });
    h.clock.advance(HOUR);
    // Coming back to read it again moves the position, never the completion.
    expect(json(await progress(learner, a, first, { position: 0 }))).toEqual({
      lessonId: first,
      position: 0,
      completedAt: doneAt.toISOString(),
    });
    await progress(learner, a, first, { position: 1, completed: true });

    const got = await read(learner, me(a, `/modules/${module.id}`));
    expect(
      got.lessons.map(
        (l: { id: string; position: number; completedAt: string; knownAt: string }) => [
          l.id,
          l.position,
          l.completedAt,
          l.knownAt,
        ],
      ),
    ).toEqual([
      [first, 1, doneAt.toISOString(), null],
      [second, 0, null, null],
    ]);
    // Someone else's progress is their own.
    const other = await h.addUser(a.id, ['learner']);
    await f.assign(a, module.id, [other.id]);
    const theirs = await read(other, me(a, `/modules/${module.id}`));
    expect(theirs.lessons[0]).toMatchObject({ position: 0, completedAt: null });

    // The trainer deletes the second lesson from the draft: the published version still serves
    // it, and the learner's progress on it is still recorded and kept.
    const deleted = await a.users.trainer.inject({
      method: 'DELETE',
      url: `/api/orgs/${a.id}/lessons/${second}`,
    });
    expect(deleted.statusCode).toBe(204);
    const onDropped = await progress(learner, a, second, { position: 1, completed: true });
    expect(onDropped.statusCode, onDropped.body).toBe(200);
    const after = await read(learner, me(a, `/modules/${module.id}`));
    expect(
      after.lessons.map((l: { completedAt: string | null }) => l.completedAt !== null),
    ).toEqual([true, true]);
    h.clock.set(START);
  });
});

describe('today', () => {
  /**
   * One learner, two modules: "critical" with card c1, "normal" with n1…n7; every card expects
   * 100 s, so the default budget of 5 minutes (300 s) takes three. At 09:00 UTC (10:00 in
   * Paris), with R(t, S) = (1 + 0.98040·t/S)^-0.1542 worked out by hand:
   *   c1  S 10,  reviewed 40 d ago,  due 30 d ago          R 0.7821 (critical)
   *   n7  S 300, reviewed 325 d ago, due 25 d ago          R 0.8944
   *   n2  S 10,  reviewed 30 d ago,  due 20 d ago          R 0.8094
   *   n3  S 10,  reviewed 12 d ago,  due 2 d ago           R 0.8870
   *   n1  S 10,  reviewed 10 d ago,  due now               R 0.9000
   *   n5  S 10,  due 22:30 UTC = 23:30 in Paris            R 0.9039 (t = 9.4375 d)
   *   n4  S 10,  due 23:30 UTC = 00:30 tomorrow in Paris: not today   (R 0.9042)
   *   n6  S 20,  reviewed 17 d ago, due in 3 days          R 0.9108
   * Due today: c1, n2, n3, n7, n1, n5 (critical first, then lowest R). The budget keeps
   * c1, n2, n3; earliest-due-first would have kept c1, n7, n2 and highest-R-first c1, n5, n1.
   */
  const cards = {} as Record<'c1' | 'n1' | 'n2' | 'n3' | 'n4' | 'n5' | 'n6' | 'n7', string>;
  let learner: UserFixture;
  let critical: Awaited<ReturnType<typeof f.publishedModule>>;
  let normal: Awaited<ReturnType<typeof f.publishedModule>>;
  const slow = { ...sampleSingle, expectedSeconds: 100 };
  const at = (iso: string) => new Date(iso);
  const ids = (list: { id: string }[]) => list.map((c) => c.id);

  beforeAll(async () => {
    h.clock.set(START);
    const { a } = h.world;
    learner = await h.addUser(a.id, ['learner']);
    critical = await f.publishedModule(a, { title: 'Month-end close', criticality: 'critical' }, [
      { cards: [slow] },
    ]);
    normal = await f.publishedModule(a, { title: 'Calls' }, [
      { cards: [slow, slow, slow, slow] },
      { cards: [slow, slow, slow] },
    ]);
    await f.assign(a, normal.id, [learner.id], { dueOn: '2026-03-04' });
    await f.assign(a, critical.id, [learner.id]);
    cards.c1 = critical.lessons[0]!.cardIds[0]!;
    [cards.n1, cards.n2, cards.n3, cards.n4, cards.n5, cards.n6, cards.n7] = normal.lessons.flatMap(
      (l) => l.cardIds,
    ) as [string, string, string, string, string, string, string];
    const rem = (id: string, memory: Parameters<typeof f.remember>[3]) =>
      f.remember(a, learner.id, id, memory);
    await rem(cards.c1, { stability: 10, daysAgo: 40 });
    await rem(cards.n1, { stability: 10, daysAgo: 10 });
    await rem(cards.n2, { stability: 10, daysAgo: 30 });
    await rem(cards.n3, { stability: 10, daysAgo: 12 });
    await rem(cards.n5, { stability: 10, daysAgo: 10 - 13.5 / 24 });
    await rem(cards.n4, { stability: 10, daysAgo: 10 - 14.5 / 24 });
    await rem(cards.n6, { stability: 20, daysAgo: 17 });
    await rem(cards.n7, { stability: 300, daysAgo: 325 });
  });

  beforeEach(() => h.clock.set(START));

  it('refreshers due before the day ends in Paris: critical first, then lowest recall, within budget', async () => {
    const { a } = h.world;
    const today = await read(learner, me(a, '/today'));
    expect(today.date).toBe('2026-03-02');
    expect(ids(today.refreshers)).toEqual([cards.c1, cards.n2, cards.n3]);
    expect(today.refreshers[0]).toEqual({
      kind: 'single',
      id: cards.c1,
      lessonId: critical.lessons[0]!.id,
      moduleId: critical.id,
      questionHtml: expect.stringContaining('Where is a call logged?'),
      options: [
        { id: expect.any(String), html: expect.stringContaining('In the timeline') },
        { id: expect.any(String), html: expect.stringContaining('In the mail') },
      ],
      expectedSeconds: 100,
    });
    expect(today.dueCount).toBe(6);
    expect(today.budgetSeconds).toBe(300);
    expect(today.nextDueAt).toBe('2026-03-02T23:30:00.000Z');
    expect(today.summary.modulesAssigned).toBe(2);
    expect(today.summary.modulesCompleted).toBe(0);
    expect(today.summary.cardsInMemory).toBe(8);
    // (0.7821 + 0.8944 + 0.8094 + 0.8870 + 0.9 + 0.9039 + 0.9042 + 0.9108) / 8
    expect(today.summary.meanRecall).toBeCloseTo(0.87398, 4);
  });

  it('a longer budget takes more, in the same order; one card always fits', async () => {
    const { a } = h.world;
    const patch = (dailyBudgetMinutes: number) => f.learningSettings(a, { dailyBudgetMinutes });
    try {
      await patch(60);
      const all = await read(learner, me(a, '/today'));
      expect(ids(all.refreshers)).toEqual([
        cards.c1,
        cards.n2,
        cards.n3,
        cards.n7,
        cards.n1,
        cards.n5,
      ]);
      // One minute is less than one card (100 s): the first still comes.
      await patch(1);
      const one = await read(learner, me(a, '/today'));
      expect(ids(one.refreshers)).toEqual([cards.c1]);
      expect(one.dueCount).toBe(6);
    } finally {
      await patch(5);
    }
  });

  it("the day follows the organisation's time zone", async () => {
    const { a } = h.world;
    // 23:00 in Paris: n4 (due 00:30 tomorrow in Paris) is still tomorrow's.
    h.clock.set('2026-03-02T22:00:00Z');
    let today = await read(learner, me(a, '/today'));
    expect(today).toMatchObject({ date: '2026-03-02', dueCount: 6 });
    // 00:10 in Paris, still 2 March in UTC: it is 3 March, and n4 is due today.
    h.clock.set('2026-03-02T23:10:00Z');
    today = await read(learner, me(a, '/today'));
    expect(today).toMatchObject({ date: '2026-03-03', dueCount: 7 });
    // In Tokyo at 18:00 (09:00 UTC) the day ends at 15:00 UTC: n5 (22:30 UTC) is tomorrow's.
    h.clock.set(START);
    const zone = (timeZone: string) => f.learningSettings(a, { timeZone });
    try {
      await zone('Asia/Tokyo');
      today = await read(learner, me(a, '/today'));
      expect(today).toMatchObject({
        date: '2026-03-02',
        dueCount: 5,
        nextDueAt: at('2026-03-02T22:30:00Z').toISOString(),
      });
    } finally {
      await zone('Europe/Paris');
    }
  });

  it('my modules: progress, predicted recall and next refresher per module', async () => {
    const { a } = h.world;
    await progress(learner, a, normal.lessons[0]!.id, { position: 1, completed: true });
    const { items } = await read(learner, me(a, '/modules'));
    expect(items).toEqual([
      {
        moduleId: critical.id,
        title: 'Month-end close',
        summary: '',
        toolName: expect.stringMatching(/^Tool /),
        criticality: 'critical',
        lessonCount: 1,
        lessonsDone: 0,
        opensAt: START.replace('Z', '.000Z'),
        dueOn: null,
        recall: expect.closeTo(0.78213, 4),
        nextDueAt: at('2026-01-31T09:00:00Z').toISOString(),
      },
      {
        moduleId: normal.id,
        title: 'Calls',
        summary: '',
        toolName: expect.stringMatching(/^Tool /),
        criticality: 'normal',
        lessonCount: 2,
        lessonsDone: 1,
        opensAt: START.replace('Z', '.000Z'),
        dueOn: '2026-03-04',
        // The mean of n1…n7 above.
        recall: expect.closeTo(0.8871, 4),
        nextDueAt: at('2026-02-05T09:00:00Z').toISOString(),
      },
    ]);
  });

  it("a persona with fewer minutes a day than the organisation's budget gets fewer refreshers", async () => {
    const { a } = h.world;
    const budget = (dailyBudgetMinutes: number) => f.learningSettings(a, { dailyBudgetMinutes });
    const choose = async (minutesPerDay: number) => {
      const personaId = await f.freshPersona(a, { minutesPerDay });
      const res = await learner.inject({
        method: 'PATCH',
        url: me(a, '/persona'),
        payload: { personaId },
      });
      expect(res.statusCode).toBe(200);
    };
    const today = () => read(learner, me(a, '/today'));
    try {
      // 3 minutes (180 s) a day: one card of 100 s, not two.
      await choose(3);
      let t = await today();
      expect(t.budgetSeconds).toBe(180);
      expect(ids(t.refreshers)).toEqual([cards.c1]);
      // The organisation allowing an hour does not make the day longer.
      await budget(60);
      expect((await today()).budgetSeconds).toBe(180);
      // A persona with 10 minutes: the organisation's 5 minutes (300 s) still cap it.
      await budget(5);
      await choose(10);
      t = await today();
      expect(t.budgetSeconds).toBe(300);
      expect(ids(t.refreshers)).toEqual([cards.c1, cards.n2, cards.n3]);
    } finally {
      await budget(5);
    }
  });
});

describe('the next lesson', () => {
  it('critical modules first, then the earliest due date, then the oldest assignment', async () => {
    const { a } = h.world;
    h.clock.set(START);
    const learner = await h.addUser(a.id, ['learner']);
    const stepByStep = await f.freshPersona(a);
    const make = async (title: string, extra: object = {}) =>
      f.publishedModule(a, { title, ...extra }, [{ title: `${title} 1` }, { title: `${title} 2` }]);
    const dueLate = await make('Due late');
    const dueSoon = await make('Due soon');
    const crit = await f.publishedModule(a, { title: 'Critical', criticality: 'critical' }, [
      { title: 'Critical 0', personaIds: [stepByStep] },
      { title: 'Critical 1' },
      { title: 'Critical 2' },
    ]);
    const noDue = await make('No due date');
    for (const [module, dueOn] of [
      [dueLate, '2026-03-20'],
      [dueSoon, '2026-03-10'],
      [crit, null],
      [noDue, null],
    ] as const) {
      h.clock.advance(MINUTE);
      await f.assign(a, module.id, [learner.id], { dueOn });
    }
    const next = async () => (await read(learner, me(a, '/today'))).nextLesson;
    // The persona-only lesson is not this learner's: "Critical 1" is their first of two.
    expect(await next()).toEqual({
      moduleId: crit.id,
      moduleTitle: 'Critical',
      lessonId: crit.lessons[1]!.id,
      lessonTitle: 'Critical 1',
      lessonIndex: 0,
      lessonCount: 2,
      // "Open the CRM." at 180 words a minute (1 s) and the check's one card (20 s).
      estimatedSeconds: 21,
      resumePosition: 0,
    });
    await progress(learner, a, crit.lessons[1]!.id, { position: 1 });
    expect(await next()).toMatchObject({ lessonTitle: 'Critical 1', resumePosition: 1 });
    await progress(learner, a, crit.lessons[1]!.id, { position: 1, completed: true });
    expect(await next()).toMatchObject({ lessonTitle: 'Critical 2', lessonIndex: 1 });
    // "I already know this" marks a lesson known: it is done too.
    await h.db.insert(lessonProgress).values({
      userId: learner.id,
      lessonId: crit.lessons[2]!.id,
      orgId: a.id,
      moduleId: crit.id,
      knownAt: h.clock.now(),
    });
    expect(await next()).toMatchObject({ moduleId: dueSoon.id, lessonTitle: 'Due soon 1' });
    for (const lesson of dueSoon.lessons) {
      await progress(learner, a, lesson.id, { position: 1, completed: true });
    }
    expect(await next()).toMatchObject({ moduleId: dueLate.id });
    for (const lesson of dueLate.lessons) {
      await progress(learner, a, lesson.id, { position: 1, completed: true });
    }
    expect(await next()).toMatchObject({ moduleId: noDue.id });
    for (const lesson of noDue.lessons) {
      await progress(learner, a, lesson.id, { position: 1, completed: true });
    }
    const today = await read(learner, me(a, '/today'));
    expect(today.nextLesson).toBeNull();
    expect(today.summary).toEqual({
      modulesAssigned: 4,
      modulesCompleted: 4,
      cardsInMemory: 0,
      meanRecall: null,
    });
    expect(today.refreshers).toEqual([]);
    expect(today.nextDueAt).toBeNull();
    const known = await h.db
      .select()
      .from(lessonProgress)
      .where(and(eq(lessonProgress.userId, learner.id), eq(lessonProgress.moduleId, crit.id)));
    expect(known).toHaveLength(2);
  });
});
