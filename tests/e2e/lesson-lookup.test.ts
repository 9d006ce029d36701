import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

describe('lessons to look up again', () => {
  it('on a phone, a learner finds a finished lesson by a word in it and reads it again', async () => {
    const {
      orgId,
      o,
      api: admin,
    } = await setUpOrganisation(app.base, 'Lumière SAS', {
      name: 'Ada Admin',
      email: 'ada@example.com',
    });
    const jobRole = await admin<{ id: string }>('POST', `${o}/job-roles`, { name: 'Accounts' });
    const tool = await admin<{ id: string }>('POST', `${o}/tools`, { name: 'Ledger' });
    const module = await admin<{ id: string }>('POST', `${o}/modules`, {
      title: 'Month-end close',
      toolId: tool.id,
      jobRoleIds: [jobRole.id],
    });
    const closing = await admin<{ id: string }>('POST', `${o}/modules/${module.id}/lessons`, {
      title: 'Lock the period',
      blocks: [
        {
          id: randomUUID(),
          kind: 'text',
          markdown: 'Before locking, reconcile the **suspense account** with the bank statement.',
        },
      ],
    });
    await admin('POST', `${o}/modules/${module.id}/lessons`, {
      title: 'Send the reports',
      blocks: [{ id: randomUUID(), kind: 'text', markdown: 'Export the balance sheet as PDF.' }],
    });
    await admin('POST', `${o}/modules/${module.id}/publish`);
    const learner = await joinAsLearner(app.base, admin, o, {
      name: 'Léo Martin',
      email: 'leo.martin@example.com',
      password: 'a long password of Léo',
      jobRoleId: jobRole.id,
    });
    await learner('POST', `${o}/me/onboarding`, {
      answers: { confidence: 3, device: 'phone', minutesPerDay: 5 },
    });
    await learner('PUT', `${o}/me/lessons/${closing.id}/progress`, {
      position: 1,
      completed: true,
    });

    const { page } = await app.person('en-GB', 390);
    await page.goto(`${app.base}/login`);
    await page.getByLabel('Email address').fill('leo.martin@example.com');
    await page.getByLabel('Password').fill('a long password of Léo');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`**/o/${orgId}`);

    // ---- From Progress to the lessons: modules, lessons, the finished one ticked ----
    await page.goto(`${app.base}/o/${orgId}/progress`);
    await page.getByRole('link', { name: 'Look up a lesson again' }).click();
    await page.waitForURL(`**/o/${orgId}/lessons`);
    await page.getByRole('heading', { level: 2, name: 'Month-end close' }).waitFor();
    await page.getByRole('link', { name: 'Lock the period (Done)' }).waitFor();
    await page.getByRole('link', { name: 'Send the reports (To do)' }).waitFor();
    await screenIsFine(page);

    // ---- A word of the text, typed and sent with Enter ----
    await page.getByLabel('Search your lessons').fill('reconciling');
    await page.getByLabel('Search your lessons').press('Enter');
    await page.getByRole('status').filter({ hasText: '1 lesson matches “reconciling”' }).waitFor();
    expect(await page.locator('mark').allTextContents()).toEqual(['reconcile']);
    await screenIsFine(page);

    // ---- No match explains what to try ----
    await page.getByLabel('Search your lessons').fill('screwdriver');
    await page.getByLabel('Search your lessons').press('Enter');
    await page.getByText('Try other words').waitFor();

    await page.getByLabel('Search your lessons').fill('suspense');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('link', { name: 'Lock the period (Done)' }).click();
    await page.waitForURL(`**/o/${orgId}/lessons/${module.id}/${closing.id}`);
    await page.getByRole('heading', { level: 1, name: 'Lock the period' }).waitFor();
    await page
      .getByText('Reading again: your progress and your refreshers stay as they are.')
      .waitFor();
    await page.getByText('with the bank statement').waitFor();
    await screenIsFine(page);

    // Reading it again left the progress as it was.
    const mine = await learner<{ lessons: { id: string; completedAt: string | null }[] }>(
      'GET',
      `${o}/me/modules/${module.id}`,
    );
    expect(mine.lessons.map((l) => l.completedAt !== null)).toEqual([true, false]);
  });
});
