import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Today } from '../../shared/learning';
import {
  type ClockedApp,
  joinAsLearner,
  screenIsFine,
  setUpOrganisation,
  startAppWithClock,
} from './helpers';

let app: ClockedApp;

beforeAll(async () => {
  app = await startAppWithClock();
});

afterAll(async () => {
  await app?.close();
});

const email = 'rita.new@example.com';
const password = 'a long password of Rita';
const newQuestion = 'A call can be logged from the phone app.';

describe("what's new: a card added to a finished lesson", () => {
  it('reaches the learner on a phone through a short session on Today, then leaves it', async () => {
    // ---- A module published, its lesson finished by the learner (through the API) ----
    const { o, api: trainer } = await setUpOrganisation(app.base, 'Martin Sales', {
      name: 'Tom Trainer',
      email: 'tom@example.com',
    });
    const jobRole = await trainer<{ id: string }>('POST', `${o}/job-roles`, { name: 'Sales rep' });
    const tool = await trainer<{ id: string }>('POST', `${o}/tools`, { name: 'CRM' });
    const module = await trainer<{ id: string }>('POST', `${o}/modules`, {
      title: 'CRM basics',
      toolId: tool.id,
      jobRoleIds: [jobRole.id],
    });
    const lesson = await trainer<{ id: string }>('POST', `${o}/modules/${module.id}/lessons`, {
      title: 'Log a call',
      blocks: [{ id: randomUUID(), kind: 'text', markdown: 'Calls go in the timeline.' }],
    });
    const first = await trainer<{ id: string; options: { id: string; correct: boolean }[] }>(
      'POST',
      `${o}/lessons/${lesson.id}/cards`,
      {
        kind: 'single',
        question: 'Where do you log a call?',
        options: [
          { text: 'In the customer timeline', correct: true },
          { text: 'In a spreadsheet', correct: false },
        ],
        expectedSeconds: 10,
      },
    );
    await trainer('POST', `${o}/modules/${module.id}/publish`);

    const learner = await joinAsLearner(app.base, trainer, o, {
      name: 'Rita New',
      email,
      password,
      jobRoleId: jobRole.id,
    });
    const { items: personas } = await trainer<{ items: { id: string }[] }>('GET', `${o}/personas`);
    await learner('PATCH', `${o}/me/persona`, { personaId: personas[0]!.id });
    await learner('POST', `${o}/reviews`, {
      id: randomUUID(),
      cardId: first.id,
      answer: { kind: 'single', optionId: first.options.find((x) => x.correct)!.id },
      durationMs: 8000,
    });
    await learner('PUT', `${o}/me/lessons/${lesson.id}/progress`, {
      position: 1,
      completed: true,
    });

    // ---- Version 2 adds a card to that lesson ----
    await trainer('POST', `${o}/lessons/${lesson.id}/cards`, {
      kind: 'truefalse',
      question: newQuestion,
      answer: true,
      explanation: 'The phone app has the same button.',
      expectedSeconds: 10,
    });
    await trainer('POST', `${o}/modules/${module.id}/publish`);

    // ---- On a phone, Today offers what's new above the refreshers ----
    const { page, errors } = await app.person('en-GB', 390);
    await page.clock.install({ time: app.clock.now() });
    await page.goto(`${app.base}/login`);
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/o\/[0-9a-f-]{36}$/);
    const news = page.getByRole('region', { name: "What's new" });
    await news.getByText("What's new in “CRM basics”: 1 new card (1 min)").waitFor();
    await news.getByText('In the lesson Log a call').waitFor();
    await screenIsFine(page);
    await news.getByRole('link', { name: /^See what's new\s*: CRM basics$/ }).click();

    // ---- The session: the card, the answer, then it is in memory ----
    await page.waitForURL(`**/learn/${module.id}/whats-new`);
    await page.getByRole('heading', { level: 1, name: "What's new in “CRM basics”" }).waitFor();
    await page.getByText('Question 1 of 1').waitFor();
    await page.getByRole('heading', { name: newQuestion }).waitFor();
    await screenIsFine(page);
    await page.clock.fastForward(8000);
    await page.getByRole('button', { name: 'True', exact: true }).click();
    await page.getByText('Right', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Finish' }).click();
    const done = page.getByRole('heading', { name: "You're up to date" });
    await done.waitFor();
    expect(await done.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.getByText('You went over 1 new card (1 right the first time).').waitFor();
    await screenIsFine(page);

    const today = await learner<Today>('GET', `${o}/me/today`);
    expect(today.whatsNew).toEqual([]);
    expect(today.summary.cardsInMemory).toBe(2);

    // ---- Back on Today, nothing new any more ----
    await page.getByRole('link', { name: 'Back to Today' }).click();
    await page.waitForURL(/\/o\/[0-9a-f-]{36}$/);
    await page.getByRole('region', { name: "Today's refreshers" }).waitFor();
    expect(await news.count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
