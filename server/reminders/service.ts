import type { MyReminder, Reminder } from '../../shared/reminders';
import type { Database } from '../db/client';
import { findSettings } from '../learning/repository';
import type { LearnerService } from '../learner/service';
import type { Clock } from '../lib/clock';
import { ConflictError, NotFoundError } from '../lib/errors';
import { inPeopleScope, peopleScope } from '../lib/scope';
import { startOfDay, zonedToday } from '../lib/zoned-day';
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
}: {
  db: Database;
  clock: Clock;
  learner: Pick<LearnerService, 'today'>;
}) {
  return {
    /**
     * Reminds `userId` as `actor`: 404 for someone outside the actor's scope, deactivated or of
     * another organisation (as their drill-down); 409 when they were already reminded today in
     * the organisation's time zone, by anyone.
     */
    async send(orgId: string, actor: MembershipContext, userId: string): Promise<Reminder> {
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
        return toReminder((await repo.findReminder(tx, orgId, id))!);
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
      const found = await repo.dismiss(db, { orgId, userId, reminderId }, clock.now());
      if (!found) throw new NotFoundError('Reminder');
    },
  };
}
