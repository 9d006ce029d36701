import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { BlockInput, CardContentInput, CreateModuleInput } from '../../shared/modules';
import { type Harness, json, type OrgFixture } from './harness';
import { insertPng } from './images';
import { toolFixtures } from './tools';

/** One block of each kind, complete enough to publish (the image needs `assetId`). */
export function sampleBlocks(assetId: string | null = null): BlockInput[] {
  return [
    { id: randomUUID(), kind: 'text', markdown: 'Open the **CRM** and find the customer.' },
    { id: randomUUID(), kind: 'image', assetId, alt: 'The call form' },
    { id: randomUUID(), kind: 'video', url: 'https://video.example/call' },
    {
      id: randomUUID(),
      kind: 'steps',
      steps: [{ markdown: 'Click *New call*' }, { markdown: 'Type the summary' }],
    },
    { id: randomUUID(), kind: 'callout', tone: 'tip', markdown: 'Ctrl+S saves.' },
    {
      id: randomUUID(),
      kind: 'task',
      markdown: 'Log a call now.',
      check: 'It is in the timeline.',
    },
  ];
}

export const textBlock = (markdown = 'Open the CRM.'): BlockInput => ({
  id: randomUUID(),
  kind: 'text',
  markdown,
});

/** A valid card of each kind. */
export const sampleCards = {
  single: {
    kind: 'single',
    question: 'Where is a call logged?',
    options: [
      { text: 'In the timeline', correct: true },
      { text: 'In the mail', correct: false },
    ],
  },
  multiple: {
    kind: 'multiple',
    question: 'What does a call record hold?',
    options: [
      { text: 'The date', correct: true },
      { text: 'A summary', correct: true },
      { text: 'The weather', correct: false },
    ],
  },
  truefalse: { kind: 'truefalse', question: 'A call can be logged from a phone.', answer: true },
  order: {
    kind: 'order',
    question: 'Put the steps in order',
    steps: [{ text: 'Open the customer' }, { text: 'Click New call' }, { text: 'Save' }],
  },
  short: { kind: 'short', question: 'Which key saves?', modelAnswer: 'Ctrl+S' },
} satisfies Record<string, CardContentInput>;

/** Modules, lessons and cards created through the API by a trainer, and the routes' URLs. */
export function moduleFixtures(h: Harness) {
  const { freshTool, freshProcess } = toolFixtures(h);
  let n = 0;
  const modules = (org: OrgFixture, rest = '') => `/api/orgs/${org.id}/modules${rest}`;
  const lessons = (org: OrgFixture, rest = '') => `/api/orgs/${org.id}/lessons${rest}`;
  const cards = (org: OrgFixture, rest = '') => `/api/orgs/${org.id}/cards${rest}`;

  async function created(res: Awaited<ReturnType<OrgFixture['users']['admin']['inject']>>) {
    expect(res.statusCode, res.body).toBe(201);
    return json(res);
  }

  async function freshModule(org: OrgFixture, body: Partial<CreateModuleInput> = {}) {
    const toolId = body.toolId ?? (await freshTool(org)).id;
    const payload = { title: `Module ${++n}`, toolId, ...body };
    return created(await org.users.trainer.inject({ method: 'POST', url: modules(org), payload }));
  }

  async function freshLesson(
    org: OrgFixture,
    moduleId?: string,
    payload: object = { title: `Lesson ${++n}`, blocks: [textBlock()] },
  ) {
    const id = moduleId ?? (await freshModule(org)).id;
    return created(
      await org.users.trainer.inject({
        method: 'POST',
        url: modules(org, `/${id}/lessons`),
        payload,
      }),
    );
  }

  async function freshCard(
    org: OrgFixture,
    lessonId?: string,
    payload: CardContentInput = sampleCards.single,
  ) {
    const id = lessonId ?? (await freshLesson(org)).id;
    return created(
      await org.users.trainer.inject({
        method: 'POST',
        url: lessons(org, `/${id}/cards`),
        payload,
      }),
    );
  }

  /** An uploaded image of the organisation (written straight to the table). */
  async function freshAsset(org: OrgFixture) {
    const data = new TextEncoder().encode(`image ${++n} ${randomUUID()}`);
    return insertPng(h.db, org.id, data);
  }

  /** A module with one complete lesson holding one card, ready to publish. */
  async function readyModule(org: OrgFixture, body: Partial<CreateModuleInput> = {}) {
    const module = await freshModule(org, body);
    const lesson = await freshLesson(org, module.id);
    const card = await freshCard(org, lesson.id);
    return { module, lesson, card };
  }

  async function publish(org: OrgFixture, moduleId: string) {
    const res = await org.users.trainer.inject({
      method: 'POST',
      url: modules(org, `/${moduleId}/publish`),
    });
    expect(res.statusCode, res.body).toBe(200);
    return json(res);
  }

  const getModule = async (org: OrgFixture, id: string) =>
    json(await org.users.trainer.inject({ method: 'GET', url: modules(org, `/${id}`) }));
  const getLesson = async (org: OrgFixture, id: string) =>
    json(await org.users.trainer.inject({ method: 'GET', url: lessons(org, `/${id}`) }));

  return {
    modules,
    lessons,
    cards,
    freshTool,
    freshProcess,
    freshModule,
    freshLesson,
    freshCard,
    freshAsset,
    readyModule,
    publish,
    getModule,
    getLesson,
  };
}
