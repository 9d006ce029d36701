import { and, desc, eq, gte, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { memberships, reminders, users } from '../db/schema';

const columns = {
  id: reminders.id,
  userId: reminders.userId,
  sentById: reminders.sentBy,
  sentByName: users.name,
  createdAt: reminders.createdAt,
  dismissedAt: reminders.dismissedAt,
};
export type ReminderRow = NonNullable<Awaited<ReturnType<typeof findReminder>>>;

/**
 * An active member's team, their membership locked until the transaction ends, so that two
 * reminders of the same learner are sent one after the other (the one-a-day rule holds).
 * Undefined for a deactivated member or someone of another organisation.
 */
export async function lockActiveMember(db: Executor, orgId: string, userId: string) {
  const [row] = await db
    .select({ teamId: memberships.teamId })
    .from(memberships)
    .where(
      and(
        eq(memberships.orgId, orgId),
        eq(memberships.userId, userId),
        isNull(memberships.deactivatedAt),
      ),
    )
    .for('no key update');
  return row;
}

/** The learner's latest reminder sent in `[from, to)`, if any. */
export async function findSentBetween(
  db: Executor,
  key: { orgId: string; userId: string },
  from: Date,
  to: Date,
) {
  const [row] = await db
    .select({ createdAt: reminders.createdAt })
    .from(reminders)
    .where(
      and(
        eq(reminders.orgId, key.orgId),
        eq(reminders.userId, key.userId),
        gte(reminders.createdAt, from),
        lt(reminders.createdAt, to),
      ),
    )
    .orderBy(desc(reminders.createdAt))
    .limit(1);
  return row;
}

export async function insertReminder(
  db: Executor,
  values: { orgId: string; userId: string; sentBy: string; createdAt: Date },
) {
  const [row] = await db.insert(reminders).values(values).returning({ id: reminders.id });
  return row!.id;
}

/** One reminder of the organisation, with its sender's name. */
export async function findReminder(db: Executor, orgId: string, reminderId: string) {
  const [row] = await db
    .select(columns)
    .from(reminders)
    .leftJoin(users, eq(users.id, reminders.sentBy))
    .where(and(eq(reminders.orgId, orgId), eq(reminders.id, reminderId)));
  return row;
}

/** The learner's reminders not dismissed yet, newest first. */
export async function listOpen(db: Executor, orgId: string, userId: string) {
  return db
    .select(columns)
    .from(reminders)
    .leftJoin(users, eq(users.id, reminders.sentBy))
    .where(
      and(eq(reminders.orgId, orgId), eq(reminders.userId, userId), isNull(reminders.dismissedAt)),
    )
    .orderBy(desc(reminders.createdAt), desc(reminders.id));
}

/**
 * Marks the learner's reminder dismissed at `now` (a second time keeps the first date); false
 * when they have no such reminder in the organisation.
 */
export async function dismiss(
  db: Executor,
  key: { orgId: string; userId: string; reminderId: string },
  now: Date,
) {
  const rows = await db
    .update(reminders)
    .set({
      dismissedAt: sql`coalesce(${reminders.dismissedAt}, ${now.toISOString()}::timestamptz)`,
    })
    .where(
      and(
        eq(reminders.orgId, key.orgId),
        eq(reminders.userId, key.userId),
        eq(reminders.id, key.reminderId),
      ),
    )
    .returning({ id: reminders.id });
  return rows.length > 0;
}

const MANUAL_KEY_PREFIX = 'manual-reminder:';
/** The key of the notification that delivers a manual reminder (one per reminder row). */
export const manualReminderKey = (reminderId: string) => `${MANUAL_KEY_PREFIX}${reminderId}`;

/**
 * Marks dismissed the reminders whose notifications (by key) the learner has read, so that the
 * reminder history and the bell agree.
 */
export async function dismissByNotificationKeys(
  db: Executor,
  key: { orgId: string; userId: string },
  keys: readonly string[],
  now: Date,
) {
  const ids = keys
    .filter((k) => k.startsWith(MANUAL_KEY_PREFIX))
    .map((k) => k.slice(MANUAL_KEY_PREFIX.length));
  if (ids.length === 0) return;
  await db
    .update(reminders)
    .set({
      dismissedAt: sql`coalesce(${reminders.dismissedAt}, ${now.toISOString()}::timestamptz)`,
    })
    .where(
      and(
        eq(reminders.orgId, key.orgId),
        eq(reminders.userId, key.userId),
        inArray(reminders.id, ids),
      ),
    );
}

export async function userName(db: Executor, userId: string): Promise<string | undefined> {
  const [row] = await db.select({ name: users.name }).from(users).where(eq(users.id, userId));
  return row?.name;
}
