import type { MyReminder, Reminder } from '../../shared/reminders';
import type { Database } from '../db/client';
import { findSettings } from '../learning/repository';
import type { LearnerService } from '../learner/service';
import type { Clock } from '../lib/clock';
import { ConflictError, NotFoundError } from '../lib/errors';
import { inPeopleScope, peopleScope } from '../lib/scope';
import { startOfDay, zonedToday } from '../lib/zoned-day';
import { markReadByKey } from '../notify/repository';
import type { Notifier } from '../notify/types';
import type { MembershipContext } from '../plugins/auth';
import * as repo from './repository';

export type ReminderService = ReturnType<typeof createReminderService>;

const sender = (row: repo.ReminderRow) =>
  row.sentById && row.sentByName !== null ? { id: row.sentById, name: row.sentByName } : null;

function toReminder(row: repo.ReminderRow): Reminder {
  return {
    id: row.id,
    userId: row.userId,
    sentBy: sender(row),
    createdAt: row.createdAt,
    dismissedAt: row.dismissedAt,
  };
}

/**
 * Reminders: the people who may see a learner in the dashboards (server/lib/scope.ts) nudge
 * them, at most once a day; the learner sees them on their home page with the refreshers
 * waiting, until they dismiss them. `learner` counts those refreshers as the home page does.
 */
export function createReminderService({
  db,
  clock,
  learner,
  notifier,
}: {
  db: Database;
  clock: Clock;
  learner: Pick<LearnerService, 'today'>;
  notifier: Notifier;
}) {
  /** What the learner has waiting now, as their home page counts it; null for a non-member. */
  async function waiting(orgId: string, userId: string) {
    try {
      const today = await learner.today(orgId, userId);
      const seconds = today.refreshers.reduce((sum, c) => sum + c.expectedSeconds, 0);
      return { dueCount: today.dueCount, minutes: Math.ceil(seconds / 60) };
    } catch (e) {
      if (e instanceof NotFoundError) return null;
      throw e;
    }
  }

  return {
    /**
     * Reminds `userId` as `actor`: 404 for someone outside the actor's scope, deactivated or of
     * another organisation (as their drill-down); 409 when they were already reminded today in
     * the organisation's time zone, by anyone.
     */
    async send(orgId: string, actor: MembershipContext, userId: string): Promise<Reminder> {
      // Counted before the transaction: the home page's reads run on their own connection.
      const due = await waiting(orgId, userId);
      return db.transaction(async (tx) => {
        const member = await repo.lockActiveMember(tx, orgId, userId);
        if (!member || !inPeopleScope(peopleScope(actor), member.teamId)) {
          throw new NotFoundError('Learner');
        }
        const settings = await findSettings(tx, orgId);
        if (!settings) throw new NotFoundError('Organisation');
        const now = clock.now();
        const { date, end } = zonedToday(now, settings.timeZone);
        const key = { orgId, userId };
        const earlier = await repo.findSentBetween(
          tx,
          key,
          startOfDay(date, settings.timeZone),
          end,
        );
        if (earlier) {
          throw new ConflictError(
            `This learner was already reminded today (${earlier.createdAt.toISOString()}); ` +
              'one reminder a day is enough.',
          );
        }
        const id = await repo.insertReminder(tx, { ...key, sentBy: actor.userId, createdAt: now });
        const reminder = (await repo.findReminder(tx, orgId, id))!;
        // The learner's bell (always), and mail and push as they chose; gone if this rolls back.
        await notifier.notify(
          {
            orgId,
            userId,
            kind: 'manual-reminder',
            key: repo.manualReminderKey(id),
            params: {
              senderName: (await repo.userName(tx, actor.userId)) ?? '',
              dueCount: due?.dueCount ?? 0,
              minutes: due?.minutes ?? 0,
            },
            link: `/o/${orgId}`,
          },
          tx,
        );
        return toReminder(reminder);
      });
    },

    /**
     * The caller's reminders not dismissed yet, newest first, each with the refreshers waiting
     * for them now (one count for all: it is the same learner, now).
     */
    async listMine(orgId: string, userId: string): Promise<MyReminder[]> {
      const rows = await repo.listOpen(db, orgId, userId);
      if (rows.length === 0) return [];
      const today = await learner.today(orgId, userId);
      const estimatedSeconds = today.refreshers.reduce((sum, c) => sum + c.expectedSeconds, 0);
      return rows.map((row) => ({
        id: row.id,
        sentBy: sender(row),
        createdAt: row.createdAt,
        dueCount: today.dueCount,
        estimatedSeconds,
      }));
    },

    /** Dismisses one of the caller's reminders; anyone else's (or unknown) is 404. */
    async dismiss(orgId: string, userId: string, reminderId: string): Promise<void> {
      await db.transaction(async (tx) => {
        const now = clock.now();
        const found = await repo.dismiss(tx, { orgId, userId, reminderId }, now);
        if (!found) throw new NotFoundError('Reminder');
        await markReadByKey(tx, { orgId, userId }, repo.manualReminderKey(reminderId), now);
      });
    },
  };
}
