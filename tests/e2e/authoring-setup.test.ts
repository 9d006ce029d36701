import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, makeCalendar } from '../../shared/calendar';
import { nextUseDates } from '../../shared/tools';
import { holidayLookup } from '../../server/calendar/holidays';
import { type App, axeViolations, startApp } from './helpers';

let app: App;

beforeAll(async () => {
  app = await startApp();
});

afterAll(async () => {
  await app?.close();
});

/** The page fits a phone screen: nothing wider than the viewport. */
async function fitsWidth(page: Page) {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

describe('authoring set-up: personas, onboarding rules, tools and processes', () => {
  it('a trainer-admin adjusts personas and rules, then describes a tool on a phone', async () => {
    const setup = await fetch(`${app.base}/api/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        organisation: { name: 'Atelier Dupont' },
        admin: {
          name: 'Claire Martin',
          email: 'claire@example.com',
          password: 'a long enough passphrase',
          locale: 'en',
        },
      }),
    });
    expect(setup.status).toBe(201);

    // Signs in through the login page, on a phone-sized screen.
    const { page, errors } = await app.person('en-GB', 360);
    await page.goto(`${app.base}/login`);
    await page.getByLabel('Email address').fill('claire@example.com');
    await page.getByLabel('Password').fill('a long enough passphrase');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/o\/[0-9a-f-]{36}$/);

    // ---- Personas: the three defaults, as cards ----
    const nav = page.getByRole('navigation', { name: 'Main navigation' });
    await nav.getByRole('link', { name: 'Personas', exact: true }).click();
    await page.waitForURL('**/personas');
    await page.getByRole('heading', { level: 1, name: 'Learner personas' }).waitFor();
    const personaList = page.getByRole('region', { name: 'The personas' });
    await expect
      .poll(() => personaList.getByRole('heading', { level: 3 }).allTextContents())
      .toEqual(['Step by step', 'Autonomous', 'Power user']);
    const stepByStep = personaList.getByRole('listitem').filter({ hasText: 'Step by step' });
    await stepByStep.getByText('Digital confidence: 2 out of 5').waitFor();
    await stepByStep.getByText('Preferred device: Computer').waitFor();
    await stepByStep.getByText('10 min a day').waitFor();
    expect(await fitsWidth(page)).toBe(true);
    expect(await axeViolations(page)).toEqual([]);

    // Edit one: more minutes a day, used on a phone.
    await page.getByRole('button', { name: 'Edit Step by step' }).click();
    const editor = page.getByRole('dialog', { name: 'Edit Step by step' });
    await editor.getByLabel('Minutes a day').fill('15');
    await editor.getByLabel('Preferred device').selectOption({ label: 'Phone' });
    await editor.getByRole('button', { name: 'Save' }).click();
    await editor.waitFor({ state: 'hidden' });
    await stepByStep.getByText('15 min a day').waitFor();
    await stepByStep.getByText('Preferred device: Phone').waitFor();

    // A persona that the rules use cannot be deleted, and the card says why.
    await page.getByRole('button', { name: 'Delete Power user' }).click();
    await page
      .getByRole('dialog', { name: 'Delete the persona “Power user”?' })
      .getByRole('button', { name: 'Delete' })
      .click();
    const powerUser = personaList.getByRole('listitem').filter({ hasText: 'Power user' });
    await powerUser.getByRole('alert').filter({ hasText: 'was not deleted' }).waitFor();

    // ---- Rules: add "confidence 3–4 on a phone → Step by step" and move it to second place ----
    await page.getByRole('button', { name: 'Add a rule' }).click();
    const added = page.getByRole('group', { name: 'Rule 4', exact: true });
    await added.getByLabel('If confidence is from').selectOption('3');
    await added.getByLabel('up to').selectOption('4');
    await added.getByRole('checkbox', { name: 'Phone' }).check();
    await added.getByLabel('then the persona is').selectOption({ label: 'Step by step' });
    await page.getByRole('button', { name: 'Move up rule 4' }).click();
    await page.getByRole('button', { name: 'Move up rule 3' }).click();
    const second = page.getByRole('group', { name: 'Rule 2', exact: true });
    expect(await second.getByLabel('If confidence is from').inputValue()).toBe('3');
    expect(await second.getByRole('checkbox', { name: 'Phone' }).isChecked()).toBe(true);
    await page.getByText('Unsaved changes', { exact: true }).waitFor();

    // Try the questionnaire against the rules being edited, before saving them.
    const tryBox = page.getByRole('region', { name: 'Try the questionnaire' });
    await tryBox.getByLabel('How comfortable are you with software?').selectOption('3');
    await tryBox.getByLabel('Which device do you usually work on?').selectOption('phone');
    await tryBox.getByRole('button', { name: 'See the persona' }).click();
    await tryBox.getByRole('status').getByText('Persona picked: Step by step (rule 2).').waitFor();
    await tryBox.getByLabel('Which device do you usually work on?').selectOption('desktop');
    await tryBox.getByRole('button', { name: 'See the persona' }).click();
    await tryBox.getByRole('status').getByText('Persona picked: Autonomous (rule 3).').waitFor();

    await page.getByRole('button', { name: 'Save the rules' }).click();
    await page.getByText('Questionnaire rules saved.').waitFor();
    await page.getByText('Unsaved changes', { exact: true }).waitFor({ state: 'hidden' });
    // Saved for real: a reload shows the new rule in second place.
    await page.reload();
    const reloaded = page.getByRole('group', { name: 'Rule 2', exact: true });
    expect(await reloaded.getByRole('checkbox', { name: 'Phone' }).isChecked()).toBe(true);
    expect(
      await reloaded.getByLabel('then the persona is').locator('option:checked').textContent(),
    ).toBe('Step by step');
    expect(await fitsWidth(page)).toBe(true);

    // ---- Tools: "CRM" with "Month-end close" on the last working day of the month ----
    await nav.getByRole('link', { name: 'Tools', exact: true }).click();
    await page.waitForURL('**/tools');
    await page.getByRole('heading', { level: 1, name: 'Tools' }).waitFor();
    await page.getByText('No tools yet').waitFor();
    await page.getByLabel('Tool name').fill('CRM');
    await page.getByRole('button', { name: 'Add tool' }).click();
    await page.getByText('Processes: 0').waitFor();
    await page.getByRole('link', { name: 'CRM', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'CRM' }).waitFor();
    await page.getByText('No processes yet').waitFor();

    const newProcess = page.getByRole('region', { name: 'Add a process' });
    await newProcess.getByLabel('Process name').fill('Month-end close');
    await newProcess.getByRole('radio', { name: 'Recurring date' }).check();
    await newProcess
      .getByLabel('Which date?')
      .selectOption({ label: 'Last working day of the month' });
    // The recall aimed for on the day of use: said in percent, refused out of range.
    const target = newProcess.getByLabel('Recall on the day it is used (%)');
    await target.fill('50');
    await newProcess.getByRole('button', { name: 'Add process' }).click();
    await newProcess.getByText('Choose a number from 70 to 97.').waitFor();
    await target.fill('95');
    await newProcess.getByRole('button', { name: 'Add process' }).click();

    // Today on the browser's calendar (same machine, same time zone).
    const now = new Date();
    const today = [now.getFullYear(), now.getMonth() + 1, now.getDate()]
      .map((n) => String(n).padStart(2, '0'))
      .join('-');
    // A new organisation's calendar: France's public holidays, Monday to Friday.
    const france = makeCalendar({ holidays: holidayLookup({ country: 'FR' }) });
    const monthEnd = { kind: 'rule', rule: 'last-working-day-of-month' } as const;
    const expected = nextUseDates(france, monthEnd, today, 3);
    // English dates are written the British way (i18n.dateLocale): 31 Dec 2026.
    const words = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' });
    const line = `Next: ${expected.map((d) => words.format(new Date(`${d}T00:00:00Z`))).join(', ')}, …`;
    const processCard = page.getByRole('listitem').filter({
      has: page.getByRole('heading', { level: 3, name: 'Month-end close' }),
    });
    await processCard.getByText('Next use: Last working day of the month').waitFor();
    await processCard.getByText(line, { exact: true }).waitFor();
    await processCard.getByText('Recall on the day it is used: 95%').waitFor();
    expect(await fitsWidth(page)).toBe(true);
    expect(await axeViolations(page)).toEqual([]);

    // The list counts it.
    await page.getByRole('link', { name: 'All tools' }).click();
    await page.getByText('Processes: 1').waitFor();

    // ---- A closure on the organisation's calendar, added then removed ----
    const orgPath = /^\/o\/[0-9a-f-]{36}/.exec(new URL(page.url()).pathname)![0];
    await page.goto(`${app.base}${orgPath}/settings/calendar`);
    const closures = page.getByRole('region', { name: 'Closures' });
    await closures.getByText('No closure to come.').waitFor();
    await closures.getByLabel('First day').fill(addDays(today, 7));
    await closures.getByLabel('Last day (leave empty for one day)').fill(addDays(today, 9));
    await closures.getByLabel('Label', { exact: true }).fill('Summer shutdown');
    await closures.getByRole('button', { name: 'Add closure' }).click();
    await page.getByText('Closure “Summer shutdown” added.').waitFor();
    await closures.getByText('Summer shutdown', { exact: true }).waitFor();
    expect(await fitsWidth(page)).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await closures.getByRole('button', { name: 'Remove closure Summer shutdown' }).click();
    const removal = page.getByRole('dialog', { name: 'Remove this closure?' });
    await removal.getByText('“Summer shutdown” becomes working days again.').waitFor();
    await removal.getByRole('button', { name: 'Remove' }).click();
    await closures.getByText('No closure to come.').waitFor();
    await page.getByText('Closure removed.').waitFor();

    expect(errors).toEqual([]);
  });
});
