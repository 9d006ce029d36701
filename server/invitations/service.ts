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
  NotFoundError,
  ValidationError,
} from '../lib/errors';
import { hashToken, newToken } from '../lib/tokens';
import type { MembershipContext } from '../plugins/auth';
import * as memberRepo from '../members/repository';
import { checkStructureRefs } from '../members/service';
import * as orgRepo from '../orgs/repository';
import * as repo from './repository';

export type InvitationService = ReturnType<typeof createInvitationService>;

interface Inviter extends MembershipContext {
  locale: Locale;
  name: string;
}

const invalid = () =>
  new AppError(
    'INVITATION_INVALID',
    404,
    'This invitation link is no longer valid. Ask for a new one.',
  );

/** A trainer who is not admin may only handle invitations of learners. */
function checkMayInvite(actor: MembershipContext, roles: readonly string[]) {
  if (actor.roles.includes('admin')) return;
  if (actor.roles.includes('trainer') && roles.every((r) => r === 'learner')) return;
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
}) {
  const { db, clock, hasher, auth, principals, config } = deps;

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

  const link = (baseUrl: string, token: string) => `${baseUrl}/invite/${token}`;
  const expiry = () => new Date(clock.now().getTime() + config.invitationTtlMs);

  return {
    async list(orgId: string) {
      const rows = await repo.listPending(db, orgId);
      return rows.map((r) => toApi(r.invitation, r.invitedBy, r.managedTeamIds));
    },

    /**
     * Invites an address into the organisation and returns the link (shown to the inviter until
     * mail exists). A newer invitation to the same address replaces the pending one. A manager's
     * invitation may name the teams they will manage, given to them when they accept.
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
        throw new ConflictError(
          'This person is already a member of the organisation.',
          'ALREADY_MEMBER',
        );
      }
      const token = newToken();
      const now = clock.now();
      const row = await db
        .transaction(async (tx) => {
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
          return inserted;
        })
        .catch(async (err: unknown) => {
          // A team or job role deleted since the check: say which field, as the check does.
          if (isForeignKeyViolation(err)) await checkRefs();
          throw err;
        });
      return { invitation: toApi(row, actor.name, managedTeamIds), link: link(baseUrl, token) };
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
      await repo.replaceToken(db, orgId, id, { tokenHash: hashToken(token), expiresAt });
      return {
        invitation: toApi(
          { ...found.invitation, expiresAt },
          found.invitedBy,
          found.managedTeamIds,
        ),
        link: link(baseUrl, token),
      };
    },

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
        existingAccount: !!(await authRepo.findUserByEmail(db, invitation.email)),
      };
    },

    /**
     * Accepts an invitation: a new address sets its password (and name); an existing account
     * proves it with its own password. Either way the person joins and is signed in, with the
     * teams the invitation names to manage (those deleted since are gone). A link works once,
     * even when used twice at the same moment (the row is locked). Members are never invited,
     * so there is no existing membership to merge into: that is 409 `ALREADY_MEMBER`.
     */
    async accept(token: string, body: AcceptInvitationBody) {
      const tokenHash = hashToken(token);
      const peek = await repo.findPendingByTokenHash(db, tokenHash);
      if (!peek || peek.invitation.expiresAt <= clock.now()) throw invalid();
      const existing = await authRepo.findUserByEmail(db, peek.invitation.email);
      let passwordHash: string | undefined;
      if (existing) {
        if (!(await hasher.verify(existing.passwordHash, body.password))) {
          throw new AppError('INVALID_CREDENTIALS', 401, 'Wrong password for this account.');
        }
      } else {
        if (body.password.length < PASSWORD_MIN) {
          throw new ValidationError('Some fields are invalid.', [
            { path: ['password'], message: `Use at least ${PASSWORD_MIN} characters.` },
          ]);
        }
        passwordHash = await hasher.hash(body.password);
      }
      const accepted = await db.transaction(async (tx) => {
        const found = await repo.findPendingByTokenHash(tx, tokenHash, true);
        const now = clock.now();
        if (!found || found.invitation.expiresAt <= now) throw invalid();
        const { invitation } = found;
        const user =
          existing ??
          (await authRepo.insertUser(tx, {
            email: invitation.email,
            name: body.name ?? invitation.email.split('@')[0]!,
            locale: body.locale ?? invitation.locale,
            passwordHash: passwordHash!,
            now,
          }));
        if (await repo.isMember(tx, invitation.orgId, invitation.email)) {
          throw new ConflictError(
            'You are already a member of this organisation.',
            'ALREADY_MEMBER',
          );
        }
        await orgRepo.insertMembership(tx, {
          orgId: invitation.orgId,
          userId: user.id,
          roles: invitation.roles,
          teamId: invitation.teamId,
          jobRoleId: invitation.jobRoleId,
          now,
        });
        await repo.grantManagedTeams(tx, invitation.orgId, invitation.id, user.id);
        // A learner joining later gets the published modules their job role and team are for.
        await syncTargetAssignments(tx, invitation.orgId, { userId: user.id }, now);
        await repo.markAccepted(tx, invitation.id, now);
        const sessionToken = await auth.openSession(user.id, tx);
        return { orgId: invitation.orgId, userId: user.id, token: sessionToken };
      });
      await principals.forgetUser(accepted.userId);
      return accepted;
    },
  };
}
