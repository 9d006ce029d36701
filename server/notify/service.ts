import { and, eq, isNull, sql } from 'drizzle-orm';
import { preferenceKindOf, resolveChannels } from '../../shared/notify';
import type { Database, Executor } from '../db/client';
import {
  memberships,
  notifications,
  notificationSettings,
  pushSubscriptions,
  users,
} from '../db/schema';
import type { JobQueue } from '../jobs/types';
import type { Clock } from '../lib/clock';
import type { Outbox } from '../mail/types';
import type { Notifier, NotifyRequest } from './types';

/**
 * Delivers each notification on the channels its recipient chose for its kind: an in-app row,
 * an outbox mail, a push job. Every channel is idempotent by the request's key, so a producer
 * that runs twice (two instances, a retried job) tells the person once.
 */
export function createNotifier({
  db,
  clock,
  outbox,
  jobs,
}: {
  db: Database;
  clock: Clock;
  outbox: Outbox;
  jobs: JobQueue;
}): Notifier {
  async function deliver(request: NotifyRequest, tx: Executor): Promise<void> {
    const { orgId, userId, kind, key, params, link } = request;
    const [person] = await tx
      .select({
        email: users.email,
        locale: users.locale,
        channels: notificationSettings.channels,
        hasPush: sql<boolean>`exists (select 1 from ${pushSubscriptions} where ${pushSubscriptions.userId} = ${users.id})`,
      })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .leftJoin(notificationSettings, eq(notificationSettings.userId, users.id))
      .where(
        and(
          eq(memberships.orgId, orgId),
          eq(memberships.userId, userId),
          isNull(memberships.deactivatedAt),
        ),
      );
    // Someone who left the organisation (or never was in it) is not told anything about it.
    if (!person) return;
    const chosen = new Set(resolveChannels(person.channels)[preferenceKindOf[kind]]);
    // A reminder sent by hand is a note from a person: it stays in the app whatever the channels.
    if (kind === 'manual-reminder') chosen.add('in-app');

    if (chosen.has('in-app')) {
      await tx
        .insert(notifications)
        .values({ orgId, userId, kind, key, params, link, createdAt: clock.now() })
        .onConflictDoNothing({ target: notifications.key });
    }
    if (chosen.has('mail')) {
      await outbox.queue(
        { orgId, userId, to: person.email, locale: person.locale, kind, key, params },
        tx,
      );
    }
    // Without a subscribed device there is nowhere to push to: no job to run for nothing.
    if (chosen.has('push') && person.hasPush) {
      await jobs.enqueue(
        {
          name: 'push',
          key: `push:${key}`,
          orgId,
          payload: { userId, orgId, kind, params, link },
        },
        tx,
      );
    }
  }

  return {
    async notify(request, tx) {
      if (tx) return deliver(request, tx);
      await db.transaction((t) => deliver(request, t));
    },
  };
}
