import type { Executor } from '../db/client';

/** A job to run once, unique by `key`: a second enqueue of the same key is a no-op. */
export interface JobRequest {
  /** The handler's name (`define`d on the runner). */
  name: string;
  /** Idempotency key, e.g. `reminder:<orgId>:<userId>:2026-12-07`. */
  key: string;
  /** Not before this instant; now when absent. */
  runAt?: Date;
  orgId?: string | null;
  payload?: Record<string, unknown>;
  maxAttempts?: number;
}

export interface JobQueue {
  /**
   * Adds the job unless a job with its key exists (whatever its state); inside `tx` when given,
   * so the job exists only if the transaction commits. Answers whether it was added.
   */
  enqueue(job: JobRequest, tx?: Executor): Promise<boolean>;
}

export interface RunningJob {
  id: string;
  name: string;
  key: string;
  orgId: string | null;
  payload: Record<string, unknown>;
  /** 1 on the first try. */
  attempt: number;
}

/** Runs one job; a throw schedules a retry with back-off until `maxAttempts`. */
export type JobHandler = (job: RunningJob, now: Date) => Promise<void>;
