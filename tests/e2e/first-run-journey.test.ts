import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rappel-e2e-'));
const port = 4100 + Math.floor(Math.random() * 800);
const base = `http://127.0.0.1:${port}`;
let server: ChildProcess;
let browser: Browser;
let serverOutput = '';

async function waitHealthy(deadline = Date.now() + 120_000) {
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`server exited:\n${serverOutput}`);
    try {
      if ((await fetch(`${base}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server never became healthy:\n${serverOutput}`);
}

beforeAll(async () => {
  // The same build step as `npm start`: builds the web app only when it is missing or stale.
  const build = spawnSync(process.execPath, ['scripts/ensure-web-build.mjs'], {
    cwd: root,
    stdio: 'inherit',
  });
  expect(build.status).toBe(0);
  server = spawn(
    process.execPath,
    [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'server/main.ts'],
    {
      cwd: root,
      env: {
        ...process.env,
        PORT: String(port),
        DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
        DATABASE_URL: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  server.stdout!.on('data', (d) => (serverOutput += d));
  server.stderr!.on('data', (d) => (serverOutput += d));
  await waitHealthy();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server.once('exit', r));
    server.kill('SIGTERM');
    await exited;
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** A fresh browser profile, as a different person on a different device. */
async function person(locale: string, width = 1200) {
  const context = await browser.newContext({ locale, viewport: { width, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { page, errors };
}

/** Serious or critical accessibility violations found by axe-core on the current page. */
async function axeViolations(page: Page) {
  const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
  await page.addScriptTag({ path: axePath });
  const result = await page.evaluate(async () => {
    // @ts-expect-error axe is injected above
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations as { id: string; impact: string; nodes: unknown[] }[];
  });
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
}

describe('first run: set-up → invite a learner → the learner joins in French → logs out', () => {
  it('works end to end in a real browser', async () => {
    const learnerEmail = 'bob.durand@example.com';

    // The admin's browser speaks English: the app follows it before login.
    const admin = await person('en-US');
    await admin.page.goto(`${base}/`);
    await admin.page.waitForURL('**/setup');
    await expect.poll(() => admin.page.title()).toContain('Rappel');
    expect(await axeViolations(admin.page)).toEqual([]);
    await admin.page.getByLabel('Organisation name').fill('Atelier Dupont');
    await admin.page.getByLabel('Your name').fill('Claire Martin');
    await admin.page.getByLabel('Email address').fill('claire@example.com');
    await admin.page.getByLabel('Password').fill('a long enough passphrase');
    await admin.page.getByRole('button', { name: 'Create the organisation' }).click();
    await admin.page.waitForURL(/\/o\/[0-9a-f-]{36}$/);

    // Set-up is gone for good.
    expect(await (await fetch(`${base}/api/setup`)).json()).toEqual({ needed: false });

    // Invite a learner, with French as the invitation's language.
    await admin.page
      .getByRole('navigation')
      .getByRole('link', { name: 'People', exact: true })
      .click();
    await admin.page.waitForURL('**/people');
    await admin.page.getByLabel('Email address').fill(learnerEmail);
    await admin.page.getByLabel('Invitation language').selectOption('fr');
    await admin.page.getByRole('button', { name: 'Create invitation link' }).click();
    const linkField = admin.page.getByLabel(`Invitation link for ${learnerEmail}`);
    await linkField.waitFor();
    const link = await linkField.inputValue();
    expect(link).toMatch(new RegExp(`^${base}/invite/[A-Za-z0-9_-]{43}$`));
    await expect
      .poll(() => admin.page.getByText(learnerEmail, { exact: true }).count())
      .toBeGreaterThan(0);

    // The learner opens the link on a phone whose browser speaks English; the invitation is in French.
    const learner = await person('en-GB', 360);
    await learner.page.goto(link);
    await learner.page
      .getByRole('heading', { level: 1, name: 'Rejoindre Atelier Dupont' })
      .waitFor();
    expect(await learner.page.evaluate(() => document.documentElement.lang)).toBe('fr');
    await learner.page.getByLabel('Votre nom').fill('Bob Durand');
    await learner.page.getByLabel('Choisissez un mot de passe').fill('le mot de passe de Bob');
    await learner.page.getByRole('button', { name: 'Rejoindre Atelier Dupont' }).click();
    await learner.page.waitForURL(/\/o\/[0-9a-f-]{36}$/);

    // The learner sees the app in French, with only what a learner may use.
    await learner.page.getByRole('heading', { level: 1, name: "Aujourd'hui" }).waitFor();
    await learner.page.getByText("Rien à apprendre pour l'instant").waitFor();
    const nav = learner.page.getByRole('navigation', { name: 'Navigation principale' });
    expect(await nav.getByRole('link').allTextContents()).not.toContain('Personnes');
    expect(await axeViolations(learner.page)).toEqual([]);

    // The admin sees the new member in the list.
    await admin.page.reload();
    await admin.page.getByText('Bob Durand').first().waitFor();

    // The learner logs out: back on the sign-in page, and the session is dead on the server.
    await learner.page.getByRole('button', { name: 'Se déconnecter' }).click();
    await learner.page.waitForURL('**/login');
    await learner.page.getByRole('heading', { level: 1, name: 'Connexion' }).waitFor();
    const status = await learner.page.evaluate(async () => (await fetch('/api/me')).status);
    expect(status).toBe(401);

    expect(admin.errors).toEqual([]);
    expect(learner.errors).toEqual([]);
  });
});
