import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { type DbHandle, openPglite, openPostgres } from '../../server/db/client';
import { createScheduler } from '../../server/srs/fsrs';
import { auditCards, auditLog } from '../helpers/card-audit';
import { freePort } from '../helpers/server-spawn';
import { kill, type ServerProcess, startServer, stop, untilHealthy } from './server-process';
import { type CrashWorld, seedCrashWorld } from './world';

/**
 * Crash safety: learners answer refreshers while the server is killed (SIGKILL) at random
 * moments and started again, unaided; on PGlite the last crash and restart are in a fresh PID
 * namespace, as in a container. Every answer acknowledged with a 200 must be in the review log
 * exactly once, sending it again must give the same result without a second row, and each
 * card's memory must equal a replay of its log.
 */
const KILLS = 3;
const LEARNERS = 4;
const CARDS = 5;
const pgUrl = process.env.TEST_DATABASE_URL;
const servers: ServerProcess[] = [];
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const server of servers) server.child.kill('SIGKILL');
  for (const cleanup of cleanups) await cleanup();
});

interface Acked {
  token: string;
  body: { id: string; cardId: string; answer: { kind: 'truefalse'; value: boolean } };
  result: unknown;
}

const post = (port: number, orgId: string, token: string, body: Acked['body']) =>
  fetch(`http://127.0.0.1:${port}/api/orgs/${orgId}/reviews`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: `rappel_session=${token}` },
    body: JSON.stringify({ ...body, durationMs: 3000 }),
  });

/** Learners answering one after another, each on its own, until `stop` is called. */
function load(port: number, world: CrashWorld, acked: Map<string, Acked>, unexpected: string[]) {
  let stopped = false;
  const learner = async ({ token }: CrashWorld['learners'][number]) => {
    while (!stopped) {
      const cardId = world.cardIds[Math.floor(Math.random() * world.cardIds.length)]!;
      const body = {
        id: randomUUID(),
        cardId,
        answer: { kind: 'truefalse' as const, value: Math.random() < 0.7 },
      };
      try {
        const res = await post(port, world.orgId, token, body);
        const text = await res.text();
        if (res.status === 200) acked.set(body.id, { token, body, result: JSON.parse(text) });
        else unexpected.push(`${res.status} ${text}`);
      } catch {
        // Killed in flight: not acknowledged, so either outcome is right.
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  };
  const running = Promise.all(world.learners.map(learner));
  return async () => {
    stopped = true;
    await running;
  };
}

/** Each acknowledged answer sent again: the same result (a lost one would be logged anew). */
async function resend(port: number, orgId: string, acked: Map<string, Acked>) {
  let changed = 0;
  for (const { token, body, result } of acked.values()) {
    let res: Response | undefined;
    for (let attempt = 0; !res && attempt < 3; attempt++) {
      res = await post(port, orgId, token, body).catch(() => undefined);
    }
    const again = res?.status === 200 ? ((await res.json()) as unknown) : undefined;
    if (JSON.stringify(again) !== JSON.stringify(result)) changed += 1;
  }
  return changed;
}

/** The database after the last stop: acknowledged answers lost or doubled, memories off their log. */
async function audit(handle: DbHandle, world: CrashWorld, acked: Map<string, Acked>) {
  const { lost, doubled } = await auditLog(handle.db, world.orgId, new Set(acked.keys()));
  // The server's scheduler: its fuzz is seeded by the review, so a replay gives the same dates.
  const scheduler = createScheduler({ fuzz: true });
  const learners = world.learners.map((l) => l.id);
  const cards = await auditCards(handle.db, world.orgId, learners, world.cardIds, scheduler);
  return { lost, doubled, ...cards };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs the load on a server started with `env`, kills it KILLS times at a random moment once
 * answers are flowing, starts it again each time, and stops it cleanly at the end.
 */
async function crashRounds(env: Record<string, string>, world: CrashWorld, namespace: boolean) {
  const port = await freePort();
  const acked = new Map<string, Acked>();
  const unexpected: string[] = [];
  let changed = 0;
  let resent = 0;
  const start = (inNamespace: boolean) => {
    const server = startServer({ ...env, PORT: String(port) }, inNamespace);
    servers.push(server);
    return server;
  };
  let server = start(false);
  for (let round = 0; round < KILLS; round++) {
    await untilHealthy(server, port);
    if (acked.size) {
      changed += await resend(port, world.orgId, acked);
      resent += acked.size;
    }
    const before = acked.size;
    const stop = load(port, world, acked, unexpected);
    const deadline = Date.now() + 30_000;
    while (acked.size < before + 10 && Date.now() < deadline) await sleep(20);
    await sleep(Math.random() * 1000);
    const inNamespace = namespace && round === KILLS - 1;
    await kill(server);
    await stop();
    server = start(inNamespace);
  }
  await untilHealthy(server, port);
  changed += await resend(port, world.orgId, acked);
  resent += acked.size;
  await stop(server);
  return { acked, unexpected, changed, resent };
}

async function check(
  name: string,
  run: Awaited<ReturnType<typeof crashRounds>>,
  handle: DbHandle,
  world: CrashWorld,
) {
  const { lost, doubled, offTheirLog, cards } = await audit(handle, world, run.acked);
  console.log(
    `crash safety on ${name}: ${KILLS} kills, ${run.acked.size} answers acknowledged, ` +
      `${run.resent} re-sent (${run.changed} with another result), lost ${lost}, ` +
      `doubled ${doubled}, ${cards} card states, ${offTheirLog} off their log`,
  );
  expect(run.unexpected).toEqual([]);
  expect(run.acked.size).toBeGreaterThan(0);
  expect({ lost, doubled, changed: run.changed, offTheirLog }).toEqual({
    lost: 0,
    doubled: 0,
    changed: 0,
    offTheirLog: 0,
  });
}

describe('crash safety under load', () => {
  it('on embedded PGlite, the last crash and restart in a fresh PID namespace', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rappel-crash-'));
    cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const seeding = await openPglite(dataDir);
    await seeding.migrate();
    const world = await seedCrashWorld(seeding, { learners: LEARNERS, cards: CARDS });
    await seeding.close();
    // Creating a PID namespace needs root.
    const namespace = process.getuid?.() === 0;
    const run = await crashRounds({ DATA_DIR: dataDir }, world, namespace);
    const handle = await openPglite(dataDir);
    try {
      await check(namespace ? 'PGlite' : 'PGlite (no PID namespace: not root)', run, handle, world);
    } finally {
      await handle.close();
    }
  }, 600_000);

  it.skipIf(!pgUrl)(
    'on PostgreSQL',
    async () => {
      const name = `rappel_test_crash_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
      const admin = postgres(pgUrl!, { max: 1, onnotice: () => {} });
      await admin.unsafe(`create database "${name}"`);
      cleanups.push(async () => {
        await admin.unsafe(`drop database if exists "${name}" with (force)`);
        await admin.end();
      });
      const url = new URL(pgUrl!);
      url.pathname = `/${name}`;
      const handle = openPostgres(url.toString(), { max: 3 });
      try {
        await handle.migrate();
        const world = await seedCrashWorld(handle, { learners: LEARNERS, cards: CARDS });
        const run = await crashRounds({ DATABASE_URL: url.toString() }, world, false);
        await check('PostgreSQL', run, handle, world);
      } finally {
        await handle.close();
      }
    },
    600_000,
  );
});
