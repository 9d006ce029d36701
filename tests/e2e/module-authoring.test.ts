import fs from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import type { Lesson } from '../../shared/modules';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAs, type App, axeViolations, fitsWidth, startApp } from './helpers';

let app: App;

beforeAll(async () => {
  app = await startApp();
});

afterAll(async () => {
  await app?.close();
});

const email = 'tess@example.com';
const password = 'a long enough passphrase';
const moduleTitle = 'Log a call in the new CRM';

/** The lesson titles on the module page, in order. */
async function lessonOrder(page: Page) {
  const titles = await page
    .getByRole('region', { name: 'Lessons' })
    .getByRole('heading', { level: 3 })
    .allTextContents();
  return titles.map((t) => t.replace(/\s+/g, ' ').trim());
}

/** Block number `n` (from 1) of the lesson editor. */
function block(page: Page, n: number): Locator {
  return page.getByRole('listitem').filter({
    has: page.getByRole('heading', { level: 3, name: new RegExp(`block ${n} of \\d+$`) }),
  });
}

/** Adds a block from the palette: its first field gets focus, ready to type in. */
async function addBlock(page: Page, kind: string, n: number) {
  await page.getByRole('button', { name: new RegExp(`^\\+ ${kind}`) }).click();
  return block(page, n);
}

/** Limits a block to one persona, in its folded persona choices. */
async function limitTo(target: Locator, persona: string) {
  await target.getByText(/^Block only for some personas · Shown to everyone\.$/).click();
  const choices = target.getByRole('group', { name: 'Block only for some personas' });
  await choices.getByRole('checkbox', { name: persona }).check();
  await choices.getByText(`Only shown to: ${persona}.`).waitFor();
}

/** Starts a new card of this kind: the form that opens. */
async function newCard(page: Page, kind: string) {
  await page.getByLabel('Kind of new card').selectOption({ label: kind });
  await page.getByRole('button', { name: 'Add a card' }).click();
  return page.getByRole('form', { name: 'New card' });
}

/** What the lesson preview shows as this persona: the blocks for everyone, and its variants. */
async function previewAs(page: Page, persona: string) {
  const preview = page.getByRole('complementary', { name: 'Preview' });
  await preview.getByLabel('View as').selectOption({ label: persona });
  const screen = preview.getByRole('article');
  return {
    bold: await screen.locator('strong', { hasText: 'customer record' }).count(),
    tip: await screen.getByRole('note', { name: 'Tip' }).getByText('Ctrl+K').count(),
    shortcut: await screen.getByText('Alt+L logs the call').count(),
    steps: await screen.getByText('Click Customers in the menu.').count(),
  };
}
const powerUserView = { bold: 1, tip: 1, shortcut: 1, steps: 0 };
const stepByStepView = { bold: 1, tip: 1, shortcut: 0, steps: 1 };

describe('module authoring: build, preview as personas, publish, export, import elsewhere', () => {
  it('a trainer builds and publishes a two-lesson module that another organisation imports', async () => {
    // ---- Set-up through the API: the admin is the trainer; a tool, a process, a job role ----
    const setup = await fetch(`${app.base}/api/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        organisation: { name: 'Dupont Sales' },
        admin: { name: 'Tess Trainer', email, password, locale: 'en' },
      }),
    });
    expect(setup.status).toBe(201);
    const { orgId } = (await setup.json()) as { orgId: string };
    const api = apiAs(app.base, setup.headers.getSetCookie()[0]!.split(';')[0]!);
    const tool = await api<{ id: string }>('POST', `/orgs/${orgId}/tools`, { name: 'CRM' });
    await api('POST', `/orgs/${orgId}/tools/${tool.id}/processes`, { name: 'Log a call' });
    await api('POST', `/orgs/${orgId}/job-roles`, { name: 'Sales rep' });

    const { page, errors } = await app.person('en-GB', 1280);
    await page.goto(`${app.base}/login`);
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/o\/[0-9a-f-]{36}$/);
    // Signed in, any console error counts (before, /api/me rightly answers 401).
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });

    // ---- Modules: empty list → new module ----
    const nav = page.getByRole('navigation', { name: 'Main navigation' });
    await nav.getByRole('link', { name: 'Modules', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Modules' }).waitFor();
    await page.getByText('No modules yet').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    // The empty state offers the header's "New module" button again, where the eye is.
    const newModule = page.getByRole('button', { name: 'New module' });
    expect(await newModule.count()).toBe(2);
    await newModule.last().click();
    const creating = page.getByRole('dialog', { name: 'New module' });
    await creating.getByLabel('Title').fill(moduleTitle);
    expect(await creating.getByLabel('Tool').locator('option:checked').textContent()).toBe('CRM');
    // The tool's processes arrive after it is chosen.
    await creating.getByRole('option', { name: 'Log a call' }).waitFor({ state: 'attached' });
    await creating.getByLabel('Process').selectOption({ label: 'Log a call' });
    await creating.getByRole('checkbox', { name: 'Sales rep' }).check();
    await creating.getByRole('button', { name: 'Create module' }).click();
    await page.waitForURL(/\/modules\/[0-9a-f-]{36}$/);
    const moduleUrl = page.url();
    const moduleId = moduleUrl.split('/').pop()!;
    await page.getByRole('heading', { level: 1, name: moduleTitle }).waitFor();
    await page.getByText('CRM · Log a call').waitFor();

    // ---- Lesson 1: blocks for everyone and one variant per persona ----
    await page.getByLabel('Title of the new lesson').fill('Open the customer record');
    await page.getByRole('button', { name: 'Add lesson' }).click();
    await page.waitForURL(/\/lessons\/[0-9a-f-]{36}$/);
    const lessonId = page.url().split('/').pop()!;
    await page.getByRole('heading', { level: 1, name: 'Open the customer record' }).waitFor();

    await addBlock(page, 'Text', 1);
    await page.keyboard.type('Every call starts from the **customer record**.');
    const tip = await addBlock(page, 'Tip or warning', 2);
    await tip.getByRole('radio', { name: 'Tip' }).check();
    await tip.getByLabel('Text of the box').fill('Press Ctrl+K to find a customer.');
    const shortcut = await addBlock(page, 'Text', 3);
    await shortcut.getByLabel('Text', { exact: true }).fill('Power move: Alt+L logs the call.');
    await limitTo(shortcut, 'Power user');
    const steps = await addBlock(page, 'Steps', 4);
    await steps.getByLabel('Step 1', { exact: true }).fill('Click Customers in the menu.');
    await steps.getByRole('button', { name: '+ Add a step' }).click();
    await steps.getByLabel('Step 2', { exact: true }).fill('Type the name in the search box.');
    await limitTo(steps, 'Step by step');

    // The visible saved state, and the server has the four blocks with their audiences.
    const saveStatus = page
      .getByRole('status')
      .filter({ hasText: /^(Saved at|Saving|Changes waiting|Not saved|All changes saved)/ });
    await expect.poll(() => saveStatus.textContent(), { timeout: 10_000 }).toMatch(/^Saved at/);
    const lesson = () => api<Lesson>('GET', `/orgs/${orgId}/lessons/${lessonId}`);
    expect((await lesson()).blocks.map((b) => [b.kind, b.personaIds.length])).toEqual([
      ['text', 0],
      ['callout', 0],
      ['text', 1],
      ['steps', 1],
    ]);

    // ---- Three kinds of cards; the first one starts with no right option and says so ----
    let card = await newCard(page, 'Single choice');
    const correct = card.getByRole('radio', { name: /^Correct\W+Option \d$/ });
    await correct.first().waitFor();
    expect(await correct.count()).toBe(2);
    expect(await card.getByRole('radio', { checked: true }).count()).toBe(0);
    await card.getByLabel('Question', { exact: true }).fill('Where do you log a call?');
    await card.getByRole('textbox', { name: 'Option 1' }).fill('In a spreadsheet');
    await card.getByRole('button', { name: '+ Add an option' }).click();
    await card.getByRole('textbox', { name: 'Option 3' }).fill('In the customer record');
    await card.getByRole('textbox', { name: 'Option 2' }).fill('In an email');
    await card.getByRole('button', { name: 'Delete: Option 1' }).click();
    await card.getByRole('button', { name: 'Create the card' }).click();
    const options = card.getByRole('group', { name: 'Options' });
    await options.getByRole('alert').getByText('Mark exactly one option as correct.').waitFor();
    expect(await options.getAttribute('data-invalid')).toBe('');
    await page.getByRole('heading', { level: 2, name: 'Recall cards (0)' }).waitFor();
    await card.getByRole('radio', { name: /^Correct\W+Option 2$/ }).check();
    await card.getByRole('button', { name: 'Create the card' }).click();
    await page.getByText('Card 1 · Single choice').waitFor();

    card = await newCard(page, 'True or false');
    await card.getByLabel('Statement (true or false)').fill('A call can be logged later.');
    await card.getByRole('radio', { name: 'True' }).check();
    await card.getByRole('button', { name: 'Create the card' }).click();
    await page.getByText('Card 2 · True or false').waitFor();

    card = await newCard(page, 'Put the steps in order');
    await card.getByLabel('Question', { exact: true }).fill('Log a call, in order');
    for (const [i, text] of ['Open the record', 'Click Log a call', 'Save'].entries()) {
      await card.getByRole('textbox', { name: `Step ${i + 1}`, exact: true }).fill(text);
    }
    await card.getByRole('button', { name: 'Create the card' }).click();
    await page.getByText('Card 3 · Put the steps in order').waitFor();
    await page.getByRole('heading', { level: 2, name: 'Recall cards (3)' }).waitFor();
    expect((await lesson()).cards).toMatchObject([
      {
        kind: 'single',
        options: [{ correct: false }, { text: 'In the customer record', correct: true }],
      },
      { kind: 'truefalse', answer: true },
      {
        kind: 'order',
        steps: [{ text: 'Open the record' }, { text: 'Click Log a call' }, { text: 'Save' }],
      },
    ]);

    // ---- Preview as two personas: each sees its own variant and the blocks for everyone ----
    const preview = page.getByRole('complementary', { name: 'Preview' });
    await preview.getByRole('heading', { name: '3 recall cards' }).waitFor();
    await expect.poll(() => previewAs(page, 'Power user')).toEqual(powerUserView);
    await expect.poll(() => previewAs(page, 'Step by step')).toEqual(stepByStepView);
    expect(await axeViolations(page)).toEqual([]);

    // ---- Lesson 2, then put it first with the keyboard ----
    await page.getByRole('link', { name: `← ${moduleTitle}` }).click();
    await page.waitForURL(moduleUrl);
    await page.getByLabel('Title of the new lesson').fill('Log the call');
    await page.getByRole('button', { name: 'Add lesson' }).click();
    await page.getByRole('heading', { level: 1, name: 'Log the call' }).waitFor();
    await addBlock(page, 'Text', 1);
    await page.keyboard.type('Click **Log a call**, write two lines, save.');
    await expect.poll(() => saveStatus.textContent(), { timeout: 10_000 }).toMatch(/^Saved at/);
    await page.getByRole('link', { name: `← ${moduleTitle}` }).click();
    await page.waitForURL(moduleUrl);
    await expect
      .poll(() => lessonOrder(page))
      .toEqual(['Lesson 1: Open the customer record', 'Lesson 2: Log the call']);
    await page.getByRole('button', { name: 'Move lesson “Log the call” up' }).focus();
    await page.keyboard.press('Enter');
    await page.getByText('Lesson “Log the call” moved to position 1 of 2.').waitFor();
    // Focus stays on the lesson's arrows: "up" is disabled at the top, so "down".
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.textContent?.trim()))
      .toBe('Move lesson “Log the call” down');
    await page.reload();
    await expect
      .poll(() => lessonOrder(page))
      .toEqual(['Lesson 1: Log the call', 'Lesson 2: Open the customer record']);
    expect(await axeViolations(page)).toEqual([]);

    // ---- Publish, with the summary of what learners will get ----
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    const publishing = page.getByRole('dialog', { name: 'Publish version 1' });
    await publishing.getByText('First version: what learners will get').waitFor();
    await publishing
      .getByText('2 lessons added: “Log the call” and “Open the customer record”')
      .waitFor();
    await publishing.getByText('3 cards added').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await publishing.getByRole('button', { name: 'Publish', exact: true }).click();
    await publishing.waitFor({ state: 'hidden' });
    await page.getByText('Published v1').waitFor();
    await page.getByText(/^Version 1 published on /).waitFor();
    const published = await api('GET', `/orgs/${orgId}/modules/${moduleId}`);
    expect(published).toMatchObject({ status: 'published', version: 1 });

    // Readable on a phone.
    await page.setViewportSize({ width: 360, height: 800 });
    expect(await fitsWidth(page)).toBe(true);
    await page.setViewportSize({ width: 1280, height: 900 });

    // ---- Export the file; import it into a second organisation of the same trainer ----
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('log-a-call-in-the-new-crm.rappel-module.json');
    const file = await download.path();
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toMatchObject({
      format: 'rappel.module/1',
      lessons: [{ title: 'Log the call' }, { title: 'Open the customer record' }],
    });

    // The list shows the published module.
    await page.getByRole('link', { name: '← All modules' }).click();
    const listed = page.getByRole('listitem').filter({ hasText: moduleTitle });
    await listed.getByText('Published v1').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    const other = await api<{ orgId: string }>('POST', '/orgs', { name: 'Martin Consulting' });

    await page.goto(`${app.base}/o/${other.orgId}/modules`);
    await page.getByText('Add a tool first').waitFor();
    await page.getByRole('button', { name: 'Import a module file' }).click();
    const importing = page.getByRole('dialog', { name: 'Import a module file' });
    await importing.getByLabel('Module file').setInputFiles(file);
    await importing.getByRole('button', { name: 'Import', exact: true }).click();
    await importing.getByRole('heading', { name: 'Module imported' }).waitFor();
    const added = importing.getByRole('list').first();
    expect(await added.getByRole('listitem').allTextContents()).toEqual([
      'the tool “CRM”',
      'the process “Log a call”',
    ]);
    await importing.getByText('job roles: Sales rep').waitFor();
    await importing.getByRole('link', { name: 'Open the imported module' }).click();
    await page.waitForURL(new RegExp(`/o/${other.orgId}/modules/[0-9a-f-]{36}$`));
    await page.getByRole('heading', { level: 1, name: moduleTitle }).waitFor();
    await page.getByText('Never published: learners do not see it yet.').waitFor();
    await expect
      .poll(() => lessonOrder(page))
      .toEqual(['Lesson 1: Log the call', 'Lesson 2: Open the customer record']);
    await page.getByRole('link', { name: 'Lesson 2: Open the customer record' }).click();
    await page.getByRole('heading', { level: 2, name: 'Recall cards (3)' }).waitFor();
    await expect.poll(() => previewAs(page, 'Power user')).toEqual(powerUserView);

    expect(errors).toEqual([]);
  });
});
