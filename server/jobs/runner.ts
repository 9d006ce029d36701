import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { Database, Executor } from '../db/client';
import { jobs } from '../db/schema';
import type { Clock } from '../lib/clock';
import { claimJobs, type JobRow, purgeJobs, requeueRunning, unclaim } from './repository';
import type { JobHandler, JobQueue, JobRequest, RunningJob } from './types';

export interface JobOptions {
  /** Tries before the job is marked failed (the row's own `maxAttempts` wins when enqueued). */
  maxAttempts?: number;
  /**
   * How long a claim holds the job before another runner may take it. The runner renews the
   * claims of the handlers it is running every third of this, so a handler may run longer; the
   * lease only bounds how long a job stays stuck after its process died.
   */
  leaseMs?: number;
  /**
   * Records that the job will not be tried again (its last try threw, or the process running
   * its last try died), in the transaction that marks it failed: the work it stood for (a mail
   * `retrying`) then ends in a state of its own instead of waiting for a try that never comes.
   */
  onGiveUp?: (job: RunningJob, reason: string, tx: Executor) => Promise<void>;
}

export interface JobRunner extends JobQueue {
  /**
   * Registers the handler of the jobs named `name`. A handler must be idempotent: a process
   * killed mid-run leaves its job to be claimed again once the lease expires, so the same job
   * may run twice (write with `on conflict do nothing`, check what is already done first).
   */
  define(name: string, handler: JobHandler, options?: JobOptions): void;
  /**
   * Runs `handler` once per slot of `everyMs` (slot n starts at n × everyMs since the epoch):
   * each tick enqueues the current slot's job, keyed `${name}:${n}`, so several runners
   * sharing one database enqueue and run it once. A slot missed while nothing ran is skipped.
   */
  recurring(name: string, schedule: { everyMs: number }, handler: JobHandler): void;
  /** The recurring jobs and their periods. */
  recurringJobs(): { name: string; everyMs: number }[];
  /** Claims and runs every job due at the clock's now, until none is left; answers how many ran. */
  runDue(): Promise<number>;
  /** Enqueues the recurring jobs' current slots, then `runDue`. */
  tick(): Promise<number>;
  /** Polls (`tick`) every `pollMs` until `stop`. */
  start(): void;
  /** Stops polling and waits for the handlers in progress. */
  stop(): Promise<void>;
  /**
   * Deletes jobs done more than `doneAgeMs` ago (failed: `failedAgeMs`), keeping each name's
   * last success and last failure for the status screen.
   */
  purge(options?: { doneAgeMs?: number; failedAgeMs?: number }): Promise<number>;
}

export interface JobRunnerDeps {
  db: Database;
  clock: Clock;
  log: FastifyBaseLogger;
  /** Between polls once started; 5 s by default. */
  pollMs?: number;
  /**
   * This process is the only one using the database (the embedded one, behind its directory
   * lock): jobs left `running` when `start` is called belong to a process that died, and go
   * back to the queue at once instead of after their lease.
   */
  exclusive?: boolean;
  /** Jobs claimed in one statement (run one after another). */
  batch?: number;
}

const DEFAULT_LEASE_MS = 30_000;
const DEFAULT_POLL_MS = 5_000;
const DEFAULT_MAX_ATTEMPTS = 5;
const RECURRING_MAX_ATTEMPTS = 3;
const BACKOFF_BASE_MS = 30_000;
const BACKOFF_CAP_MS = 60 * 60_000;
const ERROR_MAX_CHARS = 2000;

/** 30 s, 1 min, 2 min … capped at an hour. */
export const backoffMs = (attempt: number) =>
  Math.min(BACKOFF_BASE_MS * 2 ** Math.max(0, attempt - 1), BACKOFF_CAP_MS);

const runningJob = (row: JobRow): RunningJob => ({
  id: row.id,
  name: row.name,
  key: row.key,
  orgId: row.orgId,
  payload: row.payload,
  attempt: row.attempts,
});

interface Definition {
  handler: JobHandler;
  maxAttempts: number;
  leaseMs: number;
  onGiveUp?: JobOptions['onGiveUp'];
}

export function createJobRunner({
  db,
  clock,
  log,
  pollMs = DEFAULT_POLL_MS,
  exclusive = false,
  batch = 10,
}: JobRunnerDeps): JobRunner {
  const definitions = new Map<string, Definition>();
  const schedules = new Map<string, number>();
  /** Who holds a claim: enough to find the process in logs. */
  const me = `${os.hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  let timer: NodeJS.Timeout | undefined;
  let polling: Promise<unknown> | null = null;
  let stopped = false;

  const leaseCase = (): SQL => {
    const cases = [...definitions].map(
      ([name, d]) =>
        sql`when ${name} then ${new Date(clock.now().getTime() + d.leaseMs).toISOString()}`,
    );
    return sql`(case ${jobs.name} ${sql.join(cases, sql` `)} end)::timestamptz`;
  };

  async function claim(): Promise<JobRow[]> {
    if (definitions.size === 0) return [];
    return claimJobs(db, {
      names: [...definitions.keys()],
      now: clock.now(),
      batch,
      me,
      lockedUntil: leaseCase(),
    });
  }

  /** Extends the claims this runner holds while its handlers run. */
  async function renew() {
    if (definitions.size === 0) return;
    try {
      await db
        .update(jobs)
        .set({ lockedUntil: leaseCase() })
        .where(and(eq(jobs.status, 'running'), eq(jobs.lockedBy, me)));
    } catch (err) {
      log.warn({ err }, 'could not renew the claims of running jobs');
    }
  }

  /** Only while this runner still holds the claim: another may have taken an expired one. */
  const mine = (id: string) => and(eq(jobs.id, id), eq(jobs.lockedBy, me));

  async function finish(row: JobRow, error: unknown) {
    const now = clock.now();
    if (error === undefined) {
      await db
        .update(jobs)
        // A success clears the last try's error: the status screen shows failures still current.
        .set({
          status: 'done',
          finishedAt: now,
          lockedBy: null,
          lockedUntil: null,
          lastError: null,
        })
        .where(mine(row.id));
      return;
    }
    const reason = (error instanceof Error ? error.message : String(error)).slice(
      0,
      ERROR_MAX_CHARS,
    );
    const last = row.attempts >= row.maxAttempts;
    const onGiveUp = last ? definitions.get(row.name)?.onGiveUp : undefined;
    await db.transaction(async (tx) => {
      const [failed] = await tx
        .update(jobs)
        .set({
          status: last ? 'failed' : 'queued',
          lastError: reason,
          finishedAt: now,
          runAt: last ? row.runAt : new Date(now.getTime() + backoffMs(row.attempts)),
          lockedBy: null,
          lockedUntil: null,
        })
        .where(mine(row.id))
        .returning({ id: jobs.id });
      // Another runner holds it now (this one's lease ran out): the outcome is theirs to record.
      if (failed && onGiveUp) await onGiveUp(runningJob(row), reason, tx);
    });
    const fields = { job: row.name, key: row.key, attempt: row.attempts, err: error };
    if (last) log.error(fields, `job ${row.name} failed for good`);
    else log.warn(fields, `job ${row.name} failed; it will be retried`);
  }

  async function run(row: JobRow) {
    const definition = definitions.get(row.name)!;
    if (row.attempts > row.maxAttempts) {
      // Claimed again after its lease ran out on its last try: the process running it died
      // each time, and running it once more could kill this one too.
      await finish(row, new Error('the process running it stopped before it finished'));
      return;
    }
    let error: unknown;
    try {
      await definition.handler(runningJob(row), clock.now());
    } catch (err) {
      error = err ?? new Error('the job failed');
    }
    await finish(row, error);
  }

  async function runDue(): Promise<number> {
    let ran = 0;
    const leases = [...definitions.values()].map((d) => d.leaseMs);
    const renewal = setInterval(() => void renew(), Math.min(...leases, DEFAULT_LEASE_MS) / 3);
    renewal.unref();
    try {
      for (;;) {
        // `returning` keeps no order: oldest due first.
        const claimed = (await claim()).sort((a, b) => a.runAt.getTime() - b.runAt.getTime());
        for (const [i, row] of claimed.entries()) {
          if (stopped) {
            // Stopping: the jobs claimed but not begun go back, for this or another runner.
            await unclaim(
              db,
              me,
              claimed.slice(i).map((r) => r.id),
            );
            return ran;
          }
          await run(row);
          ran += 1;
        }
        // Until a claim finds nothing: handlers may have queued jobs due now (a notification's mail).
        if (claimed.length === 0 || stopped) return ran;
      }
    } finally {
      clearInterval(renewal);
    }
  }

  async function enqueue(job: JobRequest, tx?: Executor): Promise<boolean> {
    const added = await (tx ?? db)
      .insert(jobs)
      .values({
        name: job.name,
        key: job.key,
        orgId: job.orgId ?? null,
        payload: job.payload ?? {},
        runAt: job.runAt ?? clock.now(),
        maxAttempts:
          job.maxAttempts ?? definitions.get(job.name)?.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      })
      .onConflictDoNothing({ target: jobs.key })
      .returning({ id: jobs.id });
    return added.length > 0;
  }

  async function enqueueSlots() {
    const now = clock.now().getTime();
    for (const [name, everyMs] of schedules) {
      const slot = Math.floor(now / everyMs);
      await enqueue({ name, key: `${name}:${slot}`, runAt: new Date(slot * everyMs) });
    }
  }

  async function tick(): Promise<number> {
    await enqueueSlots();
    return runDue();
  }

  /** Back to the queue: jobs a dead process was running (exclusive databases only). */
  async function releaseOrphans() {
    const released = await requeueRunning(db);
    if (released > 0) {
      log.info({ jobs: released }, 'jobs left running by a stopped process are queued again');
    }
  }

  function poll() {
    // One poll at a time in this process; a slow one delays the next.
    polling ??= tick()
      .catch((err: unknown) => log.warn({ err }, 'job poll failed; the next one will try again'))
      .finally(() => {
        polling = null;
      });
  }

  const define: JobRunner['define'] = (
    name,
    handler,
    { maxAttempts = DEFAULT_MAX_ATTEMPTS, leaseMs = DEFAULT_LEASE_MS, onGiveUp } = {},
  ) => {
    if (definitions.has(name)) throw new Error(`The job ${name} is defined twice.`);
    definitions.set(name, { handler, maxAttempts, leaseMs, onGiveUp });
  };

  return {
    enqueue,
    define,
    recurring(name, { everyMs }, handler) {
      if (!(everyMs > 0)) throw new Error(`The job ${name} needs a positive period.`);
      define(name, handler, { maxAttempts: RECURRING_MAX_ATTEMPTS });
      schedules.set(name, everyMs);
    },
    recurringJobs: () => [...schedules].map(([name, everyMs]) => ({ name, everyMs })),
    runDue,
    tick,
    start() {
      if (timer || stopped) return;
      const first = exclusive ? releaseOrphans() : Promise.resolve();
      polling = first
        .catch((err: unknown) => log.warn({ err }, 'could not release orphaned jobs'))
        .finally(() => {
          polling = null;
          if (!stopped) poll();
        });
      timer = setInterval(poll, pollMs);
      timer.unref();
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      timer = undefined;
      while (polling) await polling;
    },
    purge: (options) => purgeJobs(db, clock.now(), options),
  };
}
