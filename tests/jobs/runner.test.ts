import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Database, type DbHandle, openPostgres } from '../../server/db/client';
import { jobs } from '../../server/db/schema';
import type { RunningJob } from '../../server/jobs/types';
import { MINUTE, TestClock } from '../helpers/clock';

const SECOND = 1000;
import { createTestDb } from '../helpers/db';
import { gate, testRunner } from '../helpers/jobs';

let handle: DbHandle;
/** Another instance's connections to the same database (on PGlite, which has one: the same). */
let other: Database;
let closeOther = async () => {};
let clock: TestClock;
beforeAll(async () => {
  handle = await createTestDb();
  other = handle.db;
  const server = process.env.TEST_DATABASE_URL;
  if (server) {
    const [row] = rowsOf<{ name: string }>(
      await handle.db.execute(sql`select current_database() as name`),
    );
    const url = new URL(server);
    url.pathname = `/${row!.name}`;
    const second = openPostgres(url.toString(), { max: 5 });
    other = second.db;
    closeOther = () => second.close();
  }
});
afterAll(async () => {
  await closeOther();
  await handle.close();
});

/** postgres.js answers an array, PGlite an object with `rows`. */
const rowsOf = <T>(result: unknown): T[] =>
  Array.isArray(result) ? (result as T[]) : (result as { rows: T[] }).rows;
beforeEach(async () => {
  await handle.db.delete(jobs);
  clock = new TestClock('2026-12-07T08:00:00Z');
});

const row = async (key: string) => {
  const [found] = await handle.db.select().from(jobs).where(eq(jobs.key, key));
  return found!;
};

describe('the job runner', () => {
  it('enqueues a key once, whatever state its job is in', async () => {
    const runner = testRunner(handle.db, clock);
    const seen: string[] = [];
    runner.define('note', async (job) => void seen.push(job.payload.text as string));
    expect(await runner.enqueue({ name: 'note', key: 'note:1', payload: { text: 'first' } })).toBe(
      true,
    );
    expect(await runner.enqueue({ name: 'note', key: 'note:1', payload: { text: 'again' } })).toBe(
      false,
    );
    expect(await runner.runDue()).toBe(1);
    expect(await runner.enqueue({ name: 'note', key: 'note:1', payload: { text: 'late' } })).toBe(
      false,
    );
    expect(await runner.runDue()).toBe(0);
    expect(seen).toEqual(['first']);
    expect(await row('note:1')).toMatchObject({
      status: 'done',
      attempts: 1,
      finishedAt: clock.now(),
      lockedBy: null,
    });
  });

  it('enqueues inside a transaction only if it commits', async () => {
    const runner = testRunner(handle.db, clock);
    await handle.db
      .transaction(async (tx) => {
        expect(await runner.enqueue({ name: 'note', key: 'note:rolled-back' }, tx)).toBe(true);
        throw new Error('roll back');
      })
      .catch(() => {});
    expect(await handle.db.select().from(jobs)).toEqual([]);
  });

  it('runs a job not before its time', async () => {
    const runner = testRunner(handle.db, clock);
    let runs = 0;
    runner.define('later', async () => void (runs += 1));
    await runner.enqueue({
      name: 'later',
      key: 'later:1',
      runAt: new Date(clock.now().getTime() + MINUTE),
    });
    expect(await runner.runDue()).toBe(0);
    clock.advance(MINUTE - 1);
    expect(await runner.runDue()).toBe(0);
    clock.advance(1);
    expect(await runner.runDue()).toBe(1);
    expect(runs).toBe(1);
  });

  it('retries a failing job with back-off, then marks it failed with the reason', async () => {
    const runner = testRunner(handle.db, clock);
    const attempts: number[] = [];
    runner.define(
      'flaky',
      async (job) => {
        attempts.push(job.attempt);
        throw new Error(`smtp refused (try ${job.attempt})`);
      },
      { maxAttempts: 3 },
    );
    await runner.enqueue({ name: 'flaky', key: 'flaky:1' });
    const start = clock.now().getTime();

    expect(await runner.runDue()).toBe(1);
    expect(await row('flaky:1')).toMatchObject({
      status: 'queued',
      attempts: 1,
      lastError: 'smtp refused (try 1)',
      runAt: new Date(start + 30 * SECOND),
    });
    // Not before its back-off.
    clock.advance(30 * SECOND - 1);
    expect(await runner.runDue()).toBe(0);
    clock.advance(1);
    expect(await runner.runDue()).toBe(1);
    expect(await row('flaky:1')).toMatchObject({
      status: 'queued',
      attempts: 2,
      runAt: new Date(start + 90 * SECOND),
    });
    clock.advance(MINUTE);
    expect(await runner.runDue()).toBe(1);
    expect(await row('flaky:1')).toMatchObject({
      status: 'failed',
      attempts: 3,
      lastError: 'smtp refused (try 3)',
      finishedAt: clock.now(),
    });
    clock.advance(60 * MINUTE);
    expect(await runner.runDue()).toBe(0);
    expect(attempts).toEqual([1, 2, 3]);
    expect(runner.lines.filter((l) => l.level === 'warn')).toHaveLength(2);
    expect(runner.lines.filter((l) => l.level === 'error')).toHaveLength(1);
  });

  it('claims again a job whose runner stopped answering once its lease ran out', async () => {
    const killed = testRunner(handle.db, clock);
    const started = gate();
    const never = gate();
    killed.define(
      'slow',
      async () => {
        started.open();
        await never.promise;
      },
      { leaseMs: 5 * MINUTE },
    );
    await killed.enqueue({ name: 'slow', key: 'slow:1' });
    const abandoned = killed.runDue();
    await started.promise;
    expect(await row('slow:1')).toMatchObject({ status: 'running', attempts: 1 });

    const other = testRunner(handle.db, clock);
    const ran: RunningJob[] = [];
    other.define('slow', async (job) => void ran.push(job), { leaseMs: 5 * MINUTE });
    clock.advance(5 * MINUTE);
    // Its lease holds until just after it ends.
    expect(await other.runDue()).toBe(0);
    clock.advance(1);
    expect(await other.runDue()).toBe(1);
    expect(ran.map((j) => j.attempt)).toEqual([2]);
    expect(await row('slow:1')).toMatchObject({ status: 'done', attempts: 2 });

    // The first runner coming back to life does not overwrite the outcome.
    never.open();
    await abandoned;
    expect(await row('slow:1')).toMatchObject({ status: 'done', attempts: 2, lastError: null });
  });

  it('fails a job whose process died on every try instead of running it again', async () => {
    const runner = testRunner(handle.db, clock);
    let runs = 0;
    runner.define('deadly', async () => void (runs += 1), { leaseMs: MINUTE });
    await runner.enqueue({ name: 'deadly', key: 'deadly:1', maxAttempts: 2 });
    await handle.db
      .update(jobs)
      .set({ status: 'running', attempts: 2, lockedBy: 'gone', lockedUntil: clock.now() })
      .where(eq(jobs.key, 'deadly:1'));
    clock.advance(1);
    expect(await runner.runDue()).toBe(1);
    expect(runs).toBe(0);
    expect(await row('deadly:1')).toMatchObject({
      status: 'failed',
      lastError: 'the process running it stopped before it finished',
    });
  });

  it('runs each job once when two runners claim at the same moment', async () => {
    const count = new Map<string, number>();
    const handler = async (job: RunningJob) => {
      // A round trip, so the two runners' claims and runs interleave.
      await handle.db.execute(sql`select 1`);
      count.set(job.key, (count.get(job.key) ?? 0) + 1);
    };
    const runners = [testRunner(handle.db, clock), testRunner(other, clock)];
    for (const r of runners) r.define('mail', handler);
    for (let i = 0; i < 60; i += 1) await runners[0]!.enqueue({ name: 'mail', key: `mail:${i}` });
    const ran = await Promise.all(runners.map((r) => r.runDue()));
    expect(ran[0]! + ran[1]!).toBe(60);
    expect(count.size).toBe(60);
    expect([...count.values()].every((n) => n === 1)).toBe(true);
  });

  it('runs a recurring job once per slot across runners', async () => {
    const slots: string[] = [];
    const runners = [testRunner(handle.db, clock), testRunner(other, clock)];
    for (const r of runners) {
      r.recurring('refresh', { everyMs: 15 * MINUTE }, async (job, now) => {
        slots.push(`${job.key} at ${now.toISOString()}`);
      });
    }
    await Promise.all(runners.map((r) => r.tick()));
    await Promise.all(runners.map((r) => r.tick()));
    clock.advance(14 * MINUTE);
    await Promise.all(runners.map((r) => r.tick()));
    clock.advance(MINUTE);
    await Promise.all(runners.map((r) => r.tick()));
    const slot = Math.floor(new Date('2026-12-07T08:00:00Z').getTime() / (15 * MINUTE));
    expect(slots).toEqual([
      `refresh:${slot} at 2026-12-07T08:00:00.000Z`,
      `refresh:${slot + 1} at 2026-12-07T08:15:00.000Z`,
    ]);
  });

  it('stops after the handlers in progress have finished', async () => {
    const runner = testRunner(handle.db, clock, { pollMs: 60_000 });
    const started = gate();
    const release = gate();
    runner.define('long', async () => {
      started.open();
      await release.promise;
    });
    await runner.enqueue({ name: 'long', key: 'long:1' });
    runner.start();
    await started.promise;
    const stopping = runner.stop();
    release.open();
    await stopping;
    expect(await row('long:1')).toMatchObject({ status: 'done' });
  });

  it('puts back, when stopping, the jobs it claimed but had not begun', async () => {
    const runner = testRunner(handle.db, clock, { pollMs: 60_000 });
    const started = gate();
    const release = gate();
    const ran: string[] = [];
    runner.define('queue', async (job) => {
      ran.push(job.key);
      started.open();
      await release.promise;
    });
    await runner.enqueue({ name: 'queue', key: 'queue:1' });
    await runner.enqueue({
      name: 'queue',
      key: 'queue:2',
      runAt: new Date(clock.now().getTime() + 1),
    });
    clock.advance(1);
    runner.start();
    await started.promise;
    const stopping = runner.stop();
    release.open();
    await stopping;
    expect(ran).toEqual(['queue:1']);
    expect(await row('queue:1')).toMatchObject({ status: 'done', attempts: 1 });
    expect(await row('queue:2')).toMatchObject({ status: 'queued', attempts: 0, lockedBy: null });
  });

  it('queues again, at start, what a dead process left running on an exclusive database', async () => {
    const runner = testRunner(handle.db, clock, { exclusive: true, pollMs: 60_000 });
    const done = gate<string>();
    runner.define('orphan', async (job) => done.open(job.key));
    await runner.enqueue({ name: 'orphan', key: 'orphan:1' });
    await handle.db
      .update(jobs)
      .set({
        status: 'running',
        attempts: 1,
        lockedBy: 'dead',
        lockedUntil: new Date('2027-01-01'),
      })
      .where(eq(jobs.key, 'orphan:1'));
    runner.start();
    expect(await done.promise).toBe('orphan:1');
    await runner.stop();
    expect(await row('orphan:1')).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('logs a failed poll and keeps going', async () => {
    const broken = new Proxy(handle.db, {
      get(target, prop, receiver) {
        if (prop === 'update' || prop === 'insert') {
          return () => {
            throw new Error('connection refused');
          };
        }
        return Reflect.get(target, prop, receiver) as unknown;
      },
    });
    const runner = testRunner(broken, clock, { pollMs: 5 });
    runner.recurring('any', { everyMs: MINUTE }, async () => {});
    runner.start();
    await runner.logged('warn', 2);
    await runner.stop();
    expect(runner.lines.slice(0, 2)).toMatchObject([
      { level: 'warn', msg: 'job poll failed; the next one will try again' },
      { level: 'warn', msg: 'job poll failed; the next one will try again' },
    ]);
  });

  it('purges old finished jobs but keeps the last success and failure of each name', async () => {
    const runner = testRunner(handle.db, clock);
    const day = 24 * 60 * MINUTE;
    const at = (days: number) => new Date(clock.now().getTime() - days * day);
    await handle.db.insert(jobs).values([
      { name: 'a', key: 'a:1', status: 'done', runAt: at(60), finishedAt: at(60) },
      { name: 'a', key: 'a:2', status: 'done', runAt: at(40), finishedAt: at(40) },
      { name: 'a', key: 'a:3', status: 'failed', runAt: at(100), finishedAt: at(100) },
      { name: 'a', key: 'a:4', status: 'failed', runAt: at(95), finishedAt: at(95) },
      { name: 'a', key: 'a:5', status: 'done', runAt: at(10), finishedAt: at(10) },
      { name: 'b', key: 'b:1', status: 'done', runAt: at(50), finishedAt: at(50) },
      { name: 'b', key: 'b:2', status: 'queued', runAt: at(50) },
    ]);
    expect(await runner.purge()).toBe(3);
    const left = await handle.db.select({ key: jobs.key }).from(jobs).orderBy(jobs.key);
    expect(left.map((j) => j.key)).toEqual(['a:4', 'a:5', 'b:1', 'b:2']);
  });
});
