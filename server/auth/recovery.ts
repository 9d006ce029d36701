import { randomUUID } from 'node:crypto';
import {
  ADMIN_RESET_LINK_TTL_HOURS,
  RESET_LINK_TTL_MINUTES,
  SIGN_IN_LINK_TTL_HOURS,
  type PasswordResetCheck,
  type PasswordResetDone,
  type ResetLink,
} from '../../shared/account';
import type { Locale } from '../../shared/common';
import type { Config } from '../config';
import type { Database, Executor } from '../db/client';
import type { JobRunner } from '../jobs/runner';
import type { Clock } from '../lib/clock';
import { AppError, ConflictError, NotFoundError } from '../lib/errors';
import { hashToken, newToken } from '../lib/tokens';
import type { Outbox } from '../mail/types';
import type { PasswordHasher } from './passwords';
import type { PrincipalCache } from './principal-cache';
import * as authRepo from './repository';
import * as repo from './recovery-repository';
import type { AuthService } from './service';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Reset links one address may ask for in an hour; beyond, the request is dropped silently. */
export const RESETS_PER_HOUR = 3;
/** The job that turns a reset request into a link and a mail, away from the request. */
export const RESET_REQUEST_JOB = 'password-reset-request';

/**
 * One answer for every link that does not work: expired, used, forged or for a purpose it is
 * not, so that nothing can be learnt by trying.
 */
export const invalidLink = () =>
  new AppError('INVALID_LINK', 410, 'This link no longer works. Ask for a new one.');

/** Where mails point: PUBLIC_URL, else this machine (a request's Host header is never used). */
export function mailAppUrl(config: Pick<Config, 'publicUrl' | 'port'>): string {
  return config.publicUrl ?? `http://localhost:${config.port}`;
}

const resetUrl = (appUrl: string, token: string) => `${appUrl}/reset-password#${token}`;

/**
 * Makes a reminder's single-use link that signs the learner in and opens Today (valid 24 hours),
 * or null when the organisation does not allow such links or the person is not an active
 * member there. The reminders' producer calls it inside its own transaction when it can.
 */
export async function createTodaySignInLink(
  db: Executor,
  { userId, orgId, now, appUrl }: { userId: string; orgId: string; now: Date; appUrl: string },
): Promise<string | null> {
  const found = (await repo.listMemberships(db, userId)).find((m) => m.orgId === orgId);
  if (!found?.active || !found.reminderSignInLinks) return null;
  const token = newToken();
  await repo.insertLink(db, {
    userId,
    orgId,
    purpose: 'today-sign-in',
    tokenHash: hashToken(token),
    createdBy: null,
    createdAt: now,
    expiresAt: new Date(now.getTime() + SIGN_IN_LINK_TTL_HOURS * HOUR),
  });
  return `${appUrl}/sign-in-link#${token}`;
}

export interface RecoveryDeps {
  db: Database;
  clock: Clock;
  hasher: PasswordHasher;
  principals: PrincipalCache;
  auth: AuthService;
  jobs: Pick<JobRunner, 'enqueue' | 'define'>;
  outbox: Outbox;
  config: Pick<Config, 'publicUrl' | 'port'>;
}

export type RecoveryService = ReturnType<typeof createRecoveryService>;

/**
 * Password recovery and the account links. Asking for a reset only enqueues a job, whatever the
 * address: the answer, its time and the work done in the request are the same for an address
 * with an account and one without. The job looks the address up, applies the per-address limit
 * and queues the mail.
 */
export function createRecoveryService(deps: RecoveryDeps) {
  const { db, clock, hasher, principals, auth, jobs, outbox, config } = deps;

  /**
   * The job: idempotent, as a job may run twice after a crash. The link takes the job's id, so
   * a second run finds it made (and its mail queued with it) and stops.
   */
  jobs.define(RESET_REQUEST_JOB, async (job, now) => {
    const email = String(job.payload.email ?? '');
    const locale = job.payload.locale as Locale | undefined;
    const user = await authRepo.findUserByEmail(db, email);
    if (!user) return;
    await db.transaction(async (tx) => {
      await repo.lockUserLinks(tx, user.id);
      if (await repo.linkExists(tx, job.id)) return;
      const since = new Date(now.getTime() - HOUR);
      if ((await repo.countRequestedResets(tx, user.id, since)) >= RESETS_PER_HOUR) return;
      const token = newToken();
      const expiresAt = new Date(now.getTime() + RESET_LINK_TTL_MINUTES * MINUTE);
      const link = await repo.insertLink(tx, {
        id: job.id,
        userId: user.id,
        orgId: null,
        purpose: 'password-reset',
        tokenHash: hashToken(token),
        createdBy: null,
        createdAt: now,
        expiresAt,
      });
      await outbox.queue(
        {
          orgId: null,
          userId: user.id,
          to: user.email,
          locale: locale ?? user.locale,
          kind: 'password-reset',
          key: `password-reset:${link.id}`,
          params: { url: resetUrl(mailAppUrl(config), token), expiresAt: expiresAt.toISOString() },
        },
        tx,
      );
    });
  });

  return {
    /** Queues the request; nothing in it depends on whether the address has an account. */
    async requestReset(email: string, locale: Locale | undefined) {
      await jobs.enqueue({
        name: RESET_REQUEST_JOB,
        key: `${RESET_REQUEST_JOB}:${randomUUID()}`,
        payload: { email, ...(locale ? { locale } : {}) },
        maxAttempts: 3,
      });
    },

    /** Whether a reset link works, for its page; `INVALID_LINK` when it does not. */
    async checkReset(token: string): Promise<PasswordResetCheck> {
      const found = await repo.findLiveLink(db, hashToken(token), 'password-reset', clock.now());
      if (!found) throw invalidLink();
      return { email: found.email, expiresAt: found.expiresAt };
    },

    /**
     * Sets the new password through a reset link, once: the link is used in the same
     * transaction that changes the password, so of two confirms at once only one succeeds.
     * Every session of the person ends and every other link of theirs stops working. This
     * browser is signed in with a fresh session, as holding the link already let its holder
     * choose the password (not for an account deactivated everywhere, which the login refuses).
     */
    async confirmReset(
      token: string,
      password: string,
    ): Promise<PasswordResetDone & { token?: string }> {
      const tokenHash = hashToken(token);
      // Forged or used links cost no password hashing.
      if (!(await repo.findLiveLink(db, tokenHash, 'password-reset', clock.now()))) {
        throw invalidLink();
      }
      const passwordHash = await hasher.hash(password);
      const done = await db.transaction(async (tx) => {
        const now = clock.now();
        const link = await repo.useLink(tx, tokenHash, 'password-reset', now);
        if (!link) throw invalidLink();
        const user = await authRepo.updateUser(tx, link.userId, { passwordHash, now });
        await authRepo.revokeUserSessions(tx, link.userId, now);
        await repo.useAllLinks(tx, link.userId, now);
        const count = await authRepo.countMemberships(tx, link.userId);
        const deactivated = count.all > 0 && count.active === 0;
        const session = deactivated ? undefined : await auth.openSession(link.userId, tx);
        return { userId: link.userId, email: user!.email, session };
      });
      await principals.forgetUser(done.userId);
      // Locked out by wrong guesses, the person may now sign in with the new password at once.
      await authRepo.clearLoginFailures(db, done.email);
      return { signedIn: !!done.session, token: done.session };
    },

    /**
     * A reset link an admin makes for a member of their organisation (installs without mail),
     * shown to them once. Refused for someone who also belongs to an organisation where the
     * admin is not one: the link would open that organisation too.
     */
    async adminResetLink(
      orgId: string,
      adminId: string,
      userId: string,
      baseUrl: string,
    ): Promise<ResetLink> {
      const theirs = await repo.listMemberships(db, userId);
      if (!theirs.some((m) => m.orgId === orgId)) throw new NotFoundError('Member');
      const mine = await repo.listMemberships(db, adminId);
      const runs = new Set(
        mine.filter((m) => m.active && m.roles.includes('admin')).map((m) => m.orgId),
      );
      if (userId !== adminId && theirs.some((m) => !runs.has(m.orgId))) {
        throw new ConflictError(
          'This person also belongs to another organisation: they can use "Forgot password?" on the sign-in page, or an admin of each of their organisations can make the link.',
          'MEMBER_ELSEWHERE',
        );
      }
      const token = newToken();
      const now = clock.now();
      const expiresAt = new Date(now.getTime() + ADMIN_RESET_LINK_TTL_HOURS * HOUR);
      await repo.insertLink(db, {
        userId,
        orgId: null,
        purpose: 'password-reset',
        tokenHash: hashToken(token),
        createdBy: adminId,
        createdAt: now,
        expiresAt,
      });
      return { url: resetUrl(baseUrl, token), expiresAt };
    },

    /**
     * Signs in through a reminder's link, once, while its organisation still allows such links
     * and the person is still an active member there. The session is an ordinary one.
     */
    async linkSignIn(token: string, previousToken?: string) {
      const tokenHash = hashToken(token);
      const done = await db.transaction(async (tx) => {
        const now = clock.now();
        const link = await repo.useLink(tx, tokenHash, 'today-sign-in', now);
        if (!link?.orgId) throw invalidLink();
        const found = (await repo.listMemberships(tx, link.userId)).find(
          (m) => m.orgId === link.orgId,
        );
        if (!found?.active || !found.reminderSignInLinks) throw invalidLink();
        if (previousToken) await authRepo.revokeSession(tx, hashToken(previousToken), now);
        return { orgId: link.orgId, session: await auth.openSession(link.userId, tx) };
      });
      if (previousToken) await principals.forgetSession(hashToken(previousToken));
      return done;
    },
  };
}
