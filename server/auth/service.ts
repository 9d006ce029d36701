import type { Me, UpdateMeBody } from '../../shared/auth';
import type { Config } from '../config';
import type { Database, Executor } from '../db/client';
import type { Clock } from '../lib/clock';
import { AppError, UnauthenticatedError } from '../lib/errors';
import { hashToken, newToken } from '../lib/tokens';
import type { PasswordHasher } from './passwords';
import * as repo from './repository';

export interface AuthDeps {
  db: Database;
  clock: Clock;
  hasher: PasswordHasher;
  config: Pick<Config, 'session' | 'loginFailures'>;
}

export interface Authenticated {
  user: repo.UserRow;
  session: repo.SessionRow;
}

/** Sessions are touched at most this often, so reads do not all turn into writes. */
const TOUCH_EVERY_MS = 60_000;

export type AuthService = ReturnType<typeof createAuthService>;

export function createAuthService({ db, clock, hasher, config }: AuthDeps) {
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

  async function getMe(userId: string): Promise<Me> {
    const user = await repo.findUserById(db, userId);
    if (!user) throw new UnauthenticatedError();
    const memberships = await repo.listUserMemberships(db, userId);
    return {
      user: { id: user.id, email: user.email, name: user.name, locale: user.locale },
      memberships,
    };
  }

  return {
    openSession,
    getMe,

    /**
     * Checks a password and opens a new session (the previous one, if any, is revoked: the
     * token rotates at every login). Repeated failures for one address answer 429 for a while.
     */
    async login(email: string, password: string, previousToken?: string) {
      const now = clock.now();
      const since = new Date(now.getTime() - config.loginFailures.windowMs);
      if ((await repo.countRecentLoginFailures(db, email, since)) >= config.loginFailures.max) {
        throw new AppError('RATE_LIMITED', 429, 'Too many failed attempts. Wait a few minutes and try again.');
      }
      const user = await repo.findUserByEmail(db, email);
      const ok = user ? await hasher.verify(user.passwordHash, password) : (await hasher.burn(password), false);
      if (!user || !ok) {
        await repo.insertLoginFailure(db, email, now);
        throw new AppError('INVALID_CREDENTIALS', 401, 'Wrong email address or password.');
      }
      const count = await repo.countMemberships(db, user.id);
      if (count.all > 0 && count.active === 0) {
        throw new AppError('ACCOUNT_DEACTIVATED', 403, 'Your access has been deactivated. Ask your administrator.');
      }
      await repo.clearLoginFailures(db, email);
      if (previousToken) await repo.revokeSession(db, hashToken(previousToken), now);
      const token = await openSession(user.id);
      return { token, me: await getMe(user.id) };
    },

    /** The user behind a session token, or null when it is unknown, revoked or timed out. */
    async authenticate(token: string): Promise<Authenticated | null> {
      const found = await repo.findSessionWithUser(db, hashToken(token));
      if (!found) return null;
      const now = clock.now().getTime();
      const { session } = found;
      if (now >= session.expiresAt.getTime()) return null;
      if (now - session.lastSeenAt.getTime() >= config.session.idleMs) return null;
      if (now - session.lastSeenAt.getTime() >= TOUCH_EVERY_MS) {
        await repo.touchSession(db, session.id, clock.now());
      }
      return found;
    },

    /** Deletes sessions and login failures that no longer matter; run now and then. */
    async purge() {
      const now = clock.now();
      await repo.deleteDeadSessions(db, now, new Date(now.getTime() - config.session.idleMs));
      await repo.deleteLoginFailuresBefore(db, new Date(now.getTime() - config.loginFailures.windowMs));
    },

    async logout(token: string) {
      await repo.revokeSession(db, hashToken(token), clock.now());
    },

    async updateMe(userId: string, body: UpdateMeBody) {
      await repo.updateUser(db, userId, { ...body, now: clock.now() });
      return getMe(userId);
    },

    /** Changes the password, ends every session of the user and opens a fresh one for this browser. */
    async changePassword(userId: string, current: string, next: string) {
      const user = await repo.findUserById(db, userId);
      if (!user) throw new UnauthenticatedError();
      if (!(await hasher.verify(user.passwordHash, current))) {
        throw new AppError('WRONG_PASSWORD', 400, 'The current password is not right.', [
          { path: ['currentPassword'], message: 'The current password is not right.' },
        ]);
      }
      const passwordHash = await hasher.hash(next);
      return db.transaction(async (tx) => {
        await repo.updateUser(tx, userId, { passwordHash, now: clock.now() });
        await repo.revokeUserSessions(tx, userId, clock.now());
        return openSession(userId, tx);
      });
    },
  };
}
