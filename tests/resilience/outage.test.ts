import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app';
import { openPostgres } from '../../server/db/client';
import { createHarness, json, type UserFixture } from '../helpers/harness';
import { learningFixtures, rightAnswer } from '../helpers/learning';
import { startTcpProxy } from '../helpers/tcp-proxy';

/*
 * The database goes away under load, through a TCP proxy between the app and PostgreSQL:
 * every request still answers, in bounded time, 503 with Retry-After; the app recovers alone;
 * instances miss no change made meanwhile. Needs PostgreSQL (TEST_DATABASE_URL or the local one).
 */
const server = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
/** The request deadline given to the app, short to keep the file quick. */
const DEADLINE_MS = 3000;
/** What a request may take at most: the deadline, plus a generous margin for a busy machine. */
const BOUND_MS = DEADLINE_MS + 2500;
/** A request that has not answered after this long is counted as hanging. */
const HANG_MS = 30_000;

const proxy = await startTcpProxy({ host: server.hostname, port: Number(server.port || 5432) });
const throughProxy = new URL(server);
throughProxy.host = `${proxy.host}:${proxy.port}`;
const h = await withDatabaseUrl(throughProxy.toString(), () =>
  createHarness({ config: { requestDeadlineMs: DEADLINE_MS } }),
);
const f = learningFixtures(h);
const dbName = (
  (await h.db.execute(sql`select current_database() as name`)) as unknown as { name: string }[]
)[0]!.name;
afterAll(async () => {
  await proxy.restore();
  await h.close();
  await proxy.close();
});

async function withDatabaseUrl<T>(url: string, build: () => Promise<T>) {
  const saved = process.env.TEST_DATABASE_URL;
  process.env.TEST_DATABASE_URL = url;
  try {
    return await build();
  } finally {
    if (saved === undefined) delete process.env.TEST_DATABASE_URL;
    else process.env.TEST_DATABASE_URL = saved;
  }
}

interface Outcome {
  status: number | 'hung';
  ms: number;
  retryAfter?: string;
  at: number;
  body?: string;
}

/** `request`, timed; one that never answers is recorded as hanging instead of stalling the test. */
async function timed(request: () => Promise<LightMyRequestResponse>): Promise<Outcome> {
  const at = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<'hung'>(
    (resolve) => (timer = setTimeout(() => resolve('hung'), HANG_MS)),
  );
  const res = await Promise.race([request(), hung]).finally(() => clearTimeout(timer));
  const ms = Date.now() - at;
  if (res === 'hung') return { status: 'hung', ms, at };
  const retryAfter = res.headers['retry-after'] as string | undefined;
  return { status: res.statusCode, ms, retryAfter, at, body: res.body.slice(0, 200) };
}

/** A learner with a card to answer, and the two requests of the load: a page and an answer. */
async function learnerLoad() {
  const { a } = h.world;
  const learner = await f.learner(a, `Outage learner ${randomUUID().slice(0, 8)}`);
  const module = await f.publishedModule(a);
  await f.assign(a, module.id, [learner.id]);
  const lessonId = module.lessons[0]!.id;
  const [card] = (await f.getLesson(a, lessonId)).cards;
  const answer = (user: UserFixture) =>
    user.inject({
      method: 'POST',
      url: `/api/orgs/${a.id}/reviews`,
      payload: rightAnswer(card, 5000),
    });
  const today = (user: UserFixture) =>
    user.inject({ method: 'GET', url: `/api/orgs/${a.id}/me/today` });
  return { learner, requests: [() => today(learner), () => answer(learner)] };
}

/** Six clients sending the requests in turn for as long as `script` runs: every outcome. */
async function underLoad(
  requests: (() => Promise<LightMyRequestResponse>)[],
  script: () => Promise<void>,
) {
  const outcomes: Outcome[] = [];
  let running = true;
  const worker = async (n: number) => {
    for (let i = n; running; i++) {
      outcomes.push(await timed(requests[i % requests.length]!));
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const workers = Array.from({ length: 6 }, (_, n) => worker(n));
  try {
    await script();
  } finally {
    running = false;
    await Promise.all(workers);
  }
  return outcomes;
}

/** Waits until `request` answers 2xx; returns how long that took. */
async function recovered(request: () => Promise<LightMyRequestResponse>, ms = 20_000) {
  const start = Date.now();
  for (;;) {
    const res = await timed(request);
    if (typeof res.status === 'number' && res.status < 300) return Date.now() - start;
    if (Date.now() - start > ms)
      throw new Error(`not recovered after ${ms} ms (last ${res.status} ${res.body})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Answers under load while `outage` plays and after `restore`: each one 2xx, or 503 with
 * Retry-After, within the bound; 2xx again without a restart.
 */
async function survives(
  label: string,
  outage: () => Promise<void>,
  restore: () => Promise<void>,
  { some503 = true } = {},
) {
  const { requests } = await learnerLoad();
  for (const request of requests) await recovered(request);
  let recoveryMs = 0;
  const outcomes = await underLoad(requests, async () => {
    await sleep(500);
    await outage();
    await restore();
    recoveryMs = await recovered(requests[1]!);
    await sleep(500);
  });
  const summary = (o: Outcome) => `${o.status} in ${o.ms} ms, retry-after ${o.retryAfter}`;
  const wrong = outcomes.filter(
    (o) =>
      o.status === 'hung' ||
      !((o.status >= 200 && o.status < 300) || (o.status === 503 && Number(o.retryAfter) > 0)),
  );
  expect(wrong.map(summary)).toEqual([]);
  expect(outcomes.filter((o) => o.ms > BOUND_MS).map(summary)).toEqual([]);
  const unavailable = outcomes.filter((o) => o.status === 503).length;
  if (some503) expect(unavailable).toBeGreaterThan(0);
  for (const request of requests) expect((await request()).statusCode).toBe(200);
  console.info(
    `outage (${label}): ${outcomes.length} requests, ${unavailable} × 503, slowest ` +
      `${Math.max(...outcomes.map((o) => o.ms))} ms (bound ${BOUND_MS}), ` +
      `recovered ${recoveryMs} ms after the database was back`,
  );
}

describe('PostgreSQL goes away under load', () => {
  it('stopped (connections cut, new ones refused): 503 + Retry-After in bounded time, then recovery', async () => {
    const outage = async () => {
      await proxy.cut();
      await sleep(4000);
    };
    await survives('stopped', outage, () => proxy.restore());
  }, 60_000);

  it('unreachable (a partition: nothing answers): 503 + Retry-After in bounded time, then recovery', async () => {
    const outage = async () => {
      proxy.blackHole();
      await sleep(DEADLINE_MS * 2 + 500);
    };
    await survives('partition', outage, () => proxy.restore());
  }, 60_000);

  it('restarted (every connection terminated by the server, again and again): the same', async () => {
    const admin = postgres(server.toString(), { max: 1, onnotice: () => {} });
    const outage = async () => {
      for (const end = Date.now() + 2000; Date.now() < end; await sleep(100)) {
        // Connections at least half a second old: one killed while postgres.js still fetches
        // types on connect rejects a promise nobody holds (an upstream bug, not ours to test).
        await admin`select pg_terminate_backend(pid) from pg_stat_activity
                    where datname = ${dbName} and pid <> pg_backend_pid()
                      and backend_start < now() - interval '500 milliseconds'`;
      }
    };
    try {
      // Whether a termination catches a request in flight is luck: 503s are allowed, not required.
      await survives('restarted', outage, async () => {}, { some503: false });
    } finally {
      await admin.end();
    }
  }, 60_000);
});

describe('two instances on one PostgreSQL', () => {
  it('a change made on B while A was cut off reaches A once the database is back', async () => {
    // A reaches the database through the proxy, B directly; each has its own pool and bus.
    const direct = new URL(server);
    direct.pathname = `/${dbName}`;
    const handleB = openPostgres(direct.toString(), { max: 2 });
    const apps: FastifyInstance[] = [];
    const instance = async (db: typeof h.db, bus: typeof h.handle.bus) => {
      const app = await buildApp({ config: h.config, db, clock: h.clock, bus });
      await app.ready();
      apps.push(app);
      return app;
    };
    try {
      const one = await instance(h.db, h.handle.bus);
      const two = await instance(handleB.db, handleB.bus);
      const { a } = h.world;
      const person = await h.addUser(a.id, ['learner']);
      const me = () =>
        one.inject({ method: 'GET', url: '/api/me', cookies: { rappel_session: person.token! } });
      expect(json(await me()).memberships[0].roles).toEqual(['learner']); // cached by A

      await proxy.cut();
      const patched = await two.inject({
        method: 'PATCH',
        url: `/api/orgs/${a.id}/members/${person.id}`,
        payload: { roles: ['learner', 'manager'] },
        cookies: { rappel_session: a.users.admin.token! },
      });
      expect(patched.statusCode, patched.body).toBe(200);
      await sleep(500);
      await proxy.restore();

      // The test clock stands still: the cache's time-to-live never runs out here.
      const start = Date.now();
      for (;;) {
        const roles = json(await me()).memberships?.[0]?.roles;
        if (roles?.includes('manager')) break;
        expect(Date.now() - start, 'A still serves the role it cached').toBeLessThan(15_000);
        await sleep(100);
      }
    } finally {
      for (const app of apps) await app.close();
      await handleB.close();
    }
  }, 40_000);
});
