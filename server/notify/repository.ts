import { and, count, desc, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import {
  memberships,
  notifications,
  notificationSettings,
  organisations,
  users,
} from '../db/schema';

const columns = {
  id: notifications.id,
  kind: notifications.kind,
  params: notifications.params,
  link: notifications.link,
  createdAt: notifications.createdAt,
  readAt: notifications.readAt,
};

type Reader = { orgId: string; userId: string };

/** One page of the reader's notifications, newest first, from before the `before` one. */
export async function listPage(
  db: Executor,
  reader: Reader,
  opts: { limit: number; before?: string; unreadOnly: boolean },
) {
  const mine = and(eq(notifications.orgId, reader.orgId), eq(notifications.userId, reader.userId));
  let after = undefined;
  if (opts.before) {
    const [cursor] = await db
      .select({ createdAt: notifications.createdAt, id: notifications.id })
      .from(notifications)
      .where(and(mine, eq(notifications.id, opts.before)));
    if (!cursor) return null;
    after = or(
      lt(notifications.createdAt, cursor.createdAt),
      and(eq(notifications.createdAt, cursor.createdAt), lt(notifications.id, cursor.id)),
    );
  }
  return db
    .select(columns)
    .from(notifications)
    .where(and(mine, after, opts.unreadOnly ? isNull(notifications.readAt) : undefined))
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(opts.limit + 1);
}

export async function unreadCount(db: Executor, reader: Reader): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(notifications)
    .where(
      and(
        eq(notifications.orgId, reader.orgId),
        eq(notifications.userId, reader.userId),
        isNull(notifications.readAt),
      ),
    );
  return row?.n ?? 0;
}

/** Marks one read (a second time keeps the first date); undefined when it is not the reader's. */
export async function markRead(db: Executor, reader: Reader, id: string, now: Date) {
  const [row] = await db
    .update(notifications)
    .set({ readAt: sql`coalesce(${notifications.readAt}, ${now.toISOString()}::timestamptz)` })
    .where(
      and(
        eq(notifications.orgId, reader.orgId),
        eq(notifications.userId, reader.userId),
        eq(notifications.id, id),
      ),
    )
    .returning({ kind: notifications.kind, key: notifications.key });
  return row;
}

/** Marks every unread one read; answers the keys of the manual reminders among them. */
export async function markAllRead(db: Executor, reader: Reader, now: Date) {
  return db
    .update(notifications)
    .set({ readAt: now })
    .where(
      and(
        eq(notifications.orgId, reader.orgId),
        eq(notifications.userId, reader.userId),
        isNull(notifications.readAt),
      ),
    )
    .returning({ kind: notifications.kind, key: notifications.key });
}

/** Marks the notification with `key` read, if it is the reader's (a reminder dismissed). */
export async function markReadByKey(db: Executor, reader: Reader, key: string, now: Date) {
  await db
    .update(notifications)
    .set({ readAt: now })
    .where(
      and(
        eq(notifications.orgId, reader.orgId),
        eq(notifications.userId, reader.userId),
        eq(notifications.key, key),
        isNull(notifications.readAt),
      ),
    );
}

export async function findSettingsRow(db: Executor, userId: string) {
  const [row] = await db
    .select()
    .from(notificationSettings)
    .where(eq(notificationSettings.userId, userId));
  return row;
}

export async function upsertSettings(
  db: Executor,
  values: {
    userId: string;
    channels: Record<string, string[]>;
    reminderFrequency: 'daily' | 'weekly' | 'never';
    reminderMinute: number;
    reminderWeekday: number;
    updatedAt: Date;
  },
) {
  const { userId: _userId, ...changes } = values;
  await db
    .insert(notificationSettings)
    .values(values)
    .onConflictDoUpdate({ target: notificationSettings.userId, set: changes });
}

/** The organisations where the user is an active trainer or admin, with their digest choice. */
export async function digestOrgs(db: Executor, userId: string) {
  return db
    .select({
      orgId: memberships.orgId,
      orgName: organisations.name,
      optIn: memberships.digestOptIn,
    })
    .from(memberships)
    .innerJoin(organisations, eq(organisations.id, memberships.orgId))
    .where(
      and(
        eq(memberships.userId, userId),
        isNull(memberships.deactivatedAt),
        sql`${memberships.roles} && array['trainer', 'admin']::role[]`,
      ),
    )
    .orderBy(organisations.name, memberships.orgId);
}

export async function setDigestOptIn(db: Executor, reader: Reader, optIn: boolean) {
  await db
    .update(memberships)
    .set({ digestOptIn: optIn })
    .where(and(eq(memberships.orgId, reader.orgId), eq(memberships.userId, reader.userId)));
}

export async function userExists(db: Executor, userId: string): Promise<boolean> {
  const [row] = await db.select({ id: users.id }).from(users).where(eq(users.id, userId));
  return !!row;
}
