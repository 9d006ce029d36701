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

describe('a learner finds their way around', () => {
  it('on a phone: no organisation to create, a refused page says so, the pause from Today', async () => {
    // ---- An organisation with one published module for the learner's job role ----
    const {
      orgId,
      o,
      api: admin,
    } = await setUpOrganisation(app.base, 'Rivière SARL', {
      name: 'Ada Admin',
      email: 'ada@example.com',
    });
    const jobRole = await admin<{ id: string }>('POST', `${o}/job-roles`, { name: 'Support' });
    const tool = await admin<{ id: string }>('POST', `${o}/tools`, { name: 'CRM' });
    const module = await admin<{ id: string }>('POST', `${o}/modules`, {
      title: 'Find a customer',
      toolId: tool.id,
      jobRoleIds: [jobRole.id],
    });
    const lesson = await admin<{ id: string }>('POST', `${o}/modules/${module.id}/lessons`, {
      title: 'The search box',
      blocks: [{ id: randomUUID(), kind: 'text', markdown: 'Type a name or a phone number.' }],
    });
    await admin('POST', `${o}/lessons/${lesson.id}/cards`, {
      kind: 'truefalse',
      question: 'The search box finds a customer by phone number.',
      answer: true,
      explanation: 'Any field of the card works.',
      expectedSeconds: 10,
    });
    await admin('POST', `${o}/modules/${module.id}/publish`);
    const learner = await joinAsLearner(app.base, admin, o, {
      name: 'Léa Roux',
      email: 'lea.roux@example.com',
      password: 'a long password of Léa',
      jobRoleId: jobRole.id,
    });
    await learner('POST', `${o}/me/onboarding`, {
      answers: { confidence: 3, device: 'phone', minutesPerDay: 5 },
    });

    const { page, errors } = await app.person('en-GB', 390);
    await page.goto(`${app.base}/login`);
    await page.getByLabel('Email address').fill('lea.roux@example.com');
    await page.getByLabel('Password').fill('a long password of Léa');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`**/o/${orgId}`);

    // ---- Today leads to the pause, and focus lands on it ----
    const refreshers = page.getByRole('region', { name: "Today's refreshers" });
    await refreshers.getByRole('link', { name: 'Away soon? Pause your refreshers' }).click();
    await page.waitForURL('**/account#pauses');
    await page.getByRole('region', { name: 'Holidays' }).getByText('No pause planned.').waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('pauses');
    // ---- The account page offers no organisation to create, and the page itself refuses ----
    await page.getByRole('heading', { name: 'My organisations' }).waitFor();
    expect(await page.getByRole('link', { name: 'Create an organisation' }).count()).toBe(0);
    await screenIsFine(page);
    await page.goto(`${app.base}/orgs/new`);
    await page
      .getByRole('heading', { level: 1, name: 'Organisations are created by admins and trainers' })
      .waitFor();
    expect(await page.getByRole('textbox').count()).toBe(0);

    // ---- A page for other roles: what happened in words, and the way home ----
    await page.goto(`${app.base}/o/${orgId}/teams`);
    await page.getByRole('heading', { level: 1, name: 'Access not allowed' }).waitFor();
    await page.getByText('You do not have access to this page.', { exact: false }).waitFor();
    await page.getByText('Error code: 403').waitFor();
    expect(await page.getByRole('button', { name: 'Try again' }).count()).toBe(0);
    await screenIsFine(page);
    await page.getByRole('link', { name: 'Back to the home page' }).click();
    await page.waitForURL(`**/o/${orgId}`);

    // ---- A pause planned a week ahead shows on Today ----
    const dayFromNow = (days: number) =>
      new Date(app.clock.now().getTime() + days * 86_400_000).toISOString().slice(0, 10);
    await learner('POST', `${o}/pauses`, { startsOn: dayFromNow(7), endsOn: dayFromNow(8) });
    await page.reload();
    await refreshers.getByText(/Refreshers pause from .+ to .+ included\./).waitFor();
    await refreshers.getByRole('link', { name: 'Manage pauses' }).waitFor();

    // ---- During a pause, Today says so and leads to where it can be ended ----
    const today = dayFromNow(0);
    await learner('POST', `${o}/pauses`, { startsOn: today, endsOn: today });
    await page.reload();
    await refreshers.getByText(/Refreshers are paused until/).waitFor();
    await refreshers.getByRole('link', { name: 'Manage pauses' }).click();
    await page.getByRole('region', { name: 'Holidays' }).getByText('In progress').waitFor();

    expect(errors).toEqual([]);
  });
});
