import type { Me, UpdateMeBody } from '../../shared/auth';
import type { Config } from '../config';
import type { Database, Executor } from '../db/client';
import type { Clock } from '../lib/clock';
import { AppError, UnauthenticatedError } from '../lib/errors';
import { hashToken, newToken } from '../lib/tokens';
import type { PasswordHasher } from './passwords';
import type { Principal, PrincipalCache } from './principal-cache';
import * as linkRepo from './recovery-repository';
import * as repo from './repository';

export interface AuthDeps {
  db: Database;
  clock: Clock;
  hasher: PasswordHasher;
  principals: PrincipalCache;
  config: Pick<Config, 'session' | 'loginFailures'>;
}

/** Sessions are touched at most this often, so reads do not all turn into writes. */
const TOUCH_EVERY_MS = 60_000;
/** Account links are kept this long after they expire: who made which reset link, and when. */
const LINKS_KEPT_MS = 90 * 24 * 60 * 60 * 1000;

export type AuthService = ReturnType<typeof createAuthService>;

/** What `GET /api/me` answers, from a principal. */
export function toMe({ user, memberships }: Pick<Principal, 'user' | 'memberships'>): Me {
  return {
    user,
    memberships: memberships.map(({ orgId, orgName, roles }) => ({ orgId, orgName, roles })),
  };
}

export function createAuthService({ db, clock, hasher, principals, config }: AuthDeps) {
  /** Opens a session for a user and returns the token for the cookie. */
  async function openSession(userId: string, tx: Executor = db): Promise<string> {
    const token = newToken();
    const now = clock.now();
    await repo.insertSession(tx, {
      tokenHash: hashToken(token),
      userId,
      now,
      expiresAt: new Date(now.getTime() + config.session.absoluteMs),
    });
    return token;
  }

  async function loadMe(userId: string): Promise<Me> {
    const user = await repo.findUserById(db, userId);
    if (!user) throw new UnauthenticatedError();
    const memberships = await repo.listUserMemberships(db, userId);
    return toMe({
      user: { id: user.id, email: user.email, name: user.name, locale: user.locale },
      memberships,
    });
  }

  async function loadPrincipal(token: string): Promise<Principal | null> {
    const generation = principals.mark();
    const tokenHash = hashToken(token);
    const found = await repo.findSessionWithUser(db, tokenHash);
    if (!found) return null;
    const principal = { ...found, memberships: await repo.listUserMemberships(db, found.user.id) };
    principals.set(token, tokenHash, principal, generation);
    return principal;
  }

  return {
    openSession,

    /**
     * Checks a password and opens a new session (the previous one, if any, is revoked: the
     * token rotates at every login). Each attempt is counted before the password is checked,
     * atomically per address, so at most `loginFailures.max` checks run per window even when
     * guesses arrive at once or on several instances; beyond that, 429 without checking. The
     * right password clears the count. This is the only place an existing account's password
     * is checked without a session (invitations ask to sign in first).
     */
    async login(email: string, password: string, previousToken?: string) {
      const now = clock.now();
      const since = new Date(now.getTime() - config.loginFailures.windowMs);
      const admitted = await db.transaction((tx) =>
        repo.reserveLoginAttempt(tx, email, { since, now, max: config.loginFailures.max }),
      );
      if (!admitted) {
        throw new AppError(
          'RATE_LIMITED',
          429,
          'Too many failed attempts. Wait a few minutes and try again.',
        );
      }
      const user = await repo.findUserByEmail(db, email);
      const ok = user
        ? await hasher.verify(user.passwordHash, password)
        : (await hasher.burn(password), false);
      // A wrong password leaves its reserved attempt counted as a failure.
      if (!user || !ok) {
        throw new AppError('INVALID_CREDENTIALS', 401, 'Wrong email address or password.');
      }
      await repo.clearLoginFailures(db, email);
      const count = await repo.countMemberships(db, user.id);
      if (count.all > 0 && count.active === 0) {
        throw new AppError(
          'ACCOUNT_DEACTIVATED',
          403,
          'Your access has been deactivated. Ask your administrator.',
        );
      }
      if (previousToken) {
        await repo.revokeSession(db, hashToken(previousToken), now);
        await principals.forgetSession(hashToken(previousToken));
      }
      const token = await openSession(user.id);
      return { token, me: await loadMe(user.id) };
    },

    /**
     * The principal behind a session token, or null when it is unknown, revoked or timed out.
     * Served from the principal cache when possible: most requests cost no query.
     */
    async authenticate(token: string): Promise<Principal | null> {
      const principal = principals.get(token) ?? (await loadPrincipal(token));
      if (!principal) return null;
      const now = clock.now();
      const { session } = principal;
      if (now >= session.expiresAt) return null;
      if (now.getTime() - session.lastSeenAt.getTime() >= config.session.idleMs) return null;
      if (now.getTime() - session.lastSeenAt.getTime() >= TOUCH_EVERY_MS) {
        await repo.touchSession(db, session.id, now);
        session.lastSeenAt = now;
      }
      return principal;
    },

    /** Deletes sessions and login failures that no longer matter; run now and then. */
    async purge() {
      const now = clock.now();
      await repo.deleteDeadSessions(db, now, new Date(now.getTime() - config.session.idleMs));
      await repo.deleteLoginFailuresBefore(
        db,
        new Date(now.getTime() - config.loginFailures.windowMs),
      );
      await linkRepo.deleteLinksExpiredBefore(db, new Date(now.getTime() - LINKS_KEPT_MS));
    },

    async logout(token: string) {
      await repo.revokeSession(db, hashToken(token), clock.now());
      await principals.forgetSession(hashToken(token));
    },

    async updateMe(userId: string, body: UpdateMeBody) {
      await repo.updateUser(db, userId, { ...body, now: clock.now() });
      await principals.forgetUser(userId);
      return loadMe(userId);
    },

    /**
     * Changes the password, ends every session of the user and opens a fresh one for this
     * browser; reset and sign-in links still unused stop working.
     */
    async changePassword(userId: string, current: string, next: string) {
      const user = await repo.findUserById(db, userId);
      if (!user) throw new UnauthenticatedError();
      if (!(await hasher.verify(user.passwordHash, current))) {
        throw new AppError('WRONG_PASSWORD', 400, 'The current password is not right.', [
          { path: ['body', 'currentPassword'], message: 'The current password is not right.' },
        ]);
      }
      const passwordHash = await hasher.hash(next);
      const token = await db.transaction(async (tx) => {
        await repo.updateUser(tx, userId, { passwordHash, now: clock.now() });
        await repo.revokeUserSessions(tx, userId, clock.now());
        await linkRepo.useAllLinks(tx, userId, clock.now());
        return openSession(userId, tx);
      });
      await principals.forgetUser(userId);
      return token;
    },
  };
}
