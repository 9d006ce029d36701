import { and, count, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import type { AccountLinkPurpose } from '../../shared/notify';
import type { Executor, Transaction } from '../db/client';
import { accountLinks, memberships, organisations, users } from '../db/schema';

/** The first key of the advisory locks taken on a person's links (the second is the user's). */
const LINKS_LOCK = 0x6c6e6b; // "lnk"

/**
 * Serialises the making of links for one person until the transaction ends, so that parallel
 * requests (from any instance) cannot all pass the per-address count.
 */
export async function lockUserLinks(tx: Transaction, userId: string) {
  await tx.execute(sql`select pg_advisory_xact_lock(${LINKS_LOCK}::int, hashtext(${userId}))`);
}

/** Reset links the person asked for themselves (not an admin's) since `since`. */
export async function countRequestedResets(db: Executor, userId: string, since: Date) {
  const [row] = await db
    .select({ n: count() })
    .from(accountLinks)
    .where(
      and(
        eq(accountLinks.userId, userId),
        eq(accountLinks.purpose, 'password-reset'),
        isNull(accountLinks.createdBy),
        gt(accountLinks.createdAt, since),
      ),
    );
  return row?.n ?? 0;
}

export async function linkExists(db: Executor, id: string) {
  const [row] = await db
    .select({ id: accountLinks.id })
    .from(accountLinks)
    .where(eq(accountLinks.id, id));
  return !!row;
}

export async function insertLink(
  db: Executor,
  values: {
    id?: string;
    userId: string;
    orgId: string | null;
    purpose: AccountLinkPurpose;
    tokenHash: string;
    createdBy: string | null;
    createdAt: Date;
    expiresAt: Date;
  },
) {
  const [row] = await db.insert(accountLinks).values(values).returning({ id: accountLinks.id });
  return row!;
}

const live = (tokenHash: string, purpose: AccountLinkPurpose, now: Date) =>
  and(
    eq(accountLinks.tokenHash, tokenHash),
    eq(accountLinks.purpose, purpose),
    isNull(accountLinks.usedAt),
    gt(accountLinks.expiresAt, now),
  );

/** An unused, unexpired link with its person's address; undefined otherwise. */
export async function findLiveLink(
  db: Executor,
  tokenHash: string,
  purpose: AccountLinkPurpose,
  now: Date,
) {
  const [row] = await db
    .select({
      id: accountLinks.id,
      userId: accountLinks.userId,
      orgId: accountLinks.orgId,
      expiresAt: accountLinks.expiresAt,
      email: users.email,
    })
    .from(accountLinks)
    .innerJoin(users, eq(users.id, accountLinks.userId))
    .where(live(tokenHash, purpose, now));
  return row;
}

/**
 * Marks a live link used and answers it; undefined when it is not live. One statement, so of
 * two uses at the same moment only one gets the row (the other waits for its lock, then finds
 * it used).
 */
export async function useLink(
  db: Executor,
  tokenHash: string,
  purpose: AccountLinkPurpose,
  now: Date,
) {
  const [row] = await db
    .update(accountLinks)
    .set({ usedAt: now })
    .where(live(tokenHash, purpose, now))
    .returning({ userId: accountLinks.userId, orgId: accountLinks.orgId });
  return row;
}

/** Every unused link of the person stops working (their password was just reset). */
export async function useAllLinks(db: Executor, userId: string, now: Date) {
  await db
    .update(accountLinks)
    .set({ usedAt: now })
    .where(and(eq(accountLinks.userId, userId), isNull(accountLinks.usedAt)));
}

/** Every membership of a user, deactivated ones included, with the organisation's setting. */
export async function listMemberships(db: Executor, userId: string) {
  return db
    .select({
      orgId: memberships.orgId,
      roles: memberships.roles,
      active: sql<boolean>`${memberships.deactivatedAt} is null`,
      reminderSignInLinks: organisations.reminderSignInLinks,
    })
    .from(memberships)
    .innerJoin(organisations, eq(organisations.id, memberships.orgId))
    .where(eq(memberships.userId, userId));
}

export async function deleteLinksExpiredBefore(db: Executor, before: Date) {
  await db.delete(accountLinks).where(lt(accountLinks.expiresAt, before));
}
