import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import postgres from 'postgres';

/** Decides whether this instance runs a job now. */
export interface JobLocks {
  /**
   * Runs `job` unless another instance is running the job named `name` at this moment; answers
   * whether it ran.
   */
  exclusive(name: string, job: () => Promise<unknown>): Promise<boolean>;
}

/**
 * The embedded database has one process (its directory lock keeps others out), and `every`
 * never starts a run while the last one is going: each run is the only one.
 */
export const inProcessLocks: JobLocks = {
  async exclusive(_name, job) {
    await job();
    return true;
  },
};

/**
 * Advisory locks in a space of their own (the two-key form: apart from the migrations' one-key
 * lock), one key per job name.
 */
const JOB_LOCK_SPACE = 0x6a6f62; // "job"
const jobKey = (name: string) => createHash('sha256').update(name).digest().readInt32BE(0);

/**
 * Instances sharing one PostgreSQL: a run holds a session-level advisory lock for the job's name
 * on a connection of its own, opened for the run, and a run that finds it taken is skipped. Not
 * on the pool: a session lock taken on one pooled connection and released on another would stay
 * held. Ending the connection releases the lock, also when the process dies mid-run.
 */
export function advisoryLocks(url: string): JobLocks {
  return {
    async exclusive(name, job) {
      // No lifetime: a connection recycled during a long run would drop the lock under it.
      const session = postgres(url, {
        max: 1,
        max_lifetime: null,
        connect_timeout: 5,
        onnotice: () => {},
      });
      try {
        const key = jobKey(name);
        const [row] = await session<{ locked: boolean }[]>`
          select pg_try_advisory_lock(${JOB_LOCK_SPACE}, ${key}) as locked`;
        if (!row?.locked) return false;
        await job();
        await session`select pg_advisory_unlock(${JOB_LOCK_SPACE}, ${key})`;
        return true;
      } finally {
        await session.end({ timeout: 5 });
      }
    },
  };
}

/** PostgreSQL (a `DATABASE_URL`) may be shared by several instances; PGlite never is. */
export const jobLocksFor = (databaseUrl: string | undefined): JobLocks =>
  databaseUrl ? advisoryLocks(databaseUrl) : inProcessLocks;

export interface RecurringJob {
  name: string;
  everyMs: number;
  run: () => Promise<unknown>;
  locks: JobLocks;
}

/**
 * Runs the job when the app is ready, then every `everyMs` unless the last run is still going,
 * until the app closes, which waits for a run in progress (the database closes after the app).
 * A run another instance holds is skipped (logged at debug); a failure is logged.
 */
export function every(app: FastifyInstance, { name, everyMs, run, locks }: RecurringJob) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | null = null;
  const tick = () => {
    running ??= locks
      .exclusive(name, run)
      .then((ran) => {
        if (!ran) app.log.debug({ job: name }, `${name} skipped: another instance is running it`);
      })
      .catch((err: unknown) => app.log.warn({ err }, `${name} failed`))
      .finally(() => {
        running = null;
      });
  };
  app.addHook('onReady', async () => {
    tick();
    timer = setInterval(tick, everyMs);
    timer.unref();
  });
  app.addHook('onClose', async () => {
    clearInterval(timer);
    await running;
  });
}
