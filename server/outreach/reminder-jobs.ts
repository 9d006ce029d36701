/**
 * The outreach producers on the job runner: automatic refresher reminders every quarter of an
 * hour, and the grouped "new work" message after assignments.
 */
import type { Database } from '../db/client';
import type { JobRunner } from '../jobs/runner';
import type { Clock } from '../lib/clock';
import type { OutboxService } from '../mail/outbox';
import type { Notifier } from '../notify/types';
import { createNewWorkJob, NEW_WORK_JOB } from './new-work';
import { createReminderMailsJob } from './reminder-mails';
import { createReminderProducer, REMINDERS_EVERY_MS } from './reminders';
import { REMINDER_MAILS_JOB } from './reminders-sql';

export const REMINDERS_JOB = 'reminders';

export function registerReminderJobs(
  runner: JobRunner,
  deps: {
    db: Database;
    clock: Clock;
    notifier: Notifier;
    outbox: Pick<OutboxService, 'deliver'>;
    appUrl: string;
  },
) {
  const reminders = createReminderProducer(deps);
  runner.recurring(REMINDERS_JOB, { everyMs: REMINDERS_EVERY_MS }, async (_job, now) => {
    await reminders.run(now);
  });
  const mails = createReminderMailsJob({ ...deps, jobs: runner });
  runner.define(REMINDER_MAILS_JOB, mails.handler, mails.options);
  runner.define(NEW_WORK_JOB, createNewWorkJob(deps));
  return { reminders };
}
