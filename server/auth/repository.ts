import { and, count, eq, gt, isNotNull, isNull, lt, lte, ne, or, sql } from 'drizzle-orm';
import type { Executor, Transaction } from '../db/client';
import { loginFailures, memberships, organisations, sessions, users } from '../db/schema';
import { managedTeamIdsColumn } from '../members/repository';
import type { Locale } from '../../shared/common';

export type UserRow = typeof users.$inferSelect;

export async function findUserByEmail(db: Executor, email: string) {
  const [row] = await db
    .select()
    .from(users)
    .where(eq(sql`lower(${users.email})`, email.toLowerCase()));
  return row;
}

export async function findUserById(db: Executor, id: string) {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row;
}

export async function insertUser(
  db: Executor,
  values: { email: string; name: string; locale: Locale; passwordHash: string; now: Date },
) {
  const [row] = await db
    .insert(users)
    .values({ ...values, createdAt: values.now, updatedAt: values.now })
    .returning();
  return row!;
}

export async function updateUser(
  db: Executor,
  id: string,
  values: Partial<Pick<UserRow, 'name' | 'locale' | 'passwordHash'>> & { now: Date },
) {
  const { now, ...rest } = values;
  const [row] = await db
    .update(users)
    .set({ ...rest, updatedAt: now })
    .where(eq(users.id, id))
    .returning();
  return row;
}

export async function insertSession(
  db: Executor,
  values: { tokenHash: string; userId: string; now: Date; expiresAt: Date },
) {
  const { now, ...rest } = values;
  await db.insert(sessions).values({ ...rest, createdAt: now, lastSeenAt: now });
}

/** The live (not revoked) session for a token hash, with its user. */
export async function findSessionWithUser(db: Executor, tokenHash: string) {
  const [row] = await db
    .select({
      session: { id: sessions.id, expiresAt: sessions.expiresAt, lastSeenAt: sessions.lastSeenAt },
      user: { id: users.id, email: users.email, name: users.name, locale: users.locale },
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, tokenHash), isNull(sessions.revokedAt)));
  return row;
}

export async function touchSession(db: Executor, id: string, now: Date) {
  await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, id));
}

export async function revokeSession(db: Executor, tokenHash: string, now: Date) {
  await db
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.tokenHash, tokenHash), isNull(sessions.revokedAt)));
}

/** Ends every session of a user, except `keepId` when given. */
export async function revokeUserSessions(db: Executor, userId: string, now: Date, keepId?: string) {
  await db
    .update(sessions)
    .set({ revokedAt: now })
    .where(
      and(
        eq(sessions.userId, userId),
        isNull(sessions.revokedAt),
        keepId ? ne(sessions.id, keepId) : undefined,
      ),
    );
}

/** Sessions that can never be used again: expired, idle past the limit, or revoked. */
export async function deleteDeadSessions(db: Executor, now: Date, idleBefore: Date) {
  await db
    .delete(sessions)
    .where(
      or(
        lte(sessions.expiresAt, now),
        lte(sessions.lastSeenAt, idleBefore),
        isNotNull(sessions.revokedAt),
      ),
    );
}

export async function deleteLoginFailuresBefore(db: Executor, before: Date) {
  await db.delete(loginFailures).where(lt(loginFailures.at, before));
}

/** The first key of the advisory locks taken on login attempts (the second is the address's). */
const LOGIN_LOCK = 0x6c6f67; // "log"

/**
 * Counts an attempt to sign in as `email` before its password is checked, unless `max` attempts
 * were already counted since `since`: then records nothing and answers false. The count and the
 * insert are serialised per address until the transaction ends (an advisory lock), so parallel
 * attempts, from any instance, cannot all pass the count.
 */
export async function reserveLoginAttempt(
  tx: Transaction,
  email: string,
  { since, now, max }: { since: Date; now: Date; max: number },
) {
  await tx.execute(sql`select pg_advisory_xact_lock(${LOGIN_LOCK}::int, hashtext(${email}))`);
  const [row] = await tx
    .select({ n: count() })
    .from(loginFailures)
    .where(and(eq(loginFailures.email, email), gt(loginFailures.at, since)));
  if ((row?.n ?? 0) >= max) return false;
  await tx.insert(loginFailures).values({ email, at: now });
  return true;
}

export async function clearLoginFailures(db: Executor, email: string) {
  await db.delete(loginFailures).where(eq(loginFailures.email, email));
}

/**
 * Active memberships of a user, with the organisation's name and the teams they manage (in the
 * same query: every uncached request loads this), oldest first.
 */
export async function listUserMemberships(db: Executor, userId: string) {
  return db
    .select({
      orgId: organisations.id,
      orgName: organisations.name,
      roles: memberships.roles,
      teamId: memberships.teamId,
      managedTeamIds: managedTeamIdsColumn,
    })
    .from(memberships)
    .innerJoin(organisations, eq(organisations.id, memberships.orgId))
    .where(and(eq(memberships.userId, userId), isNull(memberships.deactivatedAt)))
    .orderBy(memberships.createdAt, organisations.name);
}

export async function countMemberships(db: Executor, userId: string) {
  const [row] = await db
    .select({
      all: count(),
      active: sql<number>`count(*) filter (where ${memberships.deactivatedAt} is null)`.mapWith(
        Number,
      ),
    })
    .from(memberships)
    .where(eq(memberships.userId, userId));
  return { all: row?.all ?? 0, active: row?.active ?? 0 };
}
