import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LearnerModule, Today } from '../../shared/learning';
import { DAY } from '../helpers/clock';
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

const learnerEmail = 'noa.martin@example.com';
const learnerPassword = 'a long password of Noa';
const moduleTitle = 'Customers in the CRM';

/** Each card's answer time is 10 s; a learner who takes 8 s is right on time (rated Good). */
const card = (question: string, explanation: string) => ({
  kind: 'truefalse',
  question,
  answer: true,
  explanation,
  expectedSeconds: 10,
});
const lessons = [
  {
    title: 'Find a customer',
    card: card('The search box finds a customer by phone number.', 'Any field of the card works.'),
  },
  {
    title: 'Merge two customers',
    card: card('Merging keeps the calls of both customers.', 'Nothing is lost in a merge.'),
  },
];

/** Answers the card shown, after thinking 8 s by the browser's clock. */
async function answer(page: Page, question: string, value: 'True' | 'False') {
  await page.getByRole('heading', { level: 2, name: question }).waitFor();
  await page.clock.fastForward(8_000);
  await page.getByRole('button', { name: value, exact: true }).click();
}

describe('placement check', () => {
  it('a learner places out of the lesson they know, and only its card enters memory', async () => {
    // ---- The organisation and its module, through the API ----
    const { o, api: admin } = await setUpOrganisation(app.base, 'Martin Services', {
      name: 'Ada Admin',
      email: 'ada@example.com',
    });
    const jobRole = await admin<{ id: string }>('POST', `${o}/job-roles`, { name: 'Support' });
    const tool = await admin<{ id: string }>('POST', `${o}/tools`, { name: 'CRM' });
    const module = await admin<{ id: string }>('POST', `${o}/modules`, {
      title: moduleTitle,
      toolId: tool.id,
      jobRoleIds: [jobRole.id],
    });
    const lessonIds: string[] = [];
    for (const { title, card } of lessons) {
      const lesson = await admin<{ id: string }>('POST', `${o}/modules/${module.id}/lessons`, {
        title,
        blocks: [{ id: randomUUID(), kind: 'text', markdown: `How to: ${title.toLowerCase()}.` }],
      });
      await admin('POST', `${o}/lessons/${lesson.id}/cards`, card);
      lessonIds.push(lesson.id);
    }
    await admin('POST', `${o}/modules/${module.id}/publish`);

    // ---- A learner of that job role, onboarded ----
    const learner = await joinAsLearner(app.base, admin, o, {
      name: 'Noa Martin',
      email: learnerEmail,
      password: learnerPassword,
      jobRoleId: jobRole.id,
    });
    await learner('POST', `${o}/me/onboarding`, {
      answers: { confidence: 4, device: 'phone', minutesPerDay: 5 },
    });
    const today = () => learner<Today>('GET', `${o}/me/today`);

    // ---- On a phone: Today offers to skip what they know ----
    const { page, errors } = await app.person('en-GB', 360);
    await page.clock.install({ time: app.clock.now() });
    await page.goto(`${app.base}/login`);
    await page.getByLabel('Email address').fill(learnerEmail);
    await page.getByLabel('Password').fill(learnerPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/o\/[0-9a-f-]{36}$/);
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page
      .getByRole('link', { name: new RegExp(`^I already know this\\s*: ${moduleTitle}$`) })
      .click();

    // ---- The placement check: the first lesson's card right, the second's wrong ----
    await page.waitForURL(`**/learn/${module.id}/placement`);
    await page.getByRole('heading', { level: 1, name: 'What you already know' }).waitFor();
    await page.getByText('Question 1 of 2').waitFor();
    await screenIsFine(page);
    await answer(page, lessons[0]!.card.question, 'True');
    await page.getByText('Right', { exact: true }).waitFor();
    await page.getByText(lessons[0]!.card.explanation).waitFor();
    await screenIsFine(page);
    await page.getByRole('button', { name: 'Next question' }).click();

    await page.getByText('Question 2 of 2').waitFor();
    await answer(page, lessons[1]!.card.question, 'False');
    const feedback = page.getByRole('region', { name: 'Not quite' });
    await feedback.getByText(lessons[1]!.card.explanation).waitFor();
    // No promise of a refresher: the lesson will teach it.
    await feedback.getByText('No worries: the lesson will show you.').waitFor();
    expect(await feedback.getByText(/comes back/).count()).toBe(0);
    await screenIsFine(page);
    // Graded, and recorded nowhere yet.
    expect((await today()).summary.cardsInMemory).toBe(0);
    await page.getByRole('button', { name: 'Finish' }).click();

    // ---- The result: the first lesson known, the second to study ----
    await page.getByRole('heading', { name: 'Your result' }).waitFor();
    await page.getByText('You know 1 lesson out of 2.').waitFor();
    await page.getByText('One left to study:').waitFor();
    await page.getByRole('listitem').filter({ hasText: lessons[1]!.title }).waitFor();
    await screenIsFine(page);

    // Only the known lesson's card is in memory, first due three days on (a Good first answer):
    // nothing comes back tomorrow about the lesson not studied yet.
    const after = await today();
    expect(after.summary.cardsInMemory).toBe(1);
    expect(new Date(after.nextDueAt!).getTime() - app.clock.now().getTime()).toBe(3 * DAY);
    const read = await learner<LearnerModule>('GET', `${o}/me/modules/${module.id}`);
    expect(read.lessons.map((l) => [l.id, l.knownAt !== null])).toEqual([
      [lessonIds[0], true],
      [lessonIds[1], false],
    ]);

    // ---- Back on Today: the next lesson is the one still to study ----
    await page.getByRole('link', { name: 'Back to Today' }).click();
    const next = page.getByRole('region', { name: 'Your next lesson' });
    await next.getByText(lessons[1]!.title, { exact: true }).waitFor();
    await next.getByText(`${moduleTitle} · lesson 2 of 2`).waitFor();
    await screenIsFine(page);

    expect(errors).toEqual([]);
  });
});
