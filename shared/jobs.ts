/** The job runner's state as admins read it: what ran in the background, and what failed. */
import { z } from 'zod';
import { isoDate } from './common';

export const jobScopes = ['organisation', 'install'] as const;

export const jobLastFailureSchema = z.object({
  at: isoDate,
  reason: z.string(),
  /** When it will be tried again; null once it has failed for good. */
  retryAt: isoDate.nullable(),
});

/** One job name: its recent runs. */
export const jobSummarySchema = z.object({
  /** The handler's name (`housekeeping`, `dashboard-pairs`, `mail`, `push`, …). */
  name: z.string(),
  /**
   * `organisation`: this organisation's jobs (its mail, its reminders); `install`: the
   * recurring upkeep every organisation of this install shares.
   */
  scope: z.enum(jobScopes),
  /** Its period when it is recurring. */
  everyMs: z.number().int().positive().nullable(),
  /** When its last try started. */
  lastRunAt: isoDate.nullable(),
  lastSuccessAt: isoDate.nullable(),
  lastFailure: jobLastFailureSchema.nullable(),
  /** Jobs that failed for good (kept 90 days). */
  failed: z.number().int().nonnegative(),
  /** Waiting to run (due or later), and running now. */
  queued: z.number().int().nonnegative(),
  running: z.number().int().nonnegative(),
  /** The earliest queued job's time. */
  nextRunAt: isoDate.nullable(),
});
export type JobSummary = z.infer<typeof jobSummarySchema>;

/** `GET /api/orgs/:orgId/jobs`, by name. */
export const jobSummaryListSchema = z.object({
  items: z.array(jobSummarySchema),
  /** The server's time when it answered (the runner's clock). */
  checkedAt: isoDate,
});
export type JobSummaryList = z.infer<typeof jobSummaryListSchema>;
