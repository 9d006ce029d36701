import type { Database } from '../db/client';
import type { JobRunner } from '../jobs/runner';
import { EXPIRED_LINKS_EVERY_MS, EXPIRED_LINKS_JOB, removeExpiredLinks } from './expired-links';
import { MAIL_JOB, type OutboxService } from './outbox';

/** The outbox's jobs: each message's delivery, and the removal of links once they expired. */
export function registerMailJobs(
  runner: JobRunner,
  { db, outbox }: { db: Database; outbox: OutboxService },
) {
  runner.define(MAIL_JOB, (job) => outbox.deliver(job), {
    onGiveUp: (job, reason, tx) => outbox.giveUp(job, reason, tx),
  });
  runner.recurring(EXPIRED_LINKS_JOB, { everyMs: EXPIRED_LINKS_EVERY_MS }, async (_job, now) => {
    await removeExpiredLinks(db, now);
  });
}
