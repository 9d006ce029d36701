import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Today } from '../../shared/learning';
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

const learnerEmail = 'sam.lopez@example.com';
const learnerPassword = 'a long password of Sam';
const moduleTitle = 'Log a call in the CRM';

/** Each card's answer time is 10 s; a learner who takes 8 s is right on time (rated Good). */
const EXPECTED_SECONDS = 10;
const THINKING_MS = 8_000;

const cards = {
  single: {
    kind: 'single',
    question: 'Where do you log a call?',
    explanation: 'Calls go in the **customer timeline**, where the whole team sees them.',
    options: [
      { text: 'In the customer timeline', correct: true },
      { text: 'In an email to yourself', correct: false },
      { text: 'In a spreadsheet', correct: false },
    ],
    expectedSeconds: EXPECTED_SECONDS,
  },
  truefalse: {
    kind: 'truefalse',
    question: 'The newest call is at the top of the timeline.',
    answer: true,
    explanation: 'Newest first: the last call is always on top.',
    expectedSeconds: EXPECTED_SECONDS,
  },
  order: {
    kind: 'order',
    question: 'Put the steps of logging a call in order.',
    steps: [{ text: 'Open the customer' }, { text: 'Click Log a call' }, { text: 'Save the call' }],
    explanation: 'Customer first, then the button, then save.',
    expectedSeconds: EXPECTED_SECONDS,
  },
} as const;

/** The learner takes their time to read the question, as the browser's clock sees it. */
async function think(page: Page) {
  await page.clock.fastForward(THINKING_MS);
}

/** Puts the order card's steps in the right order with the move buttons, then checks. */
async function orderRight(page: Page) {
  const expected = cards.order.steps.map((s) => s.text);
  const steps = page.getByRole('group', { name: cards.order.question }).getByRole('listitem');
  for (let target = 0; target < expected.length; target++) {
    const texts = await steps.allInnerTexts();
    let at = texts.findIndex((t) => t.includes(expected[target]!));
    expect(at).toBeGreaterThanOrEqual(target);
    for (; at > target; at--) {
      await page.getByRole('button', { name: `Move step ${at + 1} up` }).click();
    }
  }
  expect((await steps.allInnerTexts()).map((t, i) => t.includes(expected[i]!))).toEqual([
    true,
    true,
    true,
  ]);
  await page.getByRole('button', { name: 'Check', exact: true }).click();
}

/** Answers whichever card is shown, rightly, after thinking; returns its question. */
async function answerShownCardRight(page: Page) {
  const question = await page.getByRole('article').getByRole('heading').first().innerText();
  await think(page);
  if (question.includes(cards.single.question)) {
    await page.getByLabel(cards.single.options[0].text).check();
    await page.getByRole('button', { name: 'Check', exact: true }).click();
  } else if (question.includes(cards.truefalse.question)) {
    await page.getByRole('button', { name: 'True', exact: true }).click();
  } else if (question.includes(cards.order.question)) {
    await orderRight(page);
  } else {
    throw new Error(`Unexpected question: ${question}`);
  }
  await page.getByText('Right', { exact: true }).waitFor();
  return question.trim();
}

describe('learner journey: onboarding → lesson → check → a refresher two days later', () => {
  it('a new sales rep learns a lesson on a phone and gets refreshers when they are due', async () => {
    // ---- The organisation, set up through the API: the admin is also the trainer ----
    const {
      orgId,
      o,
      api: trainer,
    } = await setUpOrganisation(app.base, 'Dupont Sales', {
      name: 'Tess Trainer',
      email: 'tess@example.com',
    });
    const jobRole = await trainer<{ id: string }>('POST', `${o}/job-roles`, { name: 'Sales rep' });
    const tool = await trainer<{ id: string }>('POST', `${o}/tools`, { name: 'CRM' });
    const process = await trainer<{ id: string }>('POST', `${o}/tools/${tool.id}/processes`, {
      name: 'Customer calls',
    });
    const { items: personas } = await trainer<{ items: { id: string; name: string }[] }>(
      'GET',
      `${o}/personas`,
    );
    const personaId = (name: string) => personas.find((p) => p.name === name)!.id;

    const module = await trainer<{ id: string }>('POST', `${o}/modules`, {
      title: moduleTitle,
      toolId: tool.id,
      processId: process.id,
      jobRoleIds: [jobRole.id],
    });
    // One part for everyone, then one variant for "Step by step" and one for "Power user".
    const lesson = await trainer<{ id: string }>('POST', `${o}/modules/${module.id}/lessons`, {
      title: 'Your first call log',
      blocks: [
        {
          id: randomUUID(),
          kind: 'text',
          markdown: '## Why log calls\n\nEvery call goes in the **customer timeline**.',
        },
        {
          id: randomUUID(),
          kind: 'text',
          markdown: 'Click **Customers**, open the customer, then click **Log a call**.',
          personaIds: [personaId('Step by step')],
        },
        {
          id: randomUUID(),
          kind: 'text',
          markdown: 'Press **Alt+L** anywhere to log a call.',
          personaIds: [personaId('Power user')],
        },
      ],
    });
    const cardIds: string[] = [];
    for (const card of Object.values(cards)) {
      cardIds.push(
        (await trainer<{ id: string }>('POST', `${o}/lessons/${lesson.id}/cards`, card)).id,
      );
    }
    await trainer('POST', `${o}/modules/${module.id}/publish`);

    // ---- A sales rep is invited and accepts ----
    const learnerApi = await joinAsLearner(app.base, trainer, o, {
      name: 'Sam Lopez',
      email: learnerEmail,
      password: learnerPassword,
      jobRoleId: jobRole.id,
    });
    const today = () => learnerApi<Today>('GET', `${o}/me/today`);

    // ---- On a phone: sign in, and Today sends a newcomer to the questionnaire ----
    const { page, errors } = await app.person('en-GB', 360);
    // The browser's clock starts at the server's, so "today" is the same day on both sides.
    await page.clock.install({ time: app.clock.now() });
    await page.goto(`${app.base}/login`);
    await page.getByLabel('Email address').fill(learnerEmail);
    await page.getByLabel('Password').fill(learnerPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/onboarding');
    // Signed in, any console error counts.
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.getByRole('heading', { name: 'How comfortable are you with software?' }).waitFor();
    await screenIsFine(page);
    await page.getByLabel('2 – Needs guidance').check();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('heading', { name: 'Which device do you usually work on?' }).waitFor();
    await page.getByLabel('Phone').check();
    await page.getByRole('button', { name: 'Next' }).click();
    await page
      .getByRole('heading', { name: 'How many minutes a day can you give to learning?' })
      .waitFor();
    await page.getByLabel('5 minutes', { exact: true }).check();
    await page.getByRole('button', { name: 'See my profile' }).click();

    // The result in plain words.
    await page.getByRole('heading', { name: 'You are in the “Step by step” profile' }).waitFor();
    await page.getByText('Prefers detailed explanations, one step at a time').waitFor();
    await screenIsFine(page);
    await page.getByRole('link', { name: "Let's start" }).click();

    // ---- Today: the next lesson, nothing to review yet ----
    await page.waitForURL(/\/o\/[0-9a-f-]{36}$/);
    const next = page.getByRole('region', { name: 'Your next lesson' });
    await next.getByText('Your first call log', { exact: true }).waitFor();
    await next.getByText(`${moduleTitle} · lesson 1 of 1`).waitFor();
    await page.getByText('Refreshers start after your first lesson').waitFor();
    await screenIsFine(page);
    await next.getByRole('link', { name: /^Start the lesson\s*: Your first call log$/ }).click();

    // ---- The player: the parts for everyone and for "Step by step", not the power user's ----
    await page.waitForURL(`**/learn/${module.id}/${lesson.id}`);
    await page.getByRole('heading', { level: 1, name: 'Your first call log' }).waitFor();
    await page.getByRole('heading', { name: 'Part 1 of 2' }).waitFor();
    await page.getByText('Every call goes in the customer timeline.').waitFor();
    await screenIsFine(page);
    const controls = page.getByRole('navigation', { name: 'Go through the lesson' });
    await controls.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('heading', { name: 'Part 2 of 2' }).waitFor();
    await page.getByText('Click Customers, open the customer, then click Log a call.').waitFor();
    expect(await page.getByText('Alt+L').count()).toBe(0);
    await screenIsFine(page);
    await controls.getByRole('button', { name: 'Check' }).click();

    // ---- The check: the first card wrong, the others right ----
    await page.getByRole('heading', { name: 'Quick check' }).waitFor();
    await page.getByText('Question 1 of 3').waitFor();
    await page.getByRole('heading', { level: 3, name: cards.single.question }).waitFor();
    await screenIsFine(page);
    await think(page);
    await page.getByLabel('In a spreadsheet').check();
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    await page.getByText('Not quite', { exact: true }).waitFor();
    // The right answer, the learner's own, the explanation, and the promise it comes back.
    const feedback = page.getByRole('region', { name: 'Not quite' });
    await feedback
      .getByRole('listitem')
      .filter({ hasText: 'In the customer timeline' })
      .getByText('Right answer')
      .waitFor();
    await feedback
      .getByRole('listitem')
      .filter({ hasText: 'In a spreadsheet' })
      .getByText('Your answer')
      .waitFor();
    await feedback.getByText('where the whole team sees them').waitFor();
    await feedback
      .getByText('This question comes back at the end of the session, and again tomorrow.')
      .waitFor();
    await screenIsFine(page);
    await page.getByRole('button', { name: 'Next question' }).click();

    const seen: string[] = [cards.single.question];
    for (let n = 2; n <= 3; n++) {
      // The queue has grown by one: the card answered wrong comes back at the end.
      await page.getByText(`Question ${n} of 4`).waitFor();
      seen.push(await answerShownCardRight(page));
      await screenIsFine(page);
      await page.getByRole('button', { name: 'Next question' }).click();
    }
    expect(seen.toSorted()).toEqual(
      Object.values(cards)
        .map((c) => c.question)
        .toSorted(),
    );

    // The wrong card, once more, as practice: recorded nowhere, so it still comes back tomorrow.
    await page.getByText('Question 4 of 4').waitFor();
    await page
      .getByText('Second try: this question is back because it was tricky earlier.')
      .waitFor();
    expect(await answerShownCardRight(page)).toBe(cards.single.question);
    await page.getByText('Well done. It still comes back tomorrow, so that it sticks.').waitFor();
    await page.getByRole('button', { name: 'Finish' }).click();

    // ---- Lesson done ----
    await page.getByRole('heading', { name: 'Lesson done' }).waitFor();
    await page.getByText('These questions will come back as refreshers in a few days').waitFor();
    await screenIsFine(page);

    // Nothing is due today. The card answered wrong (Again) comes back the next day; the
    // others, right on time (Good), three days later in FSRS-6 (initial stability 2.3 days at
    // 90% target recall).
    const wrongCardId = cardIds[Object.keys(cards).indexOf('single')]!;
    const firstNight = await today();
    expect(firstNight.nextLesson).toBeNull();
    expect(firstNight.refreshers).toEqual([]);
    expect(firstNight.dueCount).toBe(0);
    expect(firstNight.summary.cardsInMemory).toBe(3);
    expect(new Date(firstNight.nextDueAt!).getTime() - app.clock.now().getTime()).toBe(DAY);
    await page.getByRole('link', { name: 'Back to Today' }).click();
    await page.getByText('Nothing to review today: the next refresher is tomorrow.').waitFor();
    // The calls are reviewed with the team on Wednesday 4 March. Said only now, after the
    // lesson's answers, so the due dates this journey checks are those of a card without uses.
    await trainer('PATCH', `${o}/processes/${process.id}`, {
      nextUse: { kind: 'dates', dates: ['2026-03-04'] },
    });

    // ---- Two days later: the card answered wrong is due (a day late), the others not yet ----
    app.clock.advance(2 * DAY);
    await page.clock.setSystemTime(app.clock.now());
    const dayTwo = await today();
    expect(dayTwo.refreshers.map((c) => c.id)).toEqual([wrongCardId]);
    expect(dayTwo.uses).toEqual([
      {
        processId: process.id,
        processName: 'Customer calls',
        on: '2026-03-04',
        cardIds: [wrongCardId],
      },
    ]);
    await page.reload();
    const refreshers = page.getByRole('region', { name: "Today's refreshers" });
    await refreshers.getByText(/^1 refresher, about 1 min/).waitFor();
    // Why it is there: the process is used today.
    await refreshers
      .getByText(
        "Customer calls on Wednesday 4 March: one of today's refreshers prepares you for it.",
      )
      .waitFor();
    await screenIsFine(page);
    await refreshers.getByRole('link', { name: 'Start the refreshers' }).click();

    // ---- The refresher session: the card answered wrong two days ago, right this time ----
    await page.waitForURL('**/review');
    await page.getByRole('heading', { level: 1, name: "Today's refreshers" }).waitFor();
    await page.getByText('Question 1 of 1').waitFor();
    await page.getByText('For “Customer calls” today').waitFor();
    await screenIsFine(page);
    expect(await answerShownCardRight(page)).toBe(cards.single.question);
    await page.getByRole('button', { name: 'Finish' }).click();

    // ---- The calm summary: what was done and when it comes back, no score to beat ----
    await page.getByRole('heading', { name: 'Done for today' }).waitFor();
    await page.getByText('You went over 1 question (1 right the first time).').waitFor();
    // The next refresher is one of the two cards answered right three days after the lesson.
    await page.getByText('The next refresher is tomorrow.').waitFor();
    await screenIsFine(page);
    const after = await today();
    expect(after.refreshers).toEqual([]);
    expect(after.dueCount).toBe(0);

    // ---- The day after: the two others are due ----
    app.clock.advance(DAY);
    const dayThree = await today();
    expect(dayThree.refreshers.map((c) => c.id).toSorted()).toEqual(
      cardIds.filter((id) => id !== wrongCardId).toSorted(),
    );

    // ---- Going on holiday that day: a pause from the account page ----
    await page.clock.setSystemTime(app.clock.now());
    await page.goto(`${app.base}/account`);
    const holidays = page.getByRole('region', { name: 'Holidays' });
    await holidays.getByText('No pause planned.').waitFor();
    await holidays.getByLabel('First day').fill('2026-03-05');
    await holidays.getByLabel('Last day (included)').fill('2026-03-13');
    await holidays.getByRole('button', { name: 'Pause refreshers' }).click();
    await holidays.getByText('From Thursday 5 March to Friday 13 March').waitFor();
    await holidays.getByText('In progress').waitFor();
    await screenIsFine(page);

    // Today says so, and nothing is due during the pause.
    await page.goto(`${app.base}/o/${orgId}`);
    await page
      .getByText('Refreshers are paused until Friday 13 March included. Enjoy your time off.')
      .waitFor();
    await screenIsFine(page);
    expect((await today()).refreshers).toEqual([]);
    // The two cards due on the pause's first day come back nine days (its length) later, on
    // Saturday 14 March, not piled up on the return.
    app.clock.set('2026-03-13T20:00:00Z');
    expect((await today()).pausedUntil).toBe('2026-03-13');
    app.clock.set('2026-03-14T10:00:00Z');
    const back = await today();
    expect(back.pausedUntil).toBeNull();
    expect(back.refreshers.map((c) => c.id).toSorted()).toEqual(
      cardIds.filter((id) => id !== wrongCardId).toSorted(),
    );

    expect(errors).toEqual([]);
  });
});
