import fc from 'fast-check';
import { expect } from 'vitest';
import { createTodaySignInLink, mailAppUrl } from '../../server/auth/recovery';
import type { Base, BaseBuilder } from './fuzz-bases';
import { Caller, type Harness, json, PASSWORD } from './harness';

/** The token a link carries in its fragment. */
export const linkToken = (url: string) => new URL(url).hash.slice(1);

/**
 * Valid requests for the routes that take an account link's token, and for the settings that
 * turn reminders' sign-in links on (the fuzz suite's bases):
 * each call makes a new link, for a member of organisation A kept for this purpose, so that a
 * link used up (or a password reset, which ends sessions) touches no one else.
 */
export async function accountLinkBases(h: Harness): Promise<Record<string, BaseBuilder>> {
  const a = h.world.a;
  const member = await h.addUser(a.id, ['learner'], 'Fuzz links');
  const asAdmin = async () => new Caller(h.app, await h.signIn(a.users.admin.id));
  const constant = (body: unknown): Base => ({ json: fc.constant(body) });

  async function resetToken() {
    const res = await (
      await asAdmin()
    ).inject({ method: 'POST', url: `/api/orgs/${a.id}/members/${member.id}/reset-link` });
    expect(res.statusCode, res.body).toBe(201);
    return linkToken(json(res).url);
  }

  async function signInToken() {
    const res = await (
      await asAdmin()
    ).inject({
      method: 'PATCH',
      url: `/api/orgs/${a.id}/settings/learning`,
      payload: { reminderSignInLinks: true },
    });
    expect(res.statusCode, res.body).toBe(200);
    const url = await createTodaySignInLink(h.db, {
      userId: member.id,
      orgId: a.id,
      now: h.clock.now(),
      appUrl: mailAppUrl(h.config),
    });
    return linkToken(url!);
  }

  return {
    'POST /api/auth/password-reset/check': async () => constant({ token: await resetToken() }),
    'POST /api/auth/password-reset/confirm': async () =>
      constant({ token: await resetToken(), password: PASSWORD }),
    'POST /api/auth/link-sign-in': async () => constant({ token: await signInToken() }),
    // Generated strings are no time zone, and generated bodies may leave every field out.
    'PATCH /api/orgs/{orgId}/settings/learning': async () =>
      constant({ dailyBudgetMinutes: 5, reminderSignInLinks: true }),
  };
}
