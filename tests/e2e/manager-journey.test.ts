import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DashboardAtRisk } from '../../shared/dashboards';
import { DAY } from '../helpers/clock';
import { seedRefreshers } from '../helpers/review-log';
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

const moduleTitle = 'Month-end close';
const managerEmail = 'maud.martin@example.com';
const managerPassword = 'a long password of Maud';

/** Each card's answer time is 10 s; answering in 8 s is right on time (rated Good). */
const cards = [
  {
    kind: 'truefalse',
    question: 'Invoices of the month are booked before the close.',
    answer: true,
    explanation: 'Everything of the month first, then the close.',
    expectedSeconds: 10,
  },
  {
    kind: 'truefalse',
    question: 'The close can be reopened by anyone.',
    answer: false,
    explanation: 'Only the accountant reopens a closed month.',
    expectedSeconds: 10,
  },
] as const;

type Api = ReturnType<typeof apiAs>;

/** The learner finishes the module's lesson and answers its cards right, through the API. */
async function learnAndAnswer(learner: Api, o: string, moduleId: string, cardIds: string[]) {
  const mod = await learner<{ lessons: { id: string }[] }>('GET', `${o}/me/modules/${moduleId}`);
  await learner('PUT', `${o}/me/lessons/${mod.lessons[0]!.id}/progress`, {
    position: 1,
    completed: true,
  });
  await answerRight(learner, o, cardIds);
}

async function answerRight(learner: Api, o: string, cardIds: string[]) {
  for (const [i, cardId] of cardIds.entries()) {
    await learner('POST', `${o}/reviews`, {
      id: randomUUID(),
      cardId,
      answer: { kind: 'truefalse', value: cards[i]!.answer },
      durationMs: 8_000,
    });
  }
}

/** A manager invited by the admin, who accepts in English: their user id. */
async function joinAsManager(admin: Api, o: string) {
  const { link } = await admin<{ link: string }>('POST', `${o}/invitations`, {
    email: managerEmail,
    roles: ['manager'],
    locale: 'en',
  });
  const res = await fetch(`${app.base}/api/invitations/${link.split('/invite/')[1]}/accept`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ password: managerPassword, name: 'Maud Martin', locale: 'en' }),
  });
  expect(res.ok, await res.clone().text()).toBe(true);
  const cookie = res.headers.getSetCookie()[0]!.split(';')[0]!;
  return (await apiAs(app.base, cookie)<{ user: { id: string } }>('GET', '/me')).user.id;
}

/** What sticks out of the screen, to say why a page does not fit (empty when it fits). */
async function tooWide(page: Page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
      .filter((el) => {
        // Inside a box that scrolls sideways (a wide table on a phone) is fine, unless it is
        // positioned out of it.
        const absolute = getComputedStyle(el).position === 'absolute';
        const first = absolute ? (el as HTMLElement).offsetParent : el.parentElement;
        for (let up = first; up; up = up.parentElement) {
          if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(up).overflowX)) return false;
        }
        return true;
      })
      .slice(0, 5)
      .map((el) => `${el.tagName}.${el.className} ${Math.round(el.getBoundingClientRect().right)}`),
  );
}

/** The screen check, saying what sticks out when something does. */
async function screenFine(page: Page) {
  expect(await tooWide(page)).toEqual([]);
  await screenIsFine(page);
}

/** Clicks a "Download CSV" button and returns the file's bytes. */
async function download(page: Page, name: RegExp) {
  const button = page.getByRole('button', { name });
  expect(await button.isEnabled({ timeout: 5_000 })).toBe(true);
  const waiting = page.waitForEvent('download', { timeout: 10_000 });
  await button.click({ timeout: 5_000 });
  const file = await waiting;
  expect(file.suggestedFilename()).toMatch(/^rappel-.*\.csv$/);
  return fs.readFileSync((await file.path())!);
}

/** A person on a browser of `width` px, on the server's clock, signed in with these. */
async function signedIn(width: number, email: string, password: string) {
  const person = await app.person('en-GB', width);
  await person.page.clock.install({ time: app.clock.now() });
  await person.page.goto(`${app.base}/login`);
  await person.page.getByLabel('Email address').fill(email);
  await person.page.getByLabel('Password').fill(password);
  await person.page.getByRole('button', { name: 'Sign in' }).click();
  await person.page.waitForURL(/\/o\/[0-9a-f-]{36}$/);
  return person;
}

describe('manager journey: overview → heatmap cell → at-risk learner → CSV', () => {
  it('a manager sees who is forgetting in their team and exports the list', async () => {
    // ---- The organisation: a Sales team, a critical module for sales reps ----
    const {
      o,
      orgId,
      api: admin,
    } = await setUpOrganisation(app.base, 'Dupont Compta', {
      name: 'Alice Admin',
      email: 'alice@example.com',
    });
    const jobRole = await admin<{ id: string }>('POST', `${o}/job-roles`, { name: 'Sales rep' });
    const team = await admin<{ id: string }>('POST', `${o}/teams`, { name: 'Sales' });
    const tool = await admin<{ id: string }>('POST', `${o}/tools`, { name: 'Accounting' });
    const module = await admin<{ id: string }>('POST', `${o}/modules`, {
      title: moduleTitle,
      toolId: tool.id,
      jobRoleIds: [jobRole.id],
      criticality: 'critical',
    });
    const lesson = await admin<{ id: string }>('POST', `${o}/modules/${module.id}/lessons`, {
      title: 'Closing the month',
      blocks: [{ id: randomUUID(), kind: 'text', markdown: 'Book everything, then close.' }],
    });
    const cardIds: string[] = [];
    for (const card of cards) {
      cardIds.push(
        (await admin<{ id: string }>('POST', `${o}/lessons/${lesson.id}/cards`, card)).id,
      );
    }
    await admin('POST', `${o}/modules/${module.id}/publish`);

    // ---- Two sales reps in the team, managed by Maud ----
    const people: Record<string, { api: Api; id: string }> = {};
    for (const [name, email] of [
      ['Ann Petit', 'ann@example.com'],
      ['Bob Durand', 'bob@example.com'],
    ] as const) {
      const learner = await joinAsLearner(app.base, admin, o, {
        name,
        email,
        password: `a long password of ${name}`,
        jobRoleId: jobRole.id,
      });
      const { user } = await learner<{ user: { id: string } }>('GET', '/me');
      await admin('PATCH', `${o}/members/${user.id}`, { teamId: team.id });
      people[name] = { api: learner, id: user.id };
    }
    const managerId = await joinAsManager(admin, o);
    await admin('PATCH', `${o}/members/${managerId}`, { managedTeamIds: [team.id] });
    // Carl, a sales rep no team has taken in yet: outside Maud's scope, in Alice's.
    const carl = await joinAsLearner(app.base, admin, o, {
      name: 'Carl Leroy',
      email: 'carl@example.com',
      password: 'a long password of Carl Leroy',
      jobRoleId: jobRole.id,
    });

    // ---- All learn the lesson today; five days later Ann does her refreshers, the others not ----
    for (const p of [...Object.values(people).map((p) => p.api), carl]) {
      await learnAndAnswer(p, o, module.id, cardIds);
    }
    app.clock.advance(5 * DAY);
    await answerRight(people['Ann Petit']!.api, o, cardIds);
    const manager = await (async () => {
      const res = await fetch(`${app.base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: managerEmail, password: managerPassword }),
      });
      return apiAs(app.base, res.headers.getSetCookie()[0]!.split(';')[0]!);
    })();
    const listed = await manager<DashboardAtRisk>('GET', `${o}/dashboards/at-risk`);
    expect(listed.items.map((i) => i.name)).toEqual(['Bob Durand']);

    // ---- On a phone: the manager signs in and opens the dashboards ----
    const { page, errors } = await signedIn(390, managerEmail, managerPassword);
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(msg.text());
    });
    await page.getByRole('link', { name: 'Dashboards' }).click();

    // The overview: recall now against the target, in words, and the heatmap.
    await page.getByRole('heading', { level: 1, name: 'Retention dashboard' }).waitFor();
    await page.getByText('2 learners remember').waitFor();
    await page.getByText('target: 90%').waitFor();
    const heatmap = page.getByRole('table', { name: 'Teams × modules' });
    await heatmap.getByRole('columnheader', { name: moduleTitle }).waitFor();
    await heatmap.getByRole('rowheader', { name: 'Sales' }).waitFor();
    await page.getByRole('heading', { name: 'Completion funnel' }).waitFor();
    await screenFine(page);

    // ---- The Sales × module cell opens its people, then the at-risk tab filtered on both ----
    await heatmap.getByRole('link', { name: new RegExp(`^Sales, ${moduleTitle}: \\d+%`) }).click();
    await page.waitForURL(`**/dashboards/people?teamId=${team.id}&moduleId=${module.id}`);
    await page
      .getByRole('list', { name: '2 people' })
      .getByRole('link', { name: 'Ann Petit' })
      .waitFor();
    await page.getByRole('link', { name: 'At risk', exact: true }).click();
    await page.waitForURL(`**/dashboards/at-risk?teamId=${team.id}&moduleId=${module.id}`);
    await page.getByRole('heading', { level: 1, name: 'At risk' }).waitFor();
    // The filters say it too, and are in the address (a bookmark gives the same view).
    expect(await page.getByLabel('Team').inputValue()).toBe(team.id);
    expect(await page.getByLabel('Module').inputValue()).toBe(module.id);
    // On a phone, one card per person (a table would not fit), saying in words what is wrong.
    const list = page.getByRole('list', { name: '1 learner at risk' });
    await list.getByRole('link', { name: 'Bob Durand' }).waitFor();
    expect(await list.getByRole('link', { name: 'Ann Petit' }).count()).toBe(0);
    // (The date's spaces are non-breaking, so that it never wraps.)
    await list.getByText(/^2 overdue refreshers since \d{1,2}\s\w{3,4}\s2026$/).waitFor();
    await list
      .getByText(new RegExp(`^Critical module under the target: “${moduleTitle}” at \\d+%$`))
      .waitFor();
    await screenFine(page);

    // The list as a CSV in the interface's language (English: commas, decimal points): BOM,
    // header, Bob's row with the figures apart and the risk score the list is sorted by.
    const csv = await download(page, /^Download CSV: 1 learner at risk$/);
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csv.toString('utf8').slice(1).split('\r\n');
    expect(lines[0]).toBe(
      'Learner,Team,Overdue refreshers,Overdue since,Critical modules under target,' +
        'Predicted recall,Risk score,Paused until',
    );
    expect(lines[1]).toMatch(
      new RegExp(
        `^Bob Durand,Sales,2,\\d{4}-\\d{2}-\\d{2},${moduleTitle} \\(\\d+%\\),0\\.\\d+,\\d+(\\.\\d+)?,$`,
      ),
    );
    expect(lines.length).toBe(3); // header, Bob, and the final CRLF

    // ---- One click: assign the module again with a due date a week away ----
    await list.getByRole('button', { name: 'Assign again Bob Durand' }).click();
    const assign = page.getByRole('dialog', { name: 'Assign a module again to Bob Durand' });
    await assign.getByLabel('Module').waitFor();
    expect(await assign.getByLabel('Module').inputValue()).toBe(module.id);
    await screenFine(page);
    await assign.getByRole('button', { name: 'Assign again', exact: true }).click();
    await page.getByText(`“${moduleTitle}” assigned again to Bob Durand`).waitFor();
    const { items: assignments } = await manager<{ items: { dueOn: string | null }[] }>(
      'GET',
      `${o}/assignments?userId=${people['Bob Durand']!.id}`,
    );
    expect(assignments.map((a) => a.dueOn)).toEqual(['2026-03-14']);
    // …and the pause dialog, the one the people page uses.
    await list.getByRole('button', { name: 'Pause Bob Durand' }).click();
    const pauses = page.getByRole('dialog', { name: 'Holidays' });
    await pauses.getByText('No refresher comes to Bob Durand during a pause').waitFor();
    await screenFine(page);
    await pauses.getByRole('button', { name: 'Close' }).click();
    await pauses.waitFor({ state: 'hidden' });

    // …and a reminder: Bob will see it on his home page. Once a day, so the button rests.
    const remind = list.getByRole('button', { name: 'Remind Bob Durand' });
    expect(await remind.getAttribute('aria-disabled')).toBe('false');
    await remind.click();
    await page
      .getByRole('status')
      .getByText('Reminder sent to Bob Durand: they will see it on their home page.')
      .waitFor();
    await list.getByText(/^Reminded today at \d{1,2}:\d{2}/).waitFor();
    expect(await remind.getAttribute('aria-disabled')).toBe('true');
    expect(await remind.evaluate((el) => el === document.activeElement)).toBe(true);
    await screenFine(page);

    // ---- Bob's page: his module, recall, history, pauses ----
    await list.getByRole('link', { name: 'Bob Durand' }).click();
    await page.getByRole('heading', { level: 1, name: 'Bob Durand' }).waitFor();
    // On a phone, one card per module rather than a table wider than the screen.
    const modules = page.getByRole('list', { name: 'Modules of Bob Durand' });
    const card = modules.getByRole('listitem').filter({
      has: page.getByRole('heading', { level: 3, name: new RegExp(moduleTitle) }),
    });
    expect(await card.getByRole('definition').allTextContents()).toEqual([
      expect.stringMatching(/^\d+%$/),
      '1 / 1',
      '2',
      '2',
      expect.any(String),
    ]);
    await page.getByRole('heading', { name: 'Answer history' }).waitFor();
    await page.getByText('No pause.').waitFor();
    await page.getByText(/^Reminded today at \d{1,2}:\d{2}/).waitFor();
    expect(
      await page.getByRole('button', { name: 'Remind Bob Durand' }).getAttribute('aria-disabled'),
    ).toBe('true');
    await screenFine(page);
    const modulesCsv = (await download(page, /^Download CSV: Modules of Bob Durand$/)).toString(
      'utf8',
    );
    expect(modulesCsv.charCodeAt(0)).toBe(0xfeff);
    expect(modulesCsv.split('\r\n')[1]).toMatch(new RegExp(`^${moduleTitle},yes,1,1,2,0\\.\\d+,`));

    // The list's filters do not narrow his page, but are shown, kept for the way back.
    await page.getByText('Filters kept for the way back:').waitFor();
    const kept = page.getByRole('list', { name: 'Filters kept for the way back:' });
    expect(await kept.getByRole('listitem').allTextContents()).toEqual([
      'Team: Sales',
      `Module: ${moduleTitle}`,
    ]);

    // ---- Back to the list, then the forecast and the true retention, filters kept ----
    await page.getByRole('link', { name: /Back to the at-risk list/ }).click();
    await page.waitForURL(`**/dashboards/at-risk?teamId=${team.id}&moduleId=${module.id}`);
    await page.getByRole('heading', { level: 1, name: 'At risk' }).waitFor();
    const tabs = page.getByRole('navigation', { name: 'Dashboards' });
    await tabs.getByRole('link', { name: 'Forecast' }).click();
    await page.getByRole('heading', { level: 1, name: 'Recall forecast' }).waitFor();
    expect(new URL(page.url()).searchParams.get('teamId')).toBe(team.id);
    await page.getByText(/recall falls under the target on|stays above the target/).waitFor();
    await page.getByRole('table', { name: 'When each team falls under the target' }).waitFor();
    await screenFine(page);
    // Ann's earlier answers (in February: a card of their own each, right three days after its
    // first answer), enough for a bin of the calibration to be shown.
    await seedRefreshers(
      app.db,
      { orgId, userId: people['Ann Petit']!.id, moduleId: module.id },
      { count: 24, before: new Date(app.clock.now().getTime() - 6 * DAY) },
    );
    await tabs.getByRole('link', { name: 'True retention' }).click();
    await page.getByRole('heading', { level: 1, name: 'True retention' }).waitFor();
    // Ann's refreshers five days after the lesson, in March.
    const byPeriod = page.getByRole('table', { name: 'True retention by period' });
    await byPeriod.getByRole('rowheader', { name: 'March 2026' }).waitFor();
    // Below, the model's honesty: the 26 refreshers binned by predicted recall, on a chart
    // (circles over a diagonal) and in a table saying the same.
    await page.getByRole('heading', { level: 2, name: 'Are the predictions honest?' }).waitFor();
    await page.getByText(/^Over 26 refreshers, the predictions were [\d.]+ points away/).waitFor();
    // One circle on the chart: only the bin of the 24 seeded ones holds 20 answers or more.
    expect(await page.locator('.calibration-chart .chart circle').count()).toBe(1);
    const calibration = page.getByRole('table', { name: 'Predicted against observed recall' });
    await calibration
      .getByRole('rowheader', { name: /^\d+% – \d+%$/ })
      .first()
      .waitFor();
    await screenFine(page);
    await page.getByRole('link', { name: 'By week' }).click();
    // Ann's seeded February refreshers make several weeks.
    await byPeriod
      .getByRole('rowheader', { name: /^Week of/ })
      .first()
      .waitFor();
    expect(new URL(page.url()).searchParams.get('period')).toBe('week');

    expect(errors).toEqual([]);

    // ---- Bob, on his phone: Maud's reminder on his home page, with what is waiting ----
    await people['Bob Durand']!.api('POST', `${o}/me/onboarding`, {
      answers: { confidence: 3, device: 'phone', minutesPerDay: 5 },
    });
    const bob = await signedIn(390, 'bob@example.com', 'a long password of Bob Durand');
    const banner = bob.page.getByRole('region', { name: 'Reminders' });
    await banner
      .getByText('Maud Martin reminded you today: 2 refreshers are waiting — about 1 min.')
      .waitFor();
    expect(
      await banner.getByRole('link', { name: 'Go to my refreshers' }).getAttribute('href'),
    ).toMatch(/\/o\/[0-9a-f-]{36}\/review$/);
    await screenFine(bob.page);
    // Dismissed by keyboard: gone, said, and focus back on the page's heading.
    await banner.getByRole('button', { name: 'Dismiss the reminder from Maud Martin' }).focus();
    await bob.page.keyboard.press('Enter');
    await bob.page.getByRole('status').getByText('Reminder dismissed.').waitFor();
    await banner.waitFor({ state: 'detached' });
    expect(await bob.page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
    await bob.page.reload();
    await bob.page.getByRole('heading', { name: "Today's refreshers" }).waitFor();
    expect(await bob.page.getByRole('region', { name: 'Reminders' }).count()).toBe(0);
    expect(bob.errors).toEqual([]);

    // ---- Alice, the admin, at her desk: the heatmap's "No team" row leads to Carl ----
    const alice = await signedIn(1280, 'alice@example.com', 'a long enough passphrase');
    await alice.page.getByRole('link', { name: 'Dashboards' }).click();
    const aliceHeatmap = alice.page.getByRole('table', { name: 'Teams × modules' });
    await aliceHeatmap.getByRole('rowheader', { name: 'No team' }).waitFor();
    await aliceHeatmap
      .getByRole('link', { name: new RegExp(`^No team, ${moduleTitle}: \\d+%`) })
      .click();
    await alice.page.waitForURL(`**/dashboards/people?teamId=none&moduleId=${module.id}`);
    const aliceList = alice.page.getByRole('table', { name: '1 person' });
    await aliceList.getByRole('link', { name: 'Carl Leroy' }).waitFor();
    expect(await aliceList.getByRole('link', { name: 'Bob Durand' }).count()).toBe(0);
    const teamFilter = alice.page.getByLabel('Team');
    expect(await teamFilter.inputValue()).toBe('none');
    expect(await teamFilter.locator('option:checked').textContent()).toBe('No team');
    await screenFine(alice.page);
    expect(alice.errors).toEqual([]);
  });
});
