/**
 * The weekly digest: every quarter of an hour a recurring job finds, in each organisation whose
 * digest moment of the week has passed (digest-week.ts), the people owed one and not yet given
 * one, and queues a `digest` job per person keyed by the week; that job computes the person's
 * figures with the dashboards' services (digest-figures.ts) and hands them to the notifier,
 * which sends them on the person's channels (mail by default).
 */
import { isWorkingDay } from '../../shared/calendar';
import { calendarsFor } from '../calendar/service';
import type { Database } from '../db/client';
import type { JobRunner } from '../jobs/runner';
import type { Clock } from '../lib/clock';
import { settingsFor } from '../notify/settings';
import type { Notifier } from '../notify/types';
import { composeDigest, type DigestDashboards } from './digest-figures';
import * as repo from './digest-repository';
import { digestKey, dueDigestWeek } from './digest-week';

/** How often the producer looks for people owed a digest. */
export const DIGESTS_EVERY_MS = 15 * 60_000;

export interface DigestDeps extends DigestDashboards {
  db: Database;
  clock: Clock;
  jobs: Pick<JobRunner, 'enqueue' | 'define' | 'recurring'>;
  notifier: Notifier;
}

/** Payload of a `digest` job. */
interface DigestJob {
  orgId: string;
  userId: string;
  /** Monday of the digest's ISO week, in the organisation's zone. */
  monday: string;
  timeZone: string;
}

function digestJobOf(payload: Record<string, unknown>): DigestJob {
  const { orgId, userId, monday, timeZone } = payload;
  if ([orgId, userId, monday, timeZone].some((v) => typeof v !== 'string')) {
    throw new Error('A digest job needs orgId, userId, monday and timeZone.');
  }
  return payload as unknown as DigestJob;
}

/** Defines the `digest` job and the recurring `digests` producer on the runner. */
export function registerDigests(deps: DigestDeps) {
  const { db, jobs, notifier } = deps;

  /** Queues the digests owed at `now` and not queued yet; answers how many were queued. */
  async function queueDue(now: Date): Promise<number> {
    let queued = 0;
    const calendars = await calendarsFor(db, await repo.listOrgIds(db));
    for (const org of calendars.values()) {
      const due = dueDigestWeek(now, org.timeZone, (date) => isWorkingDay(org, date));
      if (!due) continue;
      const orgId = org.orgId;
      for (const userId of await repo.recipientsWithoutDigest(db, orgId, due.week)) {
        const payload = { orgId, userId, monday: due.monday, timeZone: org.timeZone };
        const added = await jobs.enqueue({
          name: 'digest',
          key: digestKey(orgId, userId, due.week),
          orgId,
          payload,
        });
        if (added) queued += 1;
      }
    }
    return queued;
  }

  jobs.define('digest', async (job) => {
    const { orgId, userId, monday, timeZone } = digestJobOf(job.payload);
    const recipient = await repo.findRecipient(db, orgId, userId);
    // Left the organisation since it was queued: nothing to send.
    if (!recipient) return;
    // Unsubscribed from every channel: the figures would be computed for nobody.
    const settings = (await settingsFor(db, [userId])).get(userId);
    if (!settings?.channels.digest.length) return;
    const digest = await composeDigest(db, deps, recipient, { monday, timeZone });
    if (!digest) return;
    await db.transaction(async (tx) => {
      await repo.saveFigures(tx, job.id, digest.figures);
      await notifier.notify(
        {
          orgId,
          userId,
          kind: 'digest',
          key: job.key,
          params: { ...digest.params, orgName: recipient.orgName },
          link: `/o/${orgId}/dashboards`,
        },
        tx,
      );
    });
  });

  jobs.recurring('digests', { everyMs: DIGESTS_EVERY_MS }, async (_job, now) => {
    await queueDue(now);
  });

  return { queueDue };
}
