import type { Locale } from '../../shared/common';
import { PASSWORD_MIN } from '../../shared/common';
import type {
  AcceptInvitationBody,
  CreateInvitationBody,
  Invitation,
  InvitationPreview,
} from '../../shared/orgs';
import { syncTargetAssignments } from '../assignments/sync';
import type { PrincipalCache } from '../auth/principal-cache';
import * as authRepo from '../auth/repository';
import type { PasswordHasher } from '../auth/passwords';
import type { AuthService } from '../auth/service';
import type { Config } from '../config';
import type { Database, Executor } from '../db/client';
import type { Clock } from '../lib/clock';
import {
  AppError,
  ConflictError,
  ForbiddenError,
  isForeignKeyViolation,
  isUniqueViolation,
  NotFoundError,
  ValidationError,
} from '../lib/errors';
import { hashToken, newToken } from '../lib/tokens';
import type { InvitationParams } from '../mail/templates/invitation';
import type { OutboxService } from '../mail/outbox';
import type { MembershipContext } from '../plugins/auth';
import * as memberRepo from '../members/repository';
import { checkStructureRefs } from '../members/service';
import * as orgRepo from '../orgs/repository';
import * as repo from './repository';

export type InvitationService = ReturnType<typeof createInvitationService>;

export interface Inviter extends MembershipContext {
  locale: Locale;
  name: string;
}

const wrongAccount = (invited: string, signedIn: string) =>
  new ConflictError(
    `This invitation is for ${invited}; you are signed in as ${signedIn}. Sign out, then open the link again.`,
    'WRONG_ACCOUNT',
  );

const signInRequired = () =>
  new ConflictError(
    'This address already has a Rappel account: sign in, then open this link again.',
    'SIGN_IN_REQUIRED',
  );

const invalid = () =>
  new AppError(
    'INVITATION_INVALID',
    404,
    'This invitation link is no longer valid. Ask for a new one.',
  );

/** Whether `actor` may invite (or handle invitations of) people with `roles`: a trainer who is
 * not admin only learners. */
export function mayInvite(actor: Pick<MembershipContext, 'roles'>, roles: readonly string[]) {
  if (actor.roles.includes('admin')) return true;
  return actor.roles.includes('trainer') && roles.every((r) => r === 'learner');
}

function checkMayInvite(actor: MembershipContext, roles: readonly string[]) {
  if (mayInvite(actor, roles)) return;
  throw new ForbiddenError('Trainers can invite learners only; ask an admin for other roles.');
}

/** Refuses managed teams that are not this organisation's, at the field, as PATCH members does. */
async function checkManagedTeams(db: Executor, orgId: string, teamIds: string[]) {
  const found = await memberRepo.findTeamIds(db, orgId, teamIds);
  if (teamIds.every((id) => found.has(id))) return;
  const message = 'No such team in this organisation.';
  throw new ValidationError('Some fields are invalid.', [{ path: ['managedTeamIds'], message }]);
}

export function createInvitationService(deps: {
  db: Database;
  clock: Clock;
  hasher: PasswordHasher;
  auth: AuthService;
  principals: PrincipalCache;
  config: Pick<Config, 'invitationTtlMs'>;
  outbox: Pick<OutboxService, 'queue' | 'mailConfigured'>;
}) {
  const { db, clock, hasher, auth, principals, config, outbox } = deps;

  function toApi(row: repo.InvitationRow, invitedBy: string, managedTeamIds: string[]): Invitation {
    return {
      id: row.id,
      email: row.email,
      roles: row.roles,
      teamId: row.teamId,
      jobRoleId: row.jobRoleId,
      managedTeamIds,
      locale: row.locale,
      invitedBy,
      createdAt: row.createdAt,
      expiresAt: row.expiresAt,
      expired: row.expiresAt.getTime() <= clock.now().getTime(),
    };
  }

  async function pendingOne(orgId: string, id: string) {
    const [found] = await repo.listPending(db, orgId, id);
    if (!found) throw new NotFoundError('Invitation');
    return found;
  }

  /**
   * Makes the invitation's membership for the user `who` names (inside the transaction that
   * locks the invitation), marks the invitation accepted and, when asked, opens a session.
   */
  async function join(
    tokenHash: string,
    who: (tx: Executor, invitation: repo.InvitationRow, now: Date) => Promise<string>,
    { session }: { session: boolean },
  ) {
    const accepted = await db.transaction(async (tx) => {
      const found = await repo.findPendingByTokenHash(tx, tokenHash, true);
      const now = clock.now();
      if (!found || found.invitation.expiresAt <= now) throw invalid();
      const { invitation } = found;
      const userId = await who(tx, invitation, now);
      if (await repo.isMember(tx, invitation.orgId, invitation.email)) {
        throw new ConflictError('You are already a member of this organisation.', 'ALREADY_MEMBER');
      }
      await orgRepo.insertMembership(tx, {
        orgId: invitation.orgId,
        userId,
        roles: invitation.roles,
        teamId: invitation.teamId,
        jobRoleId: invitation.jobRoleId,
        now,
      });
      await repo.grantManagedTeams(tx, invitation.orgId, invitation.id, userId);
      // A learner joining later gets the published modules their job role and team are for.
      await syncTargetAssignments(tx, invitation.orgId, { userId }, now);
      await repo.markAccepted(tx, invitation.id, now);
      const token = session ? await auth.openSession(userId, tx) : undefined;
      return { orgId: invitation.orgId, userId, token };
    });
    await principals.forgetUser(accepted.userId);
    return accepted;
  }

  const link = (baseUrl: string, token: string) => `${baseUrl}/invite/${token}`;
  const expiry = () => new Date(clock.now().getTime() + config.invitationTtlMs);

  /** Mails the link, in the same transaction as the invitation (no mail for a rolled-back one). */
  async function mailLink(
    tx: Executor,
    row: repo.InvitationRow,
    key: string,
    params: InvitationParams,
  ) {
    await outbox.queue(
      {
        orgId: row.orgId,
        userId: null,
        to: row.email,
        locale: row.locale,
        kind: 'invitation',
        key,
        params,
      },
      tx,
    );
  }

  return {
    async list(orgId: string) {
      const rows = await repo.listPending(db, orgId);
      return rows.map((r) => toApi(r.invitation, r.invitedBy, r.managedTeamIds));
    },

    /**
     * Invites an address into the organisation and returns the link (shown to the inviter until
     * mail exists). A newer invitation to the same address replaces the pending one, also when
     * several arrive at once (they are serialised per address). A manager's invitation may name
     * the teams they will manage, given to them when they accept.
     */
    async create(
      orgId: string,
      actor: Inviter,
      body: CreateInvitationBody & { email: string },
      baseUrl: string,
    ) {
      const roles = body.roles ?? ['learner'];
      const managedTeamIds = [...(body.managedTeamIds ?? [])].sort();
      checkMayInvite(actor, roles);
      const checkRefs = async () => {
        await checkStructureRefs(db, orgId, body);
        await checkManagedTeams(db, orgId, managedTeamIds);
      };
      await checkRefs();
      if (await repo.isMember(db, orgId, body.email)) {
        // The usual reason to invite a member again is a forgotten password: say what works.
        throw new ConflictError(
          'This person is already a member of the organisation. If they cannot sign in, make them a password reset link from their row in People (admins), or they can use "Forgot password?" on the sign-in page.',
          'ALREADY_MEMBER',
        );
      }
      const token = newToken();
      const row = await db
        .transaction(async (tx) => {
          // The last to take the lock is the pending one; its link is the one that works.
          await repo.lockAddress(tx, orgId, body.email);
          const now = clock.now();
          await repo.revokePendingFor(tx, orgId, body.email, now);
          const inserted = await repo.insertInvitation(tx, {
            orgId,
            email: body.email,
            roles,
            teamId: body.teamId ?? null,
            jobRoleId: body.jobRoleId ?? null,
            locale: body.locale ?? actor.locale,
            tokenHash: hashToken(token),
            invitedBy: actor.userId,
            createdAt: now,
            expiresAt: expiry(),
          });
          await repo.insertManagedTeams(tx, orgId, inserted.id, managedTeamIds);
          await mailLink(tx, inserted, `invitation:${inserted.id}`, {
            inviterName: actor.name,
            url: link(baseUrl, token),
            expiresAt: inserted.expiresAt,
          });
          return inserted;
        })
        .catch(async (err: unknown) => {
          // A team or job role deleted since the check: say which field, as the check does.
          if (isForeignKeyViolation(err)) await checkRefs();
          throw err;
        });
      return {
        invitation: toApi(row, actor.name, managedTeamIds),
        link: link(baseUrl, token),
        mailConfigured: outbox.mailConfigured,
      };
    },

    async revoke(orgId: string, actor: MembershipContext, id: string) {
      const found = await pendingOne(orgId, id);
      checkMayInvite(actor, found.invitation.roles);
      await repo.revoke(db, orgId, id, clock.now());
    },

    /** A new link and a new expiry date; the old link stops working. */
    async renew(orgId: string, actor: MembershipContext, id: string, baseUrl: string) {
      const found = await pendingOne(orgId, id);
      checkMayInvite(actor, found.invitation.roles);
      const token = newToken();
      const expiresAt = expiry();
      await db.transaction(async (tx) => {
        await repo.replaceToken(tx, orgId, id, { tokenHash: hashToken(token), expiresAt });
        // The link mailed before no longer works: the new one goes out too.
        await mailLink(tx, found.invitation, `invitation:${id}:${expiresAt.getTime()}`, {
          inviterName: found.invitedBy,
          url: link(baseUrl, token),
          expiresAt,
        });
      });
      return {
        invitation: toApi(
          { ...found.invitation, expiresAt },
          found.invitedBy,
          found.managedTeamIds,
        ),
        link: link(baseUrl, token),
        mailConfigured: outbox.mailConfigured,
      };
    },

    /** The invitation's own fields; whether the address has an account is never said. */
    async preview(token: string): Promise<InvitationPreview> {
      const found = await repo.findPendingByTokenHash(db, hashToken(token));
      if (!found || found.invitation.expiresAt <= clock.now()) throw invalid();
      const { invitation } = found;
      return {
        orgName: found.orgName,
        email: invitation.email,
        roles: invitation.roles,
        invitedBy: found.invitedBy,
        locale: invitation.locale,
        expiresAt: invitation.expiresAt,
      };
    },

    /**
     * Accepts an invitation. Signed in as the invited address: the person joins, no password.
     * Signed in as another address: 409 `WRONG_ACCOUNT`. Not signed in, for an address without
     * an account: the password (and name) make the account, which joins and is signed in. Not
     * signed in, for an address with an account: 409 `SIGN_IN_REQUIRED`, and no password is
     * checked: anyone can invite any address, so a password guessed here would bypass the login's
     * per-account limit and hand over the account. The invitation's teams to manage come along
     * (those deleted since are gone). A link works once, even when used twice at the same
     * moment (the row is locked). Members are never invited: a member gets `ALREADY_MEMBER`.
     * `token` is set when a session was opened (the new account's).
     */
    async accept(
      token: string,
      body: AcceptInvitationBody,
      signedIn?: { id: string; email: string },
    ): Promise<{ orgId: string; userId: string; token?: string }> {
      const tokenHash = hashToken(token);
      const peek = await repo.findPendingByTokenHash(db, tokenHash);
      if (!peek || peek.invitation.expiresAt <= clock.now()) throw invalid();
      const { email } = peek.invitation;
      if (signedIn) {
        if (signedIn.email.toLowerCase() !== email) throw wrongAccount(email, signedIn.email);
        return join(tokenHash, async () => signedIn.id, { session: false });
      }
      if (await authRepo.findUserByEmail(db, email)) throw signInRequired();
      if (!body.password || body.password.length < PASSWORD_MIN) {
        throw new ValidationError('Some fields are invalid.', [
          { path: ['password'], message: `Use at least ${PASSWORD_MIN} characters.` },
        ]);
      }
      const passwordHash = await hasher.hash(body.password);
      return join(
        tokenHash,
        async (tx, invitation, now) => {
          // Another invitation of this address may have made the account meanwhile.
          if (await authRepo.findUserByEmail(tx, email)) throw signInRequired();
          const user = await authRepo
            .insertUser(tx, {
              email,
              name: body.name ?? email.split('@')[0]!,
              locale: body.locale ?? invitation.locale,
              passwordHash,
              now,
            })
            .catch((err: unknown) => {
              throw isUniqueViolation(err) ? signInRequired() : err;
            });
          return user.id;
        },
        { session: true },
      );
    },
  };
}
