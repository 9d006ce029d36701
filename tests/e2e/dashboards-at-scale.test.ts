import { randomUUID } from 'node:crypto';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardStates } from '../../server/db/schema';
import { DAY } from '../helpers/clock';
import {
  type ClockedApp,
  fitsWidth,
  joinAsLearner,
  screenIsFine,
  setUpOrganisation,
  startAppWithClock,
} from './helpers';

const TEAMS = 20;
const MODULES = 30;
const adminEmail = 'alice@example.com';

let app: ClockedApp;
let orgId: string;
const teams: { id: string; name: string }[] = [];

/**
 * A catalogue of a real size: 30 published modules with long titles, 20 teams of one learner
 * each who has learnt every module's card (600 heatmap cells, 600 forecast series), at various
 * strengths of memory.
 */
beforeAll(async () => {
  app = await startAppWithClock();
  const org = await setUpOrganisation(app.base, 'Grande Maison', {
    name: 'Alice Admin',
    email: adminEmail,
  });
  orgId = org.orgId;
  const { o, api: admin } = org;
  const jobRole = await admin<{ id: string }>('POST', `${o}/job-roles`, { name: 'Clerk' });
  const tool = await admin<{ id: string }>('POST', `${o}/tools`, { name: 'Accounting' });
  const modules: { id: string; cardId: string }[] = [];
  for (let j = 1; j <= MODULES; j++) {
    const module = await admin<{ id: string }>('POST', `${o}/modules`, {
      title: `Accounting ${j}: closing the month without surprises`,
      toolId: tool.id,
    });
    const lesson = await admin<{ id: string }>('POST', `${o}/modules/${module.id}/lessons`, {
      title: 'The lesson',
      blocks: [{ id: randomUUID(), kind: 'text', markdown: 'Book everything, then close.' }],
    });
    const card = await admin<{ id: string }>('POST', `${o}/lessons/${lesson.id}/cards`, {
      kind: 'truefalse',
      question: 'Invoices are booked before the close.',
      answer: true,
      explanation: 'Everything of the month first.',
      expectedSeconds: 10,
    });
    await admin('POST', `${o}/modules/${module.id}/publish`);
    modules.push({ id: module.id, cardId: card.id });
  }
  const now = app.clock.now().getTime();
  for (let i = 1; i <= TEAMS; i++) {
    const team = await admin<{ id: string; name: string }>('POST', `${o}/teams`, {
      name: `Team ${i}`,
    });
    teams.push(team);
    const learner = await joinAsLearner(app.base, admin, o, {
      name: `Learner ${i}`,
      email: `learner${i}@example.com`,
      password: `a long password of learner ${i}`,
      jobRoleId: jobRole.id,
    });
    const { user } = await learner<{ user: { id: string } }>('GET', '/me');
    await admin('PATCH', `${o}/members/${user.id}`, { teamId: team.id });
    // Weeks of learning below the API: one learnt card per module.
    await app.db.insert(cardStates).values(
      modules.map((m, j) => {
        const stability = [3, 12, 40][(i + j) % 3]! * (1 + j / 30);
        const lastReview = new Date(now - (1 + ((i * j) % 9)) * DAY);
        return {
          orgId,
          userId: user.id,
          cardId: m.cardId,
          moduleId: m.id,
          due: new Date(lastReview.getTime() + stability * DAY),
          stability,
          difficulty: 5,
          elapsedDays: 0,
          scheduledDays: Math.round(stability),
          learningSteps: 0,
          reps: 1,
          lapses: 0,
          state: 2,
          lastReview,
          firstReview: lastReview,
        };
      }),
    );
  }
}, 600_000);

afterAll(async () => {
  await app?.close();
});

/** Alice, the admin, signed in on a browser `width` px wide. */
async function signedIn(width: number) {
  const person = await app.person('en-GB', width);
  await person.page.clock.install({ time: app.clock.now() });
  await person.page.goto(`${app.base}/login`);
  await person.page.getByLabel('Email address').fill(adminEmail);
  await person.page.getByLabel('Password').fill('a long enough passphrase');
  await person.page.getByRole('button', { name: 'Sign in' }).click();
  await person.page.waitForURL(/\/o\/[0-9a-f-]{36}$/);
  return person;
}

/**
 * A sticky header stays where it was, give or take the table's border spacing (3 px): it sticks
 * to the very edge of the scrolling box.
 */
function stays(now: number, before: number) {
  expect(Math.abs(now - before)).toBeLessThanOrEqual(4);
}

async function box(locator: Locator) {
  const b = await locator.boundingBox();
  expect(b).not.toBeNull();
  return b!;
}

/**
 * The heatmap of 20 teams × 30 modules keeps its headers in view: scrolled sideways by keyboard,
 * the team names stay at the left edge; scrolled down, the module titles stay at the top.
 */
async function headersStayInView(page: Page) {
  await page.goto(`${app.base}/o/${orgId}/dashboards`);
  const heatmap = page.getByRole('table', { name: 'Teams × modules' });
  await heatmap.waitFor();
  const region = page.getByRole('region', { name: /Teams × modules \(scrolls/ });
  expect(await heatmap.getByRole('rowheader').count()).toBe(TEAMS);
  expect(await heatmap.getByRole('columnheader').count()).toBe(MODULES);
  // The column titles are cut on screen but whole for screen readers and on hover.
  const first = heatmap.getByRole('columnheader', {
    name: 'Accounting 1: closing the month without surprises',
    exact: true,
  });
  expect(await first.getAttribute('title')).toBe(
    'Accounting 1: closing the month without surprises',
  );
  expect((await box(first)).width).toBeLessThan(140);
  // Wider than the screen: the cue says more modules wait to the right.
  const hint = page.getByText('More modules to the right: scroll sideways →');
  expect(await hint.isVisible()).toBe(true);

  const team1 = heatmap.getByRole('rowheader', { name: 'Team 1', exact: true });
  // Positions within the scrolling box, whatever the page's own scroll.
  const within = async (locator: Locator) => {
    const [b, r] = [await box(locator), await box(region)];
    return { x: b.x - r.x, y: b.y - r.y };
  };
  await region.focus();
  const before = { team: await within(team1), module: await within(first) };
  for (let i = 0; i < 8; i++) await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => document.querySelector('.scroll')!.scrollLeft > 200);
  const sideways = { team: await within(team1), module: await within(first) };
  stays(sideways.team.x, before.team.x);
  expect(sideways.module.x).toBeLessThan(before.module.x - 200);
  stays(sideways.module.y, before.module.y);

  for (let i = 0; i < 3; i++) await page.keyboard.press('PageDown');
  await page.waitForFunction(() => document.querySelector('.scroll')!.scrollTop > 200);
  const down = { team: await within(team1), module: await within(first) };
  expect(down.team.y).toBeLessThan(before.team.y - 200);
  stays(down.module.y, before.module.y);
  // The last team's name is in view beside its cells, left edge kept.
  const team20 = heatmap.getByRole('rowheader', { name: 'Team 20', exact: true });
  stays((await within(team20)).x, before.team.x);

  // At the far right the cue goes.
  await page.keyboard.press('End');
  await region.evaluate((el) => (el.scrollLeft = el.scrollWidth));
  await hint.waitFor({ state: 'hidden' });
  return { heatmap, region };
}

describe('dashboards at a real catalogue’s size', () => {
  it('keeps the heatmap readable on a desktop', async () => {
    const { page, errors } = await signedIn(1280);
    await headersStayInView(page);
    expect(await fitsWidth(page)).toBe(true);
    expect(errors).toEqual([]);
  });

  it('keeps the heatmap readable on a phone, without widening the page', async () => {
    const { page, errors } = await signedIn(390);
    await headersStayInView(page);
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenIsFine(page);
    expect(errors).toEqual([]);
  });

  it('shows the forecast’s first 20 team × module pairs, then 20 more', async () => {
    const { page, errors } = await signedIn(1280);
    await page.goto(`${app.base}/o/${orgId}/dashboards/forecast`);
    const table = page.getByRole('table', { name: 'When each team falls under the target' });
    await table.waitFor();
    const rows = table.locator('tbody tr');
    expect(await rows.count()).toBe(20);
    await page.getByText('Showing 20 of 600 teams and modules').waitFor();
    await page.getByRole('button', { name: 'Show 20 more' }).click();
    await page.getByText('Showing 40 of 600 teams and modules').waitFor();
    expect(await rows.count()).toBe(40);
    // The ones needing attention come first: the first row is already under the target.
    expect(await rows.first().locator('td').nth(4).textContent()).toBe('already under the target');
    expect(errors).toEqual([]);
  });

  it('pages a filtered forecast on a phone, the filter kept in the address', async () => {
    const { page, errors } = await signedIn(390);
    const team = teams[4]!;
    await page.goto(`${app.base}/o/${orgId}/dashboards/forecast?teamId=${team.id}`);
    const table = page.getByRole('table', { name: 'When each team falls under the target' });
    await table.waitFor();
    await page.getByText('Showing 20 of 30 teams and modules').waitFor();
    await page.getByRole('button', { name: 'Show 10 more' }).click();
    await page.getByText('Showing 30 of 30 teams and modules').waitFor();
    const rows = table.locator('tbody tr');
    expect(await rows.count()).toBe(30);
    for (const name of await rows.locator('td:first-child').allTextContents()) {
      expect(name).toBe(team.name);
    }
    expect(await page.getByRole('button', { name: /^Show \d+ more$/ }).count()).toBe(0);
    expect(new URL(page.url()).searchParams.get('teamId')).toBe(team.id);
    await screenIsFine(page);
    expect(errors).toEqual([]);
  });
});
