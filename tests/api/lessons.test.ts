import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultExpectedSeconds, MAX_CARDS_PER_LESSON } from '../../shared/modules';
import * as personaRepo from '../../server/personas/repository';
import { MINUTE } from '../helpers/clock';
import {
  AUTHORS,
  checkRoute,
  createHarness,
  expectError,
  issuePaths,
  json,
  type OrgFixture,
} from '../helpers/harness';
import { moduleFixtures, sampleBlocks, sampleCards, textBlock } from '../helpers/modules';
import { assertSafe, HOSTILE } from '../helpers/xss';

const h = await createHarness();
const f = moduleFixtures(h);
const { modules, lessons, cards } = f;
let n = 0;

async function freshPersona(org: OrgFixture) {
  return personaRepo.insertPersona(
    h.db,
    org.id,
    {
      name: `Persona ${++n}`,
      description: '',
      confidence: 3,
      device: 'desktop',
      minutesPerDay: 5,
      position: n,
    },
    h.clock.now(),
  );
}

const patchLesson = (org: OrgFixture, id: string, payload: object) =>
  org.users.trainer.inject({ method: 'PATCH', url: lessons(org, `/${id}`), payload });
const addCard = (org: OrgFixture, lessonId: string, payload: object) =>
  org.users.trainer.inject({ method: 'POST', url: lessons(org, `/${lessonId}/cards`), payload });
const putCard = (org: OrgFixture, id: string, payload: object) =>
  org.users.trainer.inject({ method: 'PUT', url: cards(org, `/${id}`), payload });

type Ready = Awaited<ReturnType<typeof f.readyModule>>;

/** Publishes a ready module, moves the clock, runs `write`, and checks the module was marked. */
async function expectMarksModule(
  org: OrgFixture,
  write: (ready: Ready) => Promise<{ statusCode: number }>,
) {
  const ready = await f.readyModule(org);
  await f.publish(org, ready.module.id);
  h.clock.advance(MINUTE);
  const res = await write(ready);
  expect(res.statusCode).toBeLessThan(300);
  expect(await f.getModule(org, ready.module.id)).toMatchObject({
    hasUnpublishedChanges: true,
    updatedAt: h.clock.now().toISOString(),
  });
}

describe('lessons', () => {
  it('trainers and admins add one at the end of a module, blocks rendered', async () => {
    await checkRoute(h, {
      request: async (org, owner) => ({
        method: 'POST',
        url: modules(org, `/${(await f.freshModule(owner)).id}/lessons`),
        payload: { title: 'First steps' },
      }),
      allow: [...AUTHORS],
      status: 201,
      objectInPath: true,
      badInput: async (org) => ({
        method: 'POST',
        url: modules(org, `/${(await f.freshModule(org)).id}/lessons`),
        payload: { title: 'x', blocks: [{ id: randomUUID(), kind: 'poster' }] },
      }),
    });
    const { a } = h.world;
    const module = await f.freshModule(a);
    await f.freshLesson(a, module.id);
    const asset = await f.freshAsset(a);
    const persona = await freshPersona(a);
    const blocks = sampleBlocks(asset.id);
    const lesson = await f.freshLesson(a, module.id, {
      title: ' Log a call ',
      personaIds: [persona.id],
      blocks,
    });
    expect(lesson).toMatchObject({
      moduleId: module.id,
      title: 'Log a call',
      position: 1,
      personaIds: [persona.id],
      cards: [],
    });
    expect(lesson.blocks.map((b: { id: string }) => b.id)).toEqual(blocks.map((b) => b.id));
    expect(lesson.blocks[0]).toEqual({
      ...blocks[0],
      personaIds: [],
      html: '<p>Open the <strong>CRM</strong> and find the customer.</p>\n',
    });
    expect(lesson.blocks[3].steps[0]).toEqual({
      markdown: 'Click *New call*',
      html: '<p>Click <em>New call</em></p>\n',
      assetId: null,
    });
    expect(await f.getLesson(a, lesson.id)).toEqual(lesson);
  });

  it('trainers and admins read one with its cards in order', async () => {
    await checkRoute(h, {
      request: async (org, owner) => ({
        method: 'GET',
        url: lessons(org, `/${(await f.freshLesson(owner)).id}`),
      }),
      allow: [...AUTHORS],
      status: 200,
      objectInPath: true,
    });
    const { a } = h.world;
    const lesson = await f.freshLesson(a);
    const one = await f.freshCard(a, lesson.id, sampleCards.truefalse);
    const two = await f.freshCard(a, lesson.id, sampleCards.short);
    const res = await f.getLesson(a, lesson.id);
    expect(res.cards.map((c: { id: string; position: number }) => [c.id, c.position])).toEqual([
      [one.id, 0],
      [two.id, 1],
    ]);
  });

  it('trainers and admins save one (autosave); parts left out are kept', async () => {
    await checkRoute(h, {
      request: async (org, owner) => ({
        method: 'PATCH',
        url: lessons(org, `/${(await f.freshLesson(owner)).id}`),
        payload: { title: 'Saved' },
      }),
      allow: [...AUTHORS],
      status: 200,
      objectInPath: true,
      badInput: async (org) => ({
        method: 'PATCH',
        url: lessons(org, `/${(await f.freshLesson(org)).id}`),
        payload: {},
      }),
    });
    const { a } = h.world;
    const persona = await freshPersona(a);
    const lesson = await f.freshLesson(a, undefined, {
      title: 'Variants',
      personaIds: [persona.id],
      blocks: [textBlock('Hello')],
    });
    const renamed = json(await patchLesson(a, lesson.id, { title: 'Renamed' }));
    expect(renamed).toMatchObject({ title: 'Renamed', personaIds: [persona.id] });
    expect(renamed.blocks).toEqual(lesson.blocks);
    h.clock.advance(MINUTE);
    const block = { ...textBlock('*New*'), personaIds: [persona.id] };
    const saved = json(await patchLesson(a, lesson.id, { blocks: [block], personaIds: [] }));
    expect(saved).toMatchObject({
      title: 'Renamed',
      personaIds: [],
      blocks: [{ ...block, html: '<p><em>New</em></p>\n' }],
      updatedAt: h.clock.now().toISOString(),
    });
  });

  it('refuses bad blocks at the field, and a refused save changes nothing', async () => {
    const { a, b } = h.world;
    const lesson = await f.freshLesson(a);
    const ours = await f.freshAsset(a);
    const theirs = await f.freshAsset(b);
    const theirPersona = await freshPersona(b);
    const id = randomUUID();
    const cases: [object[], string[]][] = [
      [[{ id, kind: 'image', assetId: theirs.id, alt: 'x' }], ['body.blocks.0.assetId']],
      [
        [
          textBlock(),
          {
            id,
            kind: 'steps',
            steps: [
              { markdown: 'a', assetId: ours.id },
              { markdown: 'b', assetId: theirs.id },
            ],
          },
        ],
        ['body.blocks.1.steps.1.assetId'],
      ],
      [[{ id, kind: 'image', assetId: randomUUID(), alt: 'x' }], ['body.blocks.0.assetId']],
      [[{ ...textBlock(), personaIds: [theirPersona.id] }], ['body.blocks.0.personaIds.0']],
      [[{ id, kind: 'video', url: 'javascript:alert(1)' }], ['body.blocks.0.url']],
      [[{ id, kind: 'callout', tone: 'danger', markdown: 'x' }], ['body.blocks.0.tone']],
      [[textBlock('*'.repeat(2001))], ['body.blocks.0.markdown']],
      [[textBlock(), { id, kind: 'text', markdown: 'x', extra: 1 }], ['body.blocks.1']],
      [
        [
          { id, kind: 'text', markdown: 'a' },
          { id, kind: 'text', markdown: 'b' },
        ],
        ['body.blocks'],
      ],
    ];
    for (const [blocks, paths] of cases) {
      const err = expectError(
        await patchLesson(a, lesson.id, { title: 'Must not be saved', blocks }),
        400,
        'VALIDATION_FAILED',
      );
      expect(issuePaths(err), JSON.stringify(blocks)).toEqual(paths);
    }
    const err = expectError(
      await patchLesson(a, lesson.id, { personaIds: [theirPersona.id] }),
      400,
      'VALIDATION_FAILED',
    );
    expect(issuePaths(err)).toEqual(['body.personaIds.0']);
    expect(JSON.stringify(err)).not.toContain(theirPersona.name);
    expect(await f.getLesson(a, lesson.id)).toEqual(lesson);
  });

  it('a refused save does not mark the module as changed', async () => {
    const { a } = h.world;
    const { module, lesson } = await f.readyModule(a);
    await f.publish(a, module.id);
    const bad = { id: randomUUID(), kind: 'image', assetId: randomUUID(), alt: 'x' };
    expectError(await patchLesson(a, lesson.id, { blocks: [textBlock(), bad] }), 400);
    expect(await f.getModule(a, module.id)).toMatchObject({ hasUnpublishedChanges: false });
  });

  it('keeps a variant whose persona was deleted since, but refuses to add one', async () => {
    const { a } = h.world;
    const persona = await freshPersona(a);
    const block = { ...textBlock(), personaIds: [persona.id] };
    const lesson = await f.freshLesson(a, undefined, { title: 'L', blocks: [block] });
    await personaRepo.deletePersona(h.db, a.id, persona.id);
    const saved = await patchLesson(a, lesson.id, {
      title: 'Still saves',
      blocks: [block, { ...textBlock(), personaIds: [persona.id] }],
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const other = await f.freshLesson(a);
    const err = expectError(
      await patchLesson(a, other.id, { blocks: [block] }),
      400,
      'VALIDATION_FAILED',
    );
    expect(issuePaths(err)).toEqual(['body.blocks.0.personaIds.0']);
  });

  it('trainers and admins delete one; the lessons after it move up', async () => {
    await checkRoute(h, {
      request: async (org, owner) => ({
        method: 'DELETE',
        url: lessons(org, `/${(await f.freshLesson(owner)).id}`),
      }),
      allow: [...AUTHORS],
      status: 204,
      objectInPath: true,
    });
    const { a } = h.world;
    const module = await f.freshModule(a);
    const [one, two, three] = [
      await f.freshLesson(a, module.id),
      await f.freshLesson(a, module.id),
      await f.freshLesson(a, module.id),
    ];
    const card = await f.freshCard(a, two.id);
    const res = await a.users.admin.inject({ method: 'DELETE', url: lessons(a, `/${two.id}`) });
    expect(res.statusCode).toBe(204);
    const detail = await f.getModule(a, module.id);
    expect(detail.lessons.map((l: { id: string; position: number }) => [l.id, l.position])).toEqual(
      [
        [one.id, 0],
        [three.id, 1],
      ],
    );
    expect(detail.cardCount).toBe(0);
    expectError(await putCard(a, card.id, sampleCards.short), 404, 'NOT_FOUND');
  });
});

describe('cards', () => {
  it('trainers and admins add one, last or at a position', async () => {
    await checkRoute(h, {
      request: async (org, owner) => ({
        method: 'POST',
        url: lessons(org, `/${(await f.freshLesson(owner)).id}/cards`),
        payload: sampleCards.multiple,
      }),
      allow: [...AUTHORS],
      status: 201,
      objectInPath: true,
      badInput: async (org) => ({
        method: 'POST',
        url: lessons(org, `/${(await f.freshLesson(org)).id}/cards`),
        payload: { ...sampleCards.single, options: [] },
      }),
    });
    const { a } = h.world;
    const lesson = await f.freshLesson(a);
    const first = await f.freshCard(a, lesson.id);
    const card = json(
      await addCard(a, lesson.id, {
        ...sampleCards.order,
        explanation: 'Open **first**.',
        expectedSeconds: 40,
        position: 0,
      }),
    );
    expect(card).toMatchObject({
      lessonId: lesson.id,
      position: 0,
      kind: 'order',
      question: 'Put the steps in order',
      questionHtml: 'Put the steps in order',
      explanation: 'Open **first**.',
      explanationHtml: '<p>Open <strong>first</strong>.</p>\n',
      expectedSeconds: 40,
      effectiveExpectedSeconds: 40,
      steps: sampleCards.order.steps.map((s) => ({
        id: expect.any(String),
        text: s.text,
        html: s.text,
      })),
    });
    expect(first.effectiveExpectedSeconds).toBe(
      defaultExpectedSeconds(sampleCards.single as never),
    );
    const res = await f.getLesson(a, lesson.id);
    expect(res.cards.map((c: { id: string }) => c.id)).toEqual([card.id, first.id]);
    expect(res.cards[1].position).toBe(1);
  });

  it('refuses each kind of incomplete card at its field', async () => {
    const { a } = h.world;
    const lesson = await f.freshLesson(a);
    const opt = (text: string, correct = false) => ({ text, correct });
    const cases: [object, string][] = [
      [{ ...sampleCards.single, options: [opt('a'), opt('b')] }, 'body.options'],
      [{ ...sampleCards.single, options: [opt('a', true), opt('b', true)] }, 'body.options'],
      [{ ...sampleCards.single, options: [opt('a', true)] }, 'body.options'],
      [{ ...sampleCards.multiple, options: [opt('a'), opt('b'), opt('c')] }, 'body.options'],
      [{ ...sampleCards.single, options: [opt('a', true), opt(' ')] }, 'body.options.1.text'],
      [{ ...sampleCards.order, steps: [{ text: 'a' }, { text: 'b' }] }, 'body.steps'],
      [{ kind: 'truefalse', question: 'Sure?' }, 'body.answer'],
      [{ kind: 'short', question: 'Which key?', modelAnswer: '' }, 'body.modelAnswer'],
      [{ ...sampleCards.truefalse, question: '  ' }, 'body.question'],
      [{ ...sampleCards.truefalse, expectedSeconds: 1 }, 'body.expectedSeconds'],
      [{ ...sampleCards.truefalse, kind: 'essay' }, 'body.kind'],
      [{ ...sampleCards.truefalse, options: [] }, 'body'],
      [{ ...sampleCards.single, explanation: '*'.repeat(2001) }, 'body.explanation'],
    ];
    for (const [payload, path] of cases) {
      const err = expectError(await addCard(a, lesson.id, payload), 400, 'VALIDATION_FAILED');
      expect(issuePaths(err), JSON.stringify(payload)).toContain(path);
    }
    expect((await f.getLesson(a, lesson.id)).cards).toEqual([]);
  });

  it('refuses a saved choice card changed to have no right option; the card stays as it was', async () => {
    const { a } = h.world;
    const lesson = await f.freshLesson(a);
    const card = await f.freshCard(a, lesson.id);
    const none = card.options.map(({ id, text }: { id: string; text: string }) => ({
      id,
      text,
      correct: false,
    }));
    for (const kind of ['single', 'multiple']) {
      const err = expectError(
        await putCard(a, card.id, { ...sampleCards.single, kind, options: none }),
        400,
        'VALIDATION_FAILED',
      );
      expect(issuePaths(err)).toEqual(['body.options']);
    }
    expect((await f.getLesson(a, lesson.id)).cards).toEqual([card]);
  });

  it(`refuses more than ${MAX_CARDS_PER_LESSON} cards in a lesson`, async () => {
    const { a } = h.world;
    const lesson = await f.freshLesson(a);
    for (let i = 0; i < MAX_CARDS_PER_LESSON; i++) {
      await f.freshCard(a, lesson.id, sampleCards.truefalse);
    }
    expectError(await addCard(a, lesson.id, sampleCards.truefalse), 409, 'CONFLICT');
  });

  it('trainers and admins replace one; its kind may change and kept options keep their ids', async () => {
    await checkRoute(h, {
      request: async (org, owner) => ({
        method: 'PUT',
        url: cards(org, `/${(await f.freshCard(owner)).id}`),
        payload: sampleCards.short,
      }),
      allow: [...AUTHORS],
      status: 200,
      objectInPath: true,
      badInput: async (org) => ({
        method: 'PUT',
        url: cards(org, `/${(await f.freshCard(org)).id}`),
        payload: { ...sampleCards.order, steps: [] },
      }),
    });
    const { a } = h.world;
    const lesson = await f.freshLesson(a);
    const card = await f.freshCard(a, lesson.id);
    const other = await f.freshCard(a, lesson.id, sampleCards.multiple);
    const [right, wrong] = card.options;
    h.clock.advance(MINUTE);
    const res = json(
      await putCard(a, card.id, {
        kind: 'multiple',
        question: 'Which are places?',
        options: [
          { id: wrong.id, text: 'In the mail box', correct: true },
          { id: right.id, text: right.text, correct: true },
          // Another card's option id is not borrowed; an unknown one is not kept either.
          { id: other.options[0].id, text: 'Borrowed', correct: false },
          { id: randomUUID(), text: 'Invented', correct: false },
        ],
      }),
    );
    expect(res).toMatchObject({
      id: card.id,
      kind: 'multiple',
      position: 0,
      updatedAt: h.clock.now().toISOString(),
    });
    const ids = res.options.map((o: { id: string }) => o.id);
    expect(ids.slice(0, 2)).toEqual([wrong.id, right.id]);
    expect(ids[2]).not.toBe(other.options[0].id);
    expect(new Set(ids).size).toBe(4);
    expect(res.options[0]).toEqual({
      id: wrong.id,
      text: 'In the mail box',
      html: 'In the mail box',
      correct: true,
    });

    const asShort = json(await putCard(a, card.id, { ...sampleCards.short, position: 5 }));
    expect(asShort).toMatchObject({ kind: 'short', modelAnswer: 'Ctrl+S', position: 1 });
    expect(asShort.options).toBeUndefined();
    const order = (await f.getLesson(a, lesson.id)).cards.map((c: { id: string }) => c.id);
    expect(order).toEqual([other.id, card.id]);
  });

  it('trainers and admins delete one; the cards after it move up', async () => {
    await checkRoute(h, {
      request: async (org, owner) => ({
        method: 'DELETE',
        url: cards(org, `/${(await f.freshCard(owner)).id}`),
      }),
      allow: [...AUTHORS],
      status: 204,
      objectInPath: true,
    });
    const { a } = h.world;
    const lesson = await f.freshLesson(a);
    const [one, two, three] = [
      await f.freshCard(a, lesson.id),
      await f.freshCard(a, lesson.id, sampleCards.short),
      await f.freshCard(a, lesson.id, sampleCards.truefalse),
    ];
    const del = () => a.users.trainer.inject({ method: 'DELETE', url: cards(a, `/${one.id}`) });
    expect((await del()).statusCode).toBe(204);
    expectError(await del(), 404, 'NOT_FOUND');
    const res = await f.getLesson(a, lesson.id);
    expect(res.cards.map((c: { id: string; position: number }) => [c.id, c.position])).toEqual([
      [two.id, 0],
      [three.id, 1],
    ]);
  });

  it('trainers and admins reorder them; the ids must be exactly the lesson’s cards', async () => {
    const twoCards = async (org: OrgFixture) => {
      const lesson = await f.freshLesson(org);
      const one = await f.freshCard(org, lesson.id);
      const two = await f.freshCard(org, lesson.id, sampleCards.short);
      return { lesson, ids: [one.id, two.id] };
    };
    await checkRoute(h, {
      request: async (org, owner) => {
        const { lesson, ids } = await twoCards(owner);
        return {
          method: 'PUT',
          url: lessons(org, `/${lesson.id}/cards/order`),
          payload: { ids: ids.reverse() },
        };
      },
      allow: [...AUTHORS],
      status: 200,
      objectInPath: true,
      badInput: async (org) => ({
        method: 'PUT',
        url: lessons(org, `/${(await twoCards(org)).lesson.id}/cards/order`),
        payload: { ids: 'all' },
      }),
    });
    const { a } = h.world;
    const { lesson, ids } = await twoCards(a);
    const elsewhere = await f.freshCard(a);
    const reorder = (payload: object) =>
      a.users.trainer.inject({
        method: 'PUT',
        url: lessons(a, `/${lesson.id}/cards/order`),
        payload,
      });
    for (const bad of [[ids[0]], [ids[0], elsewhere.id], [...ids, elsewhere.id]]) {
      const err = expectError(await reorder({ ids: bad }), 400, 'VALIDATION_FAILED');
      expect(issuePaths(err)).toEqual(['body.ids']);
    }
    const res = json(await reorder({ ids: [ids[1], ids[0]] }));
    expect(res.cards.map((c: { id: string; position: number }) => [c.id, c.position])).toEqual([
      [ids[1], 0],
      [ids[0], 1],
    ]);
  });
});

describe('every write marks the module as changed', () => {
  it.each([
    [
      'adding a lesson',
      (r: Ready) =>
        h.world.a.users.trainer.inject({
          method: 'POST',
          url: modules(h.world.a, `/${r.module.id}/lessons`),
          payload: { title: 'Added' },
        }),
    ],
    ['saving a lesson', (r: Ready) => patchLesson(h.world.a, r.lesson.id, { title: 'T' })],
    [
      'deleting a lesson',
      (r: Ready) =>
        h.world.a.users.trainer.inject({
          method: 'DELETE',
          url: lessons(h.world.a, `/${r.lesson.id}`),
        }),
    ],
    [
      'reordering lessons',
      (r: Ready) =>
        h.world.a.users.trainer.inject({
          method: 'PUT',
          url: modules(h.world.a, `/${r.module.id}/lessons/order`),
          payload: { ids: [r.lesson.id] },
        }),
    ],
    ['adding a card', (r: Ready) => addCard(h.world.a, r.lesson.id, sampleCards.short)],
    ['replacing a card', (r: Ready) => putCard(h.world.a, r.card.id, sampleCards.short)],
    [
      'deleting a card',
      (r: Ready) =>
        h.world.a.users.trainer.inject({
          method: 'DELETE',
          url: cards(h.world.a, `/${r.card.id}`),
        }),
    ],
    [
      'reordering cards',
      (r: Ready) =>
        h.world.a.users.trainer.inject({
          method: 'PUT',
          url: lessons(h.world.a, `/${r.lesson.id}/cards/order`),
          payload: { ids: [r.card.id] },
        }),
    ],
  ])('%s', async (_name, write) => {
    await expectMarksModule(h.world.a, write);
  });
});

/** Every HTML string of a lesson or card answer, with where it was found. */
function htmlOf(value: unknown, at = ''): [string, string][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => htmlOf(v, `${at}.${i}`));
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, v]): [string, string][] =>
    /html$/i.test(key) && typeof v === 'string' ? [[`${at}.${key}`, v]] : htmlOf(v, `${at}.${key}`),
  );
}

function expectSafe(answer: unknown, fields: number) {
  const found = htmlOf(answer);
  expect(found).toHaveLength(fields);
  for (const [where, html] of found) {
    expect(html, where).not.toMatch(/<(script|iframe|svg|style|math|object|embed)/i);
    assertSafe(html);
  }
}

describe('hostile Markdown in every field', () => {
  const ids = { lesson: '', single: '', order: '' };
  beforeAll(async () => {
    const { a } = h.world;
    ids.lesson = (await f.freshLesson(a)).id;
    ids.single = (await f.freshCard(a, ids.lesson)).id;
    ids.order = (await f.freshCard(a, ids.lesson, sampleCards.order)).id;
  });

  it.each(HOSTILE)(
    '%j answers no script, handler or unsafe URL in any block or card',
    async (sample) => {
      const { a } = h.world;
      const saved = await patchLesson(a, ids.lesson, {
        blocks: [
          { id: randomUUID(), kind: 'text', markdown: sample },
          { id: randomUUID(), kind: 'callout', tone: 'warning', markdown: sample },
          { id: randomUUID(), kind: 'task', markdown: sample, check: sample },
          { id: randomUUID(), kind: 'steps', steps: [{ markdown: sample }, { markdown: sample }] },
        ],
      });
      expect(saved.statusCode, saved.body).toBe(200);
      // text 1, callout 1, task 2, steps 2
      expectSafe(json(saved).blocks, 6);
      const single = await putCard(a, ids.single, {
        kind: 'single',
        question: sample,
        explanation: sample,
        options: [
          { text: sample, correct: true },
          { text: 'Safe', correct: false },
        ],
      });
      expect(single.statusCode, single.body).toBe(200);
      expectSafe(json(single), 4);
      const order = await putCard(a, ids.order, {
        kind: 'order',
        question: sample,
        explanation: sample,
        steps: [{ text: sample }, { text: sample }, { text: 'Last' }],
      });
      expect(order.statusCode, order.body).toBe(200);
      expectSafe(json(order), 5);
      // What is stored is what is answered.
      const stored = await f.getLesson(a, ids.lesson);
      expectSafe(stored.blocks, 6);
      expectSafe(stored.cards, 9);
    },
  );

  it('the check catches unsafe HTML (a test that cannot fail is a bug)', () => {
    expect(() => expectSafe({ html: '<img src=x onerror=alert(1)>' }, 1)).toThrow();
    expect(() => expectSafe({ questionHtml: '<a href="javascript:alert(1)">x</a>' }, 1)).toThrow();
    expect(() => expectSafe({ steps: [{ html: '<svg></svg>' }] }, 1)).toThrow();
  });
});
