import { randomBytes, randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { type DbHandle, openPostgres } from '../../server/db/client';
import { jobs as jobRows } from '../../server/db/schema';
import { createScheduler } from '../../server/srs/fsrs';
import { auditCards, auditLog } from '../helpers/card-audit';
import { freePort } from '../helpers/server-spawn';
import { type ServerProcess, startServer, untilHealthy } from './server-process';
import { type CrashWorld, seedCrashWorld } from './world';

/*
 * Two instances on one PostgreSQL, started at the same moment on a database that still needs
 * its migrations: both come up; learners' answers spread across both, some sent to both at
 * once; every acknowledged answer is logged exactly once and each card's memory equals a replay
 * of its log; the recurring jobs, which both enqueue and poll for at once, run once per slot.
 */
const LEARNERS = 6;
const CARDS = 5;
const ANSWERS = 300;
/** One answer in this many goes to both servers at the same moment, with the same id. */
const BOTH_EVERY = 5;
const JOBS = ['dashboard-pairs', 'housekeeping'];

const server = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
const servers: ServerProcess[] = [];
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const s of servers) s.child.kill('SIGKILL');
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** A fresh, empty database (no migrations applied), dropped after the file. */
async function freshDatabase(): Promise<string> {
  const name = `rappel_test_two_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(server.toString(), { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  cleanups.push(async () => {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end();
  });
  const url = new URL(server);
  url.pathname = `/${name}`;
  return url.toString();
}

interface Answer {
  token: string;
  body: { id: string; cardId: string; answer: { kind: 'truefalse'; value: boolean } };
}

async function post(port: number, orgId: string, { token, body }: Answer) {
  const res = await fetch(`http://127.0.0.1:${port}/api/orgs/${orgId}/reviews`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: `rappel_session=${token}` },
    body: JSON.stringify({ ...body, durationMs: 3000 }),
  });
  return { status: res.status, text: await res.text() };
}

/**
 * ANSWERS answers, each learner answering one after another (as a person does), each answer to
 * one server or the other, or to both at once. Answers the acknowledged ids and what else came.
 */
async function spread(ports: [number, number], world: CrashWorld) {
  const acked = new Set<string>();
  const unexpected: string[] = [];
  let sentToBoth = 0;
  let next = 0;
  const learner = async ({ token }: CrashWorld['learners'][number]) => {
    while (next < ANSWERS) {
      const n = next++;
      const answer: Answer = {
        token,
        body: {
          id: randomUUID(),
          cardId: world.cardIds[n % world.cardIds.length]!,
          answer: { kind: 'truefalse', value: Math.random() < 0.7 },
        },
      };
      const targets = n % BOTH_EVERY === 0 ? ports : [ports[n % 2]!];
      if (targets.length === 2) sentToBoth += 1;
      const replies = await Promise.all(targets.map((port) => post(port, world.orgId, answer)));
      for (const { status, text } of replies) {
        if (status !== 200) unexpected.push(`${status} ${text}`);
      }
      // The same answer through both servers: the same result from each.
      if (new Set(replies.map((r) => r.text)).size > 1) {
        unexpected.push(`two results for one answer: ${replies.map((r) => r.text).join(' | ')}`);
      }
      if (replies.some((r) => r.status === 200)) acked.add(answer.body.id);
    }
  };
  await Promise.all(world.learners.map(learner));
  return { acked, unexpected, sentToBoth };
}

/** Acknowledged answers missing from the log or logged twice; card states off their log. */
async function audit(handle: DbHandle, world: CrashWorld, acked: Set<string>) {
  const log = await auditLog(handle.db, world.orgId, acked);
  // The server's scheduler: its fuzz is seeded by the review, so a replay gives the same dates.
  const scheduler = createScheduler({ fuzz: true });
  const learners = world.learners.map((l) => l.id);
  const cards = await auditCards(handle.db, world.orgId, learners, world.cardIds, scheduler);
  return { ...log, ...cards };
}

/**
 * The jobs rows once every one has finished: the recurring upkeep of JOBS (a slot may begin
 * during the test: then two rows), beside whatever else the servers queued (new-work notices).
 */
async function untilJobsDone(handle: DbHandle, ms = 60_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const rows = await handle.db
      .select({
        name: jobRows.name,
        key: jobRows.key,
        status: jobRows.status,
        attempts: jobRows.attempts,
        lastError: jobRows.lastError,
      })
      .from(jobRows);
    const names = new Set(rows.map((r) => r.name));
    const finished = rows
      .filter((r) => JOBS.includes(r.name))
      .every((r) => r.status === 'done' || r.status === 'failed');
    if ((JOBS.every((n) => names.has(n)) && finished) || Date.now() > deadline) return rows;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('two instances on one PostgreSQL', () => {
  it('start together on an unmigrated database, share the load, and run each job once', async () => {
    const url = await freshDatabase();
    const ports: [number, number] = [await freePort(), await freePort()];
    for (const port of ports) {
      servers.push(startServer({ DATABASE_URL: url, PORT: String(port), LOG_LEVEL: 'warn' }));
    }
    await Promise.all(servers.map((s, i) => untilHealthy(s, ports[i]!, 60_000)));

    const handle = openPostgres(url, { max: 3 });
    cleanups.push(() => handle.close());
    const world = await seedCrashWorld(handle, { learners: LEARNERS, cards: CARDS });
    const { acked, unexpected, sentToBoth } = await spread(ports, world);
    // Both servers enqueued the recurring jobs' slot at start and have been polling since.
    const jobs = await untilJobsDone(handle);
    for (const s of servers) s.child.kill('SIGTERM');
    await Promise.all(servers.map((s) => s.exited));
    const outputs = servers.map((s) => s.output());
    const result = await audit(handle, world, acked);
    const { lost, doubled, unacknowledged, offTheirLog } = result;
    // Every run is a claim, and a claim counts an attempt.
    const upkeep = jobs.filter((j) => JOBS.includes(j.name));
    const once = upkeep.every((j) => j.attempts === 1) && jobs.every((j) => j.attempts <= 1);
    console.log(
      `two instances: ${acked.size} answers across 2 servers, ${lost} lost, ${doubled} doubled, ` +
        `jobs run ${once ? 'once' : 'more than once'} (${sentToBoth} answers sent to both, ` +
        `${result.cards} card states, ${offTheirLog} off their log)`,
    );
    expect(unexpected).toEqual([]);
    expect(acked.size).toBe(ANSWERS);
    expect({ lost, doubled, unacknowledged, offTheirLog }).toEqual({
      lost: 0,
      doubled: 0,
      unacknowledged: 0,
      offTheirLog: 0,
    });
    expect([...new Set(jobs.map((j) => j.name))]).toEqual(expect.arrayContaining(JOBS));
    expect(upkeep.filter((j) => j.attempts !== 1 || j.status !== 'done')).toEqual([]);
    // The others (notices of new work, due later) ran at most once too.
    expect(jobs.filter((j) => j.attempts > 1)).toEqual([]);
    // Neither server logged a warning or worse: no failed job, no failed migration.
    expect(outputs).toEqual(['', '']);
  }, 120_000);
});
