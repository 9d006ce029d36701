/**
 * What every browser test needs: the real server (built web app, fresh PGlite in a temp
 * DATA_DIR, a random port) and Debian's Chromium driven by playwright-core. `startAppWithClock`
 * builds the same app inside the test process instead, on a test clock the test moves.
 */
import { type ChildProcess, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { type Browser, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { buildApp } from '../../server/app';
import type { Database } from '../../server/db/client';
import type { JobRunner } from '../../server/jobs/runner';
import { loadConfig } from '../../server/config';
import { createScheduler } from '../../server/srs/fsrs';
import { TestClock } from '../helpers/clock';
import { createTestDb } from '../helpers/db';
import { freePort, spawnServer } from '../helpers/server-spawn';

const root = path.resolve(import.meta.dirname, '../..');

export interface App {
  /** `http://127.0.0.1:<port>`. */
  base: string;
  browser: Browser;
  /** A fresh browser profile, as a different person on a different device. */
  person(locale: string, width?: number): Promise<{ page: Page; errors: string[] }>;
  /** Stops the browser and the server, and removes the data folder. */
  close(): Promise<void>;
}

/** The app on a test clock: the server's "now" moves only when the test moves it. */
export interface ClockedApp extends App {
  clock: TestClock;
  /** The server's job runner, which does not poll: the test runs it (`tick`, `runDue`). */
  jobs: JobRunner;
  /** The server's database, for what a test sets up below the API (months of answers). */
  db: Database;
}

async function waitHealthy(
  server: ChildProcess,
  base: string,
  output: () => string,
  deadline = Date.now() + 120_000,
) {
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`server exited:\n${output()}`);
    try {
      if ((await fetch(`${base}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server never became healthy:\n${output()}`);
}

/** The same build step as `npm start`: builds the web app only when it is missing or stale. */
function ensureWebBuild() {
  const build = spawnSync(process.execPath, ['scripts/ensure-web-build.mjs'], {
    cwd: root,
    stdio: 'inherit',
  });
  expect(build.status).toBe(0);
}

/** Builds the web app if needed, starts the server on an empty database, launches Chromium. */
export async function startApp(): Promise<App> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rappel-e2e-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;

  ensureWebBuild();
  const { child: server, output } = spawnServer(
    [process.execPath, path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'server/main.ts'],
    { PORT: String(port), DATA_DIR: dataDir },
  );

  const stop = async () => {
    if (server.exitCode === null) {
      const exited = new Promise((r) => server.once('exit', r));
      server.kill('SIGTERM');
      await exited;
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitHealthy(server, base, output);
  } catch (e) {
    await stop();
    throw e;
  }
  return withBrowser(base, stop);
}

/**
 * Builds the web app if needed and the whole application in this process (`buildApp`, as
 * `server/main.ts` does) on a migrated in-memory PGlite (or TEST_DATABASE_URL's PostgreSQL),
 * with a test clock and FSRS fuzz off, listening on a free port (on `env.PORT` when given);
 * launches Chromium. `env` adds to the environment the configuration is read from (SMTP_URL…).
 */
export async function startAppWithClock(
  clock = new TestClock('2026-03-02T09:00:00Z'),
  env: Record<string, string> = {},
): Promise<ClockedApp> {
  ensureWebBuild();
  const config = loadConfig({ LOG_LEVEL: 'warn', ...env }, root);
  const handle = await createTestDb();
  let server: Awaited<ReturnType<typeof buildApp>> | undefined;
  const stop = async () => {
    await server?.close();
    await handle.close();
  };
  let base: string;
  try {
    server = await buildApp({
      config,
      db: handle.db,
      bus: handle.bus,
      clock,
      scheduler: createScheduler({ fuzz: false }),
    });
    base = await server.listen({ port: env.PORT ? config.port : 0, host: '127.0.0.1' });
  } catch (e) {
    await stop();
    throw e;
  }
  return { ...(await withBrowser(base, stop)), clock, jobs: server.jobs, db: handle.db };
}

/** Launches Chromium for a server listening at `base`; `close` also calls `stopServer`. */
async function withBrowser(base: string, stopServer: () => Promise<void>): Promise<App> {
  let browser: Browser;
  try {
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
  } catch (e) {
    await stopServer();
    throw e;
  }
  const launched = browser;

  return {
    base,
    browser: launched,
    async person(locale: string, width = 1200) {
      const context = await launched.newContext({ locale, viewport: { width, height: 900 } });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      // Anything the Content-Security-Policy blocks is a bug of the app, not noise.
      page.on('console', (m) => {
        if (m.type() === 'error' && m.text().includes('Content Security Policy'))
          errors.push(m.text());
      });
      return { page, errors };
    },
    async close() {
      try {
        await launched.close();
      } finally {
        await stopServer();
      }
    },
  };
}

/** The page fits the screen: nothing wider than the viewport (a phone's, say). */
export async function fitsWidth(page: Page) {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

/** Serious or critical accessibility violations found by axe-core on the current page. */
export async function axeViolations(page: Page) {
  // Contrast is judged on the settled screen, not halfway through a fade-in.
  // (Endless ones, like the "saving" pulse, are left running.)
  // An animation may start while others end (a toast after a save): wait until two frames pass
  // with none running.
  await page.evaluate(async () => {
    const frame = () => new Promise((r) => requestAnimationFrame(() => r(undefined)));
    for (;;) {
      const running = document
        .getAnimations()
        .filter((a) => a.playState === 'running' && a.effect?.getTiming().iterations !== Infinity);
      if (running.length === 0) {
        await frame();
        await frame();
        const more = document
          .getAnimations()
          .some((a) => a.playState === 'running' && a.effect?.getTiming().iterations !== Infinity);
        if (!more) return;
        continue;
      }
      // A cancelled animation (its element removed) rejects `finished`: that also counts as settled.
      await Promise.all(running.map((a) => a.finished.catch(() => undefined)));
    }
  });
  const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
  // Evaluated through the DevTools protocol: the page's CSP rightly refuses an inline script tag.
  await page.evaluate(fs.readFileSync(axePath, 'utf8'));
  const result = await page.evaluate(async () => {
    // @ts-expect-error axe is injected above
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations as { id: string; impact: string; nodes: unknown[] }[];
  });
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
}

/** The API at `base` as whoever holds this session cookie (Node's fetch sends no Origin). */
export function apiAs(base: string, cookie: string) {
  return async <T = Record<string, unknown>>(method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}/api${path}`, {
      method,
      headers: { cookie, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    expect(res.ok, `${method} ${path} → ${res.status} ${res.ok ? '' : await res.text()}`).toBe(
      true,
    );
    return (await res.json()) as T;
  };
}

/** What every learner screen must hold: no serious accessibility problem, fits a phone. */
export async function screenIsFine(page: Page) {
  expect(await axeViolations(page)).toEqual([]);
  expect(await fitsWidth(page)).toBe(true);
}

const sessionCookie = (res: Response) => res.headers.getSetCookie()[0]!.split(';')[0]!;

/**
 * A new organisation through the first-run set-up, its admin speaking English: its id, its API
 * prefix (`/orgs/<id>`) and the API as that admin.
 */
export async function setUpOrganisation(
  base: string,
  organisation: string,
  admin: { name: string; email: string },
) {
  const res = await fetch(`${base}/api/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      organisation: { name: organisation },
      admin: { ...admin, password: 'a long enough passphrase', locale: 'en' },
    }),
  });
  expect(res.status).toBe(201);
  const { orgId } = (await res.json()) as { orgId: string };
  return { orgId, o: `/orgs/${orgId}`, api: apiAs(base, sessionCookie(res)) };
}

/** A learner invited by `inviter` and joining in English: the API as that learner. */
export async function joinAsLearner(
  base: string,
  inviter: ReturnType<typeof apiAs>,
  o: string,
  person: { name: string; email: string; password: string; jobRoleId: string },
) {
  const { link } = await inviter<{ link: string }>('POST', `${o}/invitations`, {
    email: person.email,
    roles: ['learner'],
    jobRoleId: person.jobRoleId,
    locale: 'en',
  });
  const accepted = await fetch(`${base}/api/invitations/${link.split('/invite/')[1]}/accept`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ password: person.password, name: person.name, locale: 'en' }),
  });
  expect(accepted.ok, await accepted.clone().text()).toBe(true);
  return apiAs(base, sessionCookie(accepted));
}
