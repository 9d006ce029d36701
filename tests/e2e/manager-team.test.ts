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

type Api = ReturnType<typeof apiAs>;

const card = {
  kind: 'truefalse',
  question: 'Invoices of the month are booked before the close.',
  answer: true,
  explanation: 'Everything of the month first, then the close.',
  expectedSeconds: 10,
} as const;
const managerEmail = 'maud.martin@example.com';
const managerPassword = 'a long password of Maud';

/** A published module of one lesson with one true/false card: its id and card id. */
async function publishedModule(admin: Api, o: string, body: Record<string, unknown>) {
  const module = await admin<{ id: string }>('POST', `${o}/modules`, body);
  const lesson = await admin<{ id: string }>('POST', `${o}/modules/${module.id}/lessons`, {
    title: `${String(body.title)}: the basics`,
    blocks: [{ id: randomUUID(), kind: 'text', markdown: 'Read this first.' }],
  });
  const { id: cardId } = await admin<{ id: string }>('POST', `${o}/lessons/${lesson.id}/cards`, {
    ...card,
  });
  await admin('POST', `${o}/modules/${module.id}/publish`);
  return { id: module.id, cardId };
}

/** The learner finishes the module's lesson and answers its card right, through the API. */
async function learn(learner: Api, o: string, module: { id: string; cardId: string }) {
  const mod = await learner<{ lessons: { id: string }[] }>('GET', `${o}/me/modules/${module.id}`);
  await learner('PUT', `${o}/me/lessons/${mod.lessons[0]!.id}/progress`, {
    position: 1,
    completed: true,
  });
  await answer(learner, o, module.cardId);
}

const answer = (learner: Api, o: string, cardId: string) =>
  learner('POST', `${o}/reviews`, {
    id: randomUUID(),
    cardId,
    answer: { kind: 'truefalse', value: card.answer },
    durationMs: 8_000,
  });

/** A person on a browser 390 px wide, on the server's clock, signed in with these. */
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

describe('a manager and their team: My team → a learner → the catalogue → assign', () => {
  it('finds a team member who is doing well and assigns her a module opening tomorrow', async () => {
    // ---- Sales (Ann, Bob) and Support (Carl); Maud manages Sales ----
    const { o, api: admin } = await setUpOrganisation(app.base, 'Dupont Compta', {
      name: 'Alice Admin',
      email: 'alice@example.com',
    });
    const jobRole = await admin<{ id: string }>('POST', `${o}/job-roles`, { name: 'Sales rep' });
    const sales = await admin<{ id: string }>('POST', `${o}/teams`, { name: 'Sales' });
    const support = await admin<{ id: string }>('POST', `${o}/teams`, { name: 'Support' });
    const tool = await admin<{ id: string }>('POST', `${o}/tools`, { name: 'Accounting' });
    const close = await publishedModule(admin, o, {
      title: 'Month-end close',
      toolId: tool.id,
      jobRoleIds: [jobRole.id],
      criticality: 'critical',
    });
    // Targets nobody: only assigned by hand.
    await publishedModule(admin, o, {
      title: 'New CRM',
      summary: 'Log a customer call in the new CRM.',
      toolId: tool.id,
      estimatedMinutes: 8,
    });
    const learners: Record<string, Api> = {};
    for (const [name, teamId] of [
      ['Ann Petit', sales.id],
      ['Bob Durand', sales.id],
      ['Carl Leroy', support.id],
    ] as const) {
      const learner = await joinAsLearner(app.base, admin, o, {
        name,
        email: `${name.split(' ')[0]!.toLowerCase()}@example.com`,
        password: `a long password of ${name}`,
        jobRoleId: jobRole.id,
      });
      const { user } = await learner<{ user: { id: string } }>('GET', '/me');
      await admin('PATCH', `${o}/members/${user.id}`, { teamId });
      learners[name] = learner;
    }
    const { link } = await admin<{ link: string }>('POST', `${o}/invitations`, {
      email: managerEmail,
      roles: ['manager'],
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
    const maud = apiAs(app.base, accepted.headers.getSetCookie()[0]!.split(';')[0]!);
    const { user: maudUser } = await maud<{ user: { id: string } }>('GET', '/me');
    await admin('PATCH', `${o}/members/${maudUser.id}`, { managedTeamIds: [sales.id] });

    // ---- All learn the close today; five days later Ann does her refresher, Bob does not ----
    for (const learner of Object.values(learners)) await learn(learner, o, close);
    app.clock.advance(5 * DAY);
    await answer(learners['Ann Petit']!, o, close.cardId);

    // ---- On a phone, Maud opens My team ----
    const { page, errors } = await signedIn(managerEmail, managerPassword);
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(msg.text());
    });
    await page.getByRole('link', { name: 'My team' }).click();
    await page.getByRole('heading', { level: 1, name: 'People' }).waitFor();
    // Her team only (Carl is in Support), one card per person.
    const list = page.getByRole('list', { name: '2 people' });
    const ann = list.getByRole('listitem').filter({ hasText: 'Ann Petit' });
    const bob = list.getByRole('listitem').filter({ hasText: 'Bob Durand' });
    await ann.getByText('On track').waitFor();
    await ann.getByText('1 of 1 lesson done').waitFor();
    await ann.getByText('today', { exact: true }).waitFor();
    await ann.getByText(/^\d+%$/).waitFor();
    await bob.getByText('At risk').waitFor();
    await bob.getByText('5 days ago').waitFor();
    expect(await list.getByText('Carl Leroy').count()).toBe(0);
    await screenIsFine(page);

    // ---- Ann's page, then the catalogue ----
    await ann.getByRole('link', { name: 'Ann Petit' }).click();
    await page.getByRole('heading', { level: 1, name: 'Ann Petit' }).waitFor();
    await page.getByRole('link', { name: 'Back to people' }).waitFor();
    await page.getByRole('link', { name: 'Catalogue' }).click();
    await page.getByRole('heading', { level: 1, name: 'Catalogue' }).waitFor();
    const crm = page.getByRole('listitem').filter({
      has: page.getByRole('heading', { name: 'New CRM' }),
    });
    await crm.getByText('Log a customer call in the new CRM.').waitFor();
    await crm.getByText('1 lesson · about 8 min').waitFor();
    await crm.getByText('Assigned to no job role or team by itself: only by hand.').waitFor();
    await screenIsFine(page);

    // ---- Assign it to Ann only, opening tomorrow ----
    await crm.getByRole('button', { name: 'Assign' }).click();
    const dialog = page.getByRole('dialog', { name: 'Assign “New CRM”' });
    await dialog.getByLabel('Chosen people').check();
    // Maud's people only, to choose from.
    await dialog.getByLabel('Ann Petit (Sales)').check();
    expect(await dialog.getByLabel('Carl Leroy (Support)').count()).toBe(0);
    const opens = dialog.getByLabel('Opens on');
    expect(await opens.inputValue()).toBe('2026-03-07');
    await opens.fill('2026-03-08');
    await screenIsFine(page);
    await dialog.getByRole('button', { name: 'Assign', exact: true }).click();
    await dialog
      .getByRole('status')
      .getByText('“New CRM” assigned to 1 person. It opens on 8 Mar 2026.')
      .waitFor();
    await dialog.getByRole('button', { name: 'Done' }).click();
    await dialog.waitFor({ state: 'hidden' });

    expect(errors).toEqual([]);

    // ---- Ann: not on Today before it opens, there once it has ----
    await learners['Ann Petit']!('POST', `${o}/me/onboarding`, {
      answers: { confidence: 3, device: 'phone', minutesPerDay: 5 },
    });
    const annPage = (await signedIn('ann@example.com', 'a long password of Ann Petit')).page;
    await annPage.getByRole('heading', { level: 1 }).first().waitFor();
    expect(await annPage.getByText('New CRM').count()).toBe(0);
    await annPage.close();
    app.clock.advance(DAY);
    const later = (await signedIn('ann@example.com', 'a long password of Ann Petit')).page;
    await later.getByText('New CRM · lesson 1 of 1').waitFor();
    // Bob was not touched.
    const bobs = await admin<{ items: { moduleId: string }[] }>('GET', `${o}/assignments`);
    expect(bobs.items.length).toBe(4);
  });
});
