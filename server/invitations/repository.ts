import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Locale, Role } from '../../shared/common';
import type { Executor, Transaction } from '../db/client';
import {
  invitationManagedTeams,
  invitations,
  managedTeams,
  memberships,
  organisations,
  users,
} from '../db/schema';

export type InvitationRow = typeof invitations.$inferSelect;

/** The teams an invitation's manager will manage, as a column of a query over `invitations`. */
const managedTeamIdsColumn = sql<string[]>`array(
  select ${invitationManagedTeams.teamId} from ${invitationManagedTeams}
  where ${invitationManagedTeams.invitationId} = ${invitations.id}
  order by ${invitationManagedTeams.teamId})`;

const pending = and(isNull(invitations.acceptedAt), isNull(invitations.revokedAt));

/** Pending (not accepted, not revoked) invitations, newest first, with the inviter's name. */
export async function listPending(db: Executor, orgId: string, id?: string) {
  return db
    .select({
      invitation: invitations,
      invitedBy: users.name,
      managedTeamIds: managedTeamIdsColumn,
    })
    .from(invitations)
    .innerJoin(users, eq(users.id, invitations.invitedBy))
    .where(and(eq(invitations.orgId, orgId), pending, id ? eq(invitations.id, id) : undefined))
    .orderBy(desc(invitations.createdAt));
}

export async function insertInvitation(
  db: Executor,
  values: {
    orgId: string;
    email: string;
    roles: Role[];
    teamId: string | null;
    jobRoleId: string | null;
    locale: Locale;
    tokenHash: string;
    invitedBy: string;
    createdAt: Date;
    expiresAt: Date;
  },
) {
  const [row] = await db.insert(invitations).values(values).returning();
  return row!;
}

/** Records the teams the invitee will manage. */
export async function insertManagedTeams(
  db: Executor,
  orgId: string,
  invitationId: string,
  teamIds: string[],
) {
  if (teamIds.length === 0) return;
  await db
    .insert(invitationManagedTeams)
    .values(teamIds.map((teamId) => ({ orgId, invitationId, teamId })));
}

/**
 * Gives a member the teams their invitation named (those deleted since are gone with their
 * rows); teams they already manage stay as they are.
 */
export async function grantManagedTeams(
  db: Executor,
  orgId: string,
  invitationId: string,
  userId: string,
) {
  await db
    .insert(managedTeams)
    .select(
      db
        .select({
          orgId: invitationManagedTeams.orgId,
          userId: sql<string>`${userId}::uuid`.as('user_id'),
          teamId: invitationManagedTeams.teamId,
        })
        .from(invitationManagedTeams)
        .where(
          and(
            eq(invitationManagedTeams.orgId, orgId),
            eq(invitationManagedTeams.invitationId, invitationId),
          ),
        ),
    )
    .onConflictDoNothing();
}

/** The first key of the advisory locks taken on invitations (the second is the address's). */
const INVITATION_LOCK = 0x696e76; // "inv"

/**
 * Serialises, until the transaction ends, the invitations of one address in one organisation,
 * so that the newest one replaces the pending one even when several arrive at once, on every
 * instance; the partial unique index `invitations_pending_key` stands behind it.
 */
export async function lockAddress(tx: Transaction, orgId: string, email: string) {
  const key = `${orgId} ${email}`;
  await tx.execute(sql`select pg_advisory_xact_lock(${INVITATION_LOCK}::int, hashtext(${key}))`);
}

/** Revokes the pending invitations of one address in one organisation. */
export async function revokePendingFor(db: Executor, orgId: string, email: string, now: Date) {
  await db
    .update(invitations)
    .set({ revokedAt: now })
    .where(and(eq(invitations.orgId, orgId), eq(invitations.email, email), pending));
}

export async function revoke(db: Executor, orgId: string, id: string, now: Date) {
  await db
    .update(invitations)
    .set({ revokedAt: now })
    .where(and(eq(invitations.orgId, orgId), eq(invitations.id, id), pending));
}

export async function replaceToken(
  db: Executor,
  orgId: string,
  id: string,
  values: { tokenHash: string; expiresAt: Date },
) {
  await db
    .update(invitations)
    .set(values)
    .where(and(eq(invitations.orgId, orgId), eq(invitations.id, id), pending));
}

/** A pending invitation by token hash, with its organisation and inviter; locked when asked. */
export async function findPendingByTokenHash(db: Executor, tokenHash: string, lock = false) {
  const query = db
    .select({ invitation: invitations, orgName: organisations.name, invitedBy: users.name })
    .from(invitations)
    .innerJoin(organisations, eq(organisations.id, invitations.orgId))
    .innerJoin(users, eq(users.id, invitations.invitedBy))
    .where(and(eq(invitations.tokenHash, tokenHash), pending));
  const [row] = await (lock ? query.for('update', { of: invitations }) : query);
  return row;
}

export async function markAccepted(db: Executor, id: string, now: Date) {
  await db.update(invitations).set({ acceptedAt: now }).where(eq(invitations.id, id));
}

export async function isMember(db: Executor, orgId: string, email: string) {
  const [row] = await db
    .select({ id: memberships.id })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, orgId), eq(sql`lower(${users.email})`, email)));
  return !!row;
}
