import { and, desc, eq, inArray, notInArray } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { pushSubscriptions, users } from '../db/schema';

export interface NewSubscription {
  userId: string;
  endpoint: string;
  p256dh: string;
  auth: string;
  userAgent: string | null;
  now: Date;
}

/**
 * Keeps the subscription for `userId`: a browser that subscribes again gets its new keys, and
 * an endpoint another person had registered on the same browser moves to this one.
 */
export async function upsertSubscription(db: Executor, s: NewSubscription) {
  const [row] = await db
    .insert(pushSubscriptions)
    .values({
      userId: s.userId,
      endpoint: s.endpoint,
      p256dh: s.p256dh,
      auth: s.auth,
      userAgent: s.userAgent,
      createdAt: s.now,
    })
    .onConflictDoUpdate({
      target: pushSubscriptions.endpoint,
      set: {
        userId: s.userId,
        p256dh: s.p256dh,
        auth: s.auth,
        userAgent: s.userAgent,
        createdAt: s.now,
        lastSentAt: null,
      },
    })
    .returning({ endpoint: pushSubscriptions.endpoint, createdAt: pushSubscriptions.createdAt });
  return row!;
}

/** Deletes the person's subscriptions beyond their `keep` most recent. */
export async function trimSubscriptions(db: Executor, userId: string, keep: number) {
  const newest = db
    .select({ id: pushSubscriptions.id })
    .from(pushSubscriptions)
    .where(eq(pushSubscriptions.userId, userId))
    .orderBy(desc(pushSubscriptions.createdAt), desc(pushSubscriptions.id))
    .limit(keep);
  await db
    .delete(pushSubscriptions)
    .where(and(eq(pushSubscriptions.userId, userId), notInArray(pushSubscriptions.id, newest)));
}

/** Deletes the endpoint if it is the person's own; answers whether it was. */
export async function deleteOwnSubscription(db: Executor, userId: string, endpoint: string) {
  const gone = await db
    .delete(pushSubscriptions)
    .where(and(eq(pushSubscriptions.userId, userId), eq(pushSubscriptions.endpoint, endpoint)))
    .returning({ id: pushSubscriptions.id });
  return gone.length > 0;
}

export type PushTarget = Awaited<ReturnType<typeof listSubscriptions>>[number];

export async function listSubscriptions(db: Executor, userId: string) {
  return db
    .select({
      id: pushSubscriptions.id,
      endpoint: pushSubscriptions.endpoint,
      p256dh: pushSubscriptions.p256dh,
      auth: pushSubscriptions.auth,
    })
    .from(pushSubscriptions)
    .where(eq(pushSubscriptions.userId, userId))
    .orderBy(pushSubscriptions.createdAt);
}

export async function deleteSubscriptions(db: Executor, ids: string[]) {
  if (ids.length === 0) return;
  await db.delete(pushSubscriptions).where(inArray(pushSubscriptions.id, ids));
}

export async function markSent(db: Executor, ids: string[], now: Date) {
  if (ids.length === 0) return;
  await db
    .update(pushSubscriptions)
    .set({ lastSentAt: now })
    .where(inArray(pushSubscriptions.id, ids));
}

/** The person's language, or undefined when the account is gone. */
export async function findLocale(db: Executor, userId: string) {
  const [row] = await db.select({ locale: users.locale }).from(users).where(eq(users.id, userId));
  return row?.locale;
}
