import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY } from '../helpers/clock';
import {
  apiAs,
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

const adminEmail = 'alice@example.com';
const adminPassword = 'a long enough passphrase';
const managerEmail = 'maud.martin@example.com';
const managerPassword = 'a long password of Maud';

/** A person on a 390 px phone, on the server's clock, signed in: on their home page. */
async function signedIn(email: string, password: string) {
  const person = await app.person('en-GB', 390);
  await person.page.clock.install({ time: app.clock.now() });
  await person.page.goto(`${app.base}/login`);
  await person.page.getByLabel('Email address').fill(email);
  await person.page.getByLabel('Password').fill(password);
  await person.page.getByRole('button', { name: 'Sign in' }).click();
  await person.page.waitForURL(/\/o\/[0-9a-f-]{36}$/);
  return person;
}

describe('each role’s home says what to do next', () => {
  let orgId: string;
  let o: string;
  let admin: ReturnType<typeof apiAs>;

  it("ticks the admin's checklist as a team and a job role are created", async () => {
    ({
      orgId,
      o,
      api: admin,
    } = await setUpOrganisation(app.base, 'Dupont Compta', {
      name: 'Alice Admin',
      email: adminEmail,
    }));
    const { page, errors } = await signedIn(adminEmail, adminPassword);

    // Only the default personas are there: one step of seven.
    await page.getByRole('heading', { level: 2, name: 'Set up Dupont Compta' }).waitFor();
    const progress = page.getByRole('progressbar', { name: '1 of 7 done' });
    await progress.waitFor();
    expect(await progress.getAttribute('value')).toBe('1');
    await page.getByText('(To do · 0 teams)').waitFor();
    await screenIsFine(page);

    // The step's link leads to where teams are made.
    await page.getByRole('link', { name: 'Create the teams' }).click();
    await page.waitForURL(`**/o/${orgId}/teams`);
    await page.getByLabel('New team name').fill('Sales');
    await page.getByRole('button', { name: 'Add team' }).click();
    await page.getByText('Team “Sales” created.').waitFor();
    await admin('POST', `${o}/job-roles`, { name: 'Sales rep' });

    await page.goto(`${app.base}/o/${orgId}`);
    await page.getByRole('progressbar', { name: '3 of 7 done' }).waitFor();
    await page.getByText('(Done · 1 team)').waitFor();
    await page.getByText('(Done · 1 job role)').waitFor();
    await page.getByText('(To do · 0 people invited or joined)').waitFor();
    await screenIsFine(page);
    expect(errors).toEqual([]);
  });

  it('names the people at risk in a manager’s team, with a link to each one', async () => {
    type Items = { items: { id: string }[] };
    const jobRole = (await admin<Items>('GET', `${o}/job-roles`)).items[0]!;
    const team = (await admin<Items>('GET', `${o}/teams`)).items[0]!;
    const tool = await admin<{ id: string }>('POST', `${o}/tools`, { name: 'Accounting' });
    const module = await admin<{ id: string }>('POST', `${o}/modules`, {
      title: 'Month-end close',
      toolId: tool.id,
      jobRoleIds: [jobRole.id],
      criticality: 'critical',
    });
    const lesson = await admin<{ id: string }>('POST', `${o}/modules/${module.id}/lessons`, {
      title: 'Closing the month',
      blocks: [{ id: randomUUID(), kind: 'text', markdown: 'Book everything, then close.' }],
    });
    const card = await admin<{ id: string }>('POST', `${o}/lessons/${lesson.id}/cards`, {
      kind: 'truefalse',
      question: 'Invoices of the month are booked before the close.',
      answer: true,
      explanation: 'Everything of the month first, then the close.',
      expectedSeconds: 10,
    });
    await admin('POST', `${o}/modules/${module.id}/publish`);

    // Two sales reps learn the lesson today, then nobody reviews for a week.
    const ids: Record<string, string> = {};
    for (const name of ['Ann Petit', 'Bob Durand']) {
      const learner = await joinAsLearner(app.base, admin, o, {
        name,
        email: `${name.split(' ')[0]!.toLowerCase()}@example.com`,
        password: `a long password of ${name}`,
        jobRoleId: jobRole.id,
      });
      const { user } = await learner<{ user: { id: string } }>('GET', '/me');
      ids[name] = user.id;
      await admin('PATCH', `${o}/members/${user.id}`, { teamId: team.id });
      await learner('PUT', `${o}/me/lessons/${lesson.id}/progress`, {
        position: 1,
        completed: true,
      });
      await learner('POST', `${o}/reviews`, {
        id: randomUUID(),
        cardId: card.id,
        answer: { kind: 'truefalse', value: true },
        durationMs: 8_000,
      });
    }
    const { link } = await admin<{ link: string }>('POST', `${o}/invitations`, {
      email: managerEmail,
      roles: ['manager'],
      managedTeamIds: [team.id],
      locale: 'en',
    });
    const accepted = await fetch(
      `${app.base}/api/invitations/${link.split('/invite/')[1]}/accept`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ password: managerPassword, name: 'Maud Martin', locale: 'en' }),
      },
    );
    expect(accepted.ok, await accepted.clone().text()).toBe(true);
    app.clock.advance(7 * DAY);

    const { page, errors } = await signedIn(managerEmail, managerPassword);
    const teams = page.getByRole('region', { name: 'Your teams' });
    await teams.getByText('2 people at risk').waitFor();
    expect(await page.getByText('No follow-up yet').count()).toBe(0);
    for (const name of ['Ann Petit', 'Bob Durand']) {
      const href = await teams.getByRole('link', { name }).getAttribute('href');
      expect(href).toBe(`/o/${orgId}/dashboards/learners/${ids[name]}?from=at-risk`);
    }
    await teams.getByRole('link', { name: 'See everyone at risk' }).waitFor();
    await teams.getByRole('link', { name: 'See the forecast' }).waitFor();
    await teams
      .getByText(/^Recall \d+(\.\d)?% against a target of 90%$/)
      .first()
      .waitFor();
    await screenIsFine(page);

    await teams.getByRole('link', { name: 'Ann Petit' }).click();
    await page.waitForURL(`**/dashboards/learners/${ids['Ann Petit']}?from=at-risk`);
    await page.getByRole('heading', { level: 1, name: 'Ann Petit' }).waitFor();
    expect(errors).toEqual([]);

    // Every step done: the admin's checklist has turned into the organisation's state.
    const { page: adminPage } = await signedIn(adminEmail, adminPassword);
    const state = adminPage.getByRole('region', { name: 'Your organisation' });
    await state.getByText('4 active members').waitFor();
    await state.getByText('2 people at risk').waitFor();
    await state.getByText('Nothing failed in the last 7 days.').waitFor();
    expect(await adminPage.getByRole('progressbar').count()).toBe(0);
    await screenIsFine(adminPage);
  });
});
