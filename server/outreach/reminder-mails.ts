/**
 * The job that sends one batch of reminder mails: one job for the thousand messages a batch
 * statement queued (reminders-sql.ts) rather than a job each, which would double what queueing
 * writes. Each message goes through the outbox's own delivery, once; one whose first try fails
 * gets its own `mail` job, which retries it with the outbox's back-off as any other message.
 */
import { z } from 'zod';
import type { Executor } from '../db/client';
import { backoffMs, type JobOptions } from '../jobs/runner';
import type { JobHandler, JobQueue, RunningJob } from '../jobs/types';
import type { Clock } from '../lib/clock';
import { MAIL_JOB, MAIL_MAX_ATTEMPTS, type OutboxService } from '../mail/outbox';

const payloadSchema = z.object({ messageIds: z.array(z.uuid()) });

export function createReminderMailsJob({
  outbox,
  jobs,
  clock,
}: {
  outbox: Pick<OutboxService, 'deliver'>;
  jobs: JobQueue;
  clock: Clock;
}): { handler: JobHandler; options: JobOptions } {
  /** Hands `messageId` to a `mail` job of its own (none added when it has one already). */
  const ownJob = (
    job: RunningJob,
    messageId: string,
    { runAt, tx }: { runAt: Date; tx?: Executor },
  ) =>
    jobs.enqueue(
      {
        name: MAIL_JOB,
        key: `${MAIL_JOB}:${messageId}`,
        orgId: job.orgId,
        payload: { messageId },
        runAt,
        maxAttempts: MAIL_MAX_ATTEMPTS - 1,
      },
      tx,
    );

  const handler: JobHandler = async (job) => {
    const { messageIds } = payloadSchema.parse(job.payload);
    for (const messageId of messageIds) {
      const one = { ...job, key: `${MAIL_JOB}:${messageId}`, payload: { messageId }, attempt: 1 };
      try {
        // A message already sent (this batch ran before and its process died) is skipped.
        await outbox.deliver(one);
      } catch {
        // The outbox recorded the failure; the message's own job takes the next tries.
        await ownJob(job, messageId, { runAt: new Date(clock.now().getTime() + backoffMs(1)) });
      }
    }
  };

  return {
    handler,
    options: {
      // The batch will not run again (its processes died on every try): each message gets a
      // job of its own, so none stays queued for ever; those already sent are skipped by it.
      onGiveUp: async (job, _reason, tx) => {
        const { messageIds } = payloadSchema.parse(job.payload);
        for (const messageId of messageIds)
          await ownJob(job, messageId, { runAt: clock.now(), tx });
      },
    },
  };
}
