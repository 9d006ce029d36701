import type { JobSummary, JobSummaryList } from '../../shared/jobs';
import type { Database } from '../db/client';
import type { Clock } from '../lib/clock';
import { jobTotals, lastFailures } from './repository';
import type { JobRunner } from './runner';

export interface JobStatusService {
  /** What ran in the background for `orgId`, and the install's recurring upkeep, by name. */
  summary(orgId: string): Promise<JobSummaryList>;
}

const never = (name: string, everyMs: number): JobSummary => ({
  name,
  scope: 'install',
  everyMs,
  lastRunAt: null,
  lastSuccessAt: null,
  lastFailure: null,
  failed: 0,
  queued: 0,
  running: 0,
  nextRunAt: null,
});

/**
 * Install-wide jobs are shown only when recurring (housekeeping, refreshes): the others without
 * an organisation are about people of any organisation (a password-reset mail), whose failures
 * one organisation's admins have no business reading.
 */
export function createJobStatusService({
  db,
  clock,
  runner,
}: {
  db: Database;
  clock: Clock;
  runner: JobRunner;
}): JobStatusService {
  return {
    async summary(orgId) {
      const recurring = new Map(runner.recurringJobs().map((j) => [j.name, j.everyMs]));
      const installNames = [...recurring.keys()];
      const totals = await jobTotals(db, orgId, installNames);
      const failures = await lastFailures(db, orgId, installNames);
      const key = (name: string, install: boolean) => `${install ? 'i' : 'o'}:${name}`;
      const lastFailure = new Map(failures.map((f) => [key(f.name, f.install), f]));
      const items = totals.map(({ install, ...t }): JobSummary => {
        const failure = lastFailure.get(key(t.name, install));
        return {
          ...t,
          scope: install ? 'install' : 'organisation',
          everyMs: install ? (recurring.get(t.name) ?? null) : null,
          lastFailure: failure
            ? {
                at: failure.at,
                reason: failure.reason!,
                // A job failed for good is not tried again.
                retryAt: failure.status === 'failed' ? null : failure.runAt,
              }
            : null,
        };
      });
      // The install's recurring upkeep is listed before it first runs, to say it has not yet.
      for (const [name, everyMs] of recurring) {
        if (!items.some((i) => i.scope === 'install' && i.name === name)) {
          items.push(never(name, everyMs));
        }
      }
      items.sort((a, b) => a.scope.localeCompare(b.scope) || a.name.localeCompare(b.name));
      return { items, checkedAt: clock.now() };
    },
  };
}
