import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { beforeEach, describe, expect, it } from 'vitest';
import { createTodaySignInLink, mailAppUrl } from '../../server/auth/recovery';
import { accountLinks, memberships } from '../../server/db/schema';
import * as orgRepo from '../../server/orgs/repository';
import { DAY, HOUR, MINUTE } from '../helpers/clock';
import {
  Caller,
  checkRoute,
  createHarness,
  expectError,
  json,
  type OrgFixture,
  PASSWORD,
} from '../helpers/harness';

const h = await createHarness();
const { a, b } = h.world;

beforeEach(() => h.clock.set('2026-03-02T09:00:00Z'));

const sessionCookie = (res: LightMyRequestResponse) =>
  res.cookies.find((c) => c.name === 'rappel_session');
const resetLinkUrl = (org: OrgFixture, userId: string) =>
  `/api/orgs/${org.id}/members/${userId}/reset-link`;

describe("an admin's reset link for a member", () => {
  it('is for admins of the member’s organisation only', async () => {
    await checkRoute(h, {
      request: (org, owner) => ({
        method: 'POST',
        url: resetLinkUrl(org, owner.users.learner.id),
      }),
      allow: ['admin'],
      status: 201,
      objectInPath: true,
      badInput: (org) => ({ method: 'POST', url: resetLinkUrl(org, 'not-a-uuid') }),
    });
  });

  it('is shown once, says who made it, and resets the password like a mailed one', async () => {
    const member = await h.addUser(a.id, ['learner']);
    const res = await a.users.admin.inject({ method: 'POST', url: resetLinkUrl(a, member.id) });
    expect(res.statusCode, res.body).toBe(201);
    const { url, expiresAt } = json(res);
    expect(Date.parse(expiresAt) - h.clock.now().getTime()).toBe(24 * HOUR);
    const link = new URL(url);
    expect(link.pathname).toBe('/reset-password');
    const token = link.hash.slice(1);
    const [row] = await h.db.select().from(accountLinks).where(eq(accountLinks.userId, member.id));
    expect(row).toMatchObject({ purpose: 'password-reset', createdBy: a.users.admin.id });

    const done = await h.anon.inject({
      method: 'POST',
      url: '/api/auth/password-reset/confirm',
      payload: { token, password: 'chosen by the member' },
    });
    expect(done.statusCode, done.body).toBe(200);
    expectError(await member.inject({ method: 'GET', url: '/api/me' }), 401);
    const fresh = new Caller(h.app, sessionCookie(done)!.value);
    expect(json(await fresh.inject({ method: 'GET', url: '/api/me' })).user.id).toBe(member.id);
  });

  it('is refused for someone who also belongs to an organisation the admin does not run', async () => {
    const both = await h.addUser(a.id, ['learner']);
    await orgRepo.insertMembership(h.db, {
      orgId: b.id,
      userId: both.id,
      roles: ['admin'],
      now: h.clock.now(),
    });
    const res = await a.users.admin.inject({ method: 'POST', url: resetLinkUrl(a, both.id) });
    const err = expectError(res, 409, 'MEMBER_ELSEWHERE');
    expect(err.message).toMatch(/Forgot password/);
    // An admin of both organisations may.
    await orgRepo.insertMembership(h.db, {
      orgId: b.id,
      userId: a.users.admin.id,
      roles: ['admin'],
      now: h.clock.now(),
    });
    await h.db
      .update(memberships)
      .set({ roles: ['admin'] })
      .where(eq(memberships.userId, both.id));
    const admin = new Caller(h.app, await h.signIn(a.users.admin.id));
    expect((await admin.inject({ method: 'POST', url: resetLinkUrl(a, both.id) })).statusCode).toBe(
      201,
    );
  });

  it('stops working once the member changes their password; kept 90 days after it expires', async () => {
    const member = await h.addUser(a.id, ['learner']);
    const res = await a.users.admin.inject({ method: 'POST', url: resetLinkUrl(a, member.id) });
    const token = new URL(json(res).url).hash.slice(1);
    const changed = await member.inject({
      method: 'POST',
      url: '/api/me/password',
      payload: { currentPassword: PASSWORD, newPassword: 'changed by the member' },
    });
    expect(changed.statusCode, changed.body).toBe(204);
    const check = await h.anon.inject({
      method: 'POST',
      url: '/api/auth/password-reset/check',
      payload: { token },
    });
    expectError(check, 410, 'INVALID_LINK');
    const links = () => h.db.select().from(accountLinks).where(eq(accountLinks.userId, member.id));
    h.clock.advance(89 * DAY);
    await h.app.housekeeping();
    expect(await links()).toHaveLength(1);
    h.clock.advance(3 * DAY);
    await h.app.housekeeping();
    expect(await links()).toHaveLength(0);
  });

  it('is what inviting a member again points to', async () => {
    const res = await a.users.admin.inject({
      method: 'POST',
      url: `/api/orgs/${a.id}/invitations`,
      payload: { email: a.users.learner.email },
    });
    const err = expectError(res, 409, 'ALREADY_MEMBER');
    expect(err.message).toMatch(/password reset link/);
  });
});

describe("a reminder's sign-in link", () => {
  const appUrl = mailAppUrl(h.config);
  const setLinks = (on: boolean) =>
    a.users.admin.inject({
      method: 'PATCH',
      url: `/api/orgs/${a.id}/settings/learning`,
      payload: { reminderSignInLinks: on },
    });
  const use = (url: string, caller: Caller = h.anon) =>
    caller.inject({
      method: 'POST',
      url: '/api/auth/link-sign-in',
      payload: { token: new URL(url).hash.slice(1) },
    });
  const make = async (userId = a.users.learner.id) => {
    const url = await createTodaySignInLink(h.db, {
      userId,
      orgId: a.id,
      now: h.clock.now(),
      appUrl,
    });
    expect(url).not.toBeNull();
    return url!;
  };

  it('is off by default: no link is made, and a link made while on is refused once off', async () => {
    const settings = await a.users.learner.inject({
      method: 'GET',
      url: `/api/orgs/${a.id}/settings/learning`,
    });
    expect(json(settings).reminderSignInLinks).toBe(false);
    const none = await createTodaySignInLink(h.db, {
      userId: a.users.learner.id,
      orgId: a.id,
      now: h.clock.now(),
      appUrl,
    });
    expect(none).toBeNull();
    // Only admins decide.
    const trainer = await a.users.trainer.inject({
      method: 'PATCH',
      url: `/api/orgs/${a.id}/settings/learning`,
      payload: { reminderSignInLinks: true },
    });
    expectError(trainer, 403, 'FORBIDDEN');
    expect((await setLinks(true)).statusCode).toBe(200);
    const url = await make();
    expect((await setLinks(false)).statusCode).toBe(200);
    expectError(await use(url), 410, 'INVALID_LINK');
  });

  it('signs the learner in once, opening their organisation, then is refused', async () => {
    expect(json(await setLinks(true)).reminderSignInLinks).toBe(true);
    const url = await make();
    expect(url.startsWith(`${appUrl}/sign-in-link#`)).toBe(true);
    const res = await use(url);
    expect(res.statusCode, res.body).toBe(200);
    expect(json(res)).toEqual({ orgId: a.id });
    const session = new Caller(h.app, sessionCookie(res)!.value);
    expect(json(await session.inject({ method: 'GET', url: '/api/me' })).user.id).toBe(
      a.users.learner.id,
    );
    expectError(await use(url), 410, 'INVALID_LINK');
    // The learner's other sessions are left alone.
    expect((await a.users.learner.inject({ method: 'GET', url: '/api/me' })).statusCode).toBe(200);
  });

  it('is refused after 24 hours, when forged, or once the member is deactivated', async () => {
    await setLinks(true);
    const expired = await make();
    h.clock.advance(24 * HOUR + MINUTE);
    expectError(await use(expired), 410, 'INVALID_LINK');
    const forged = `${appUrl}/sign-in-link#${randomBytes(32).toString('base64url')}`;
    expectError(await use(forged), 410, 'INVALID_LINK');
    const member = await h.addUser(a.id, ['learner']);
    const url = await make(member.id);
    await h.db
      .update(memberships)
      .set({ deactivatedAt: h.clock.now() })
      .where(eq(memberships.userId, member.id));
    expectError(await use(url), 410, 'INVALID_LINK');
  });

  it('is never made for another organisation than the member’s', async () => {
    await setLinks(true);
    const none = await createTodaySignInLink(h.db, {
      userId: b.users.learner.id,
      orgId: a.id,
      now: h.clock.now(),
      appUrl,
    });
    expect(none).toBeNull();
  });
});
