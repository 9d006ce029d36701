import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { accountLinks, outboxMessages } from '../../server/db/schema';
import * as orgRepo from '../../server/orgs/repository';
import { MINUTE } from '../helpers/clock';
import { Caller, createHarness, expectError, json, PASSWORD } from '../helpers/harness';
import { startSmtp } from '../helpers/smtp';

const h = await createHarness({ seed: false });
const NEW_PASSWORD = 'a brand new long password';

let ip = 0;
/** A client address of its own for each request, so the per-IP limit stays out of the way. */
const nextIp = () => `198.18.${Math.floor(++ip / 250)}.${(ip % 250) + 1}`;

const ask = (email: string, remoteAddress = nextIp(), locale?: 'fr' | 'en') =>
  h.anon.inject({
    method: 'POST',
    url: '/api/auth/password-reset',
    payload: { email, ...(locale ? { locale } : {}) },
    remoteAddress,
  });
const check = (token: string) =>
  h.anon.inject({
    method: 'POST',
    url: '/api/auth/password-reset/check',
    payload: { token },
    remoteAddress: nextIp(),
  });
const confirm = (token: string, password = NEW_PASSWORD) =>
  h.anon.inject({
    method: 'POST',
    url: '/api/auth/password-reset/confirm',
    payload: { token, password },
    remoteAddress: nextIp(),
  });

/** The reset mails queued for an address, oldest first. */
const mailsTo = (email: string) =>
  h.db
    .select()
    .from(outboxMessages)
    .where(and(eq(outboxMessages.toAddress, email), eq(outboxMessages.kind, 'password-reset')))
    .orderBy(outboxMessages.createdAt);

/** The token of the link in a message: what the person's browser reads from the fragment. */
function tokenOf(url: string) {
  const link = new URL(url);
  expect(link.pathname).toBe('/reset-password');
  expect(link.search).toBe('');
  return link.hash.slice(1);
}

/** Runs the jobs until none is left (a job's mail is a job of its own). */
async function runJobs() {
  while ((await h.app.jobs.runDue()) > 0);
}

/** Asks for a link for `email` and delivers it; answers the token of the newest mail. */
async function resetToken(email: string) {
  h.clock.advance(1000);
  expect((await ask(email)).statusCode).toBe(202);
  await runJobs();
  const mails = await mailsTo(email);
  return tokenOf(String(mails.at(-1)!.params.url));
}

const sessionCookie = (res: LightMyRequestResponse) =>
  res.cookies.find((c) => c.name === 'rappel_session');

beforeEach(() => h.clock.set('2026-03-02T09:00:00Z'));

describe('asking for a reset link', () => {
  it('queues a mail in the asked language with a link that works, once', async () => {
    const user = await h.addUser(null, []);
    const otherSession = new Caller(h.app, await h.signIn(user.id));
    const res = await ask(user.email.toUpperCase(), undefined, 'fr');
    expect(res.statusCode).toBe(202);
    expect(json(res)).toEqual({ status: 'accepted' });
    // Nothing is done in the request: the job runner makes the link and the mail.
    expect(await mailsTo(user.email)).toHaveLength(0);
    await runJobs();

    const [mail] = await mailsTo(user.email);
    expect(mail).toMatchObject({ orgId: null, userId: user.id, locale: 'fr', status: 'unsent' });
    const [link] = await h.db.select().from(accountLinks).where(eq(accountLinks.userId, user.id));
    expect(mail!.key).toBe(`password-reset:${link!.id}`);
    expect(link).toMatchObject({ purpose: 'password-reset', createdBy: null, usedAt: null });
    expect(link!.expiresAt.getTime() - h.clock.now().getTime()).toBe(30 * MINUTE);
    const url = String(mail!.params.url);
    expect(url.startsWith('http://localhost:0/reset-password#')).toBe(true);
    expect(mail!.textBody).toContain(url);
    expect(mail!.subject).toMatch(/mot de passe/);
    const token = tokenOf(url);
    // Only the token's hash is kept with the link.
    expect(link!.tokenHash).not.toContain(token);

    const checked = await check(token);
    expect(checked.statusCode, checked.body).toBe(200);
    expect(json(checked)).toEqual({ email: user.email, expiresAt: link!.expiresAt.toISOString() });

    const done = await confirm(token);
    expect(done.statusCode, done.body).toBe(200);
    expect(json(done)).toEqual({ signedIn: true });
    const fresh = new Caller(h.app, sessionCookie(done)!.value);
    expect((await fresh.inject({ method: 'GET', url: '/api/me' })).statusCode).toBe(200);
    // Every earlier session ends.
    expectError(await user.inject({ method: 'GET', url: '/api/me' }), 401, 'UNAUTHENTICATED');
    expectError(await otherSession.inject({ method: 'GET', url: '/api/me' }), 401);
    // The new password signs in, the old one no longer does.
    const login = (password: string) =>
      h.anon.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: user.email, password },
        remoteAddress: nextIp(),
      });
    expect((await login(NEW_PASSWORD)).statusCode).toBe(200);
    expectError(await login(PASSWORD), 401, 'INVALID_CREDENTIALS');

    // Used: refused, however it is tried.
    expectError(await confirm(token, 'yet another long password'), 410, 'INVALID_LINK');
    expectError(await check(token), 410, 'INVALID_LINK');
  });

  it('is refused when expired, reused or forged, with one answer for all three', async () => {
    const user = await h.addUser(null, []);
    const expired = await resetToken(user.email);
    const reused = await resetToken(user.email);
    expect((await confirm(reused)).statusCode).toBe(200);
    // A link asked for before a reset stops working with it.
    expectError(await check(expired), 410, 'INVALID_LINK');
    const late = await resetToken(user.email);
    expect((await check(late)).statusCode).toBe(200);
    h.clock.advance(31 * MINUTE);
    const forged = randomBytes(32).toString('base64url');
    const answers = await Promise.all([
      confirm(late),
      confirm(reused),
      confirm(forged),
      confirm('x'),
    ]);
    for (const res of answers) expectError(res, 410, 'INVALID_LINK');
    expect(new Set(answers.map((r) => r.body)).size).toBe(1);
    expectError(await check(late), 410, 'INVALID_LINK');
  });

  it('applies the password rules and leaves the link usable after a refused password', async () => {
    const user = await h.addUser(null, []);
    const token = await resetToken(user.email);
    const short = expectError(await confirm(token, 'short'), 400, 'VALIDATION_FAILED');
    expect(short.issues?.map((i) => i.path.join('.'))).toEqual(['body.password']);
    expect((await confirm(token)).statusCode).toBe(200);
  });

  it('lets one of two confirms sent at once win', async () => {
    const user = await h.addUser(null, []);
    const token = await resetToken(user.email);
    const results = await Promise.all([
      confirm(token, 'first racing password'),
      confirm(token, 'second racing password'),
      confirm(token, 'third racing password'),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 410, 410]);
    const sessions = results.filter((r) => r.statusCode === 200).map(sessionCookie);
    expect(sessions).toHaveLength(1);
  });

  it('resets a deactivated account without signing it in', async () => {
    const admin = await h.addUser(null, []);
    const org = await orgRepo.insertOrg(h.db, 'Closed Ltd', h.clock.now());
    await orgRepo.insertMembership(h.db, {
      orgId: org.id,
      userId: admin.id,
      roles: ['learner'],
      now: h.clock.now(),
    });
    const { memberships } = await import('../../server/db/schema');
    await h.db
      .update(memberships)
      .set({ deactivatedAt: h.clock.now() })
      .where(eq(memberships.userId, admin.id));
    const done = await confirm(await resetToken(admin.email));
    expect(done.statusCode, done.body).toBe(200);
    expect(json(done)).toEqual({ signedIn: false });
    expect(sessionCookie(done)).toBeUndefined();
  });
});

describe('what an address without an account learns', () => {
  it('gets the same status, body and headers as one with an account, and no mail', async () => {
    const user = await h.addUser(null, []);
    const stranger = `nobody-${randomBytes(4).toString('hex')}@example.test`;
    const known = await ask(user.email, '203.0.113.50');
    const unknown = await ask(stranger, '203.0.113.51');
    expect(unknown.statusCode).toBe(known.statusCode);
    expect(unknown.body).toBe(known.body);
    const headers = (res: LightMyRequestResponse) => {
      const { date: _date, ...rest } = res.headers;
      return rest;
    };
    expect(headers(unknown)).toEqual(headers(known));
    await runJobs();
    expect(await mailsTo(stranger)).toHaveLength(0);
    expect(await mailsTo(user.email)).toHaveLength(1);
  });

  it('answers in the same time, within the noise', async () => {
    const user = await h.addUser(null, []);
    const N = 40;
    const times = { known: [] as number[], unknown: [] as number[] };
    const time = async (email: string) => {
      const start = process.hrtime.bigint();
      const res = await ask(email);
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      expect(res.statusCode).toBe(202);
      return ms;
    };
    // Warm both paths, then alternate so that the machine's load falls on both alike.
    await time(user.email);
    await time('warm-up@example.test');
    for (let i = 0; i < N; i++) {
      times.known.push(await time(user.email));
      times.unknown.push(await time(`stranger-${i}@example.test`));
    }
    const sorted = (xs: number[]) => [...xs].sort((x, y) => x - y);
    const quantile = (xs: number[], q: number) => sorted(xs)[Math.floor(q * (xs.length - 1))]!;
    const median = (xs: number[]) => quantile(xs, 0.5);
    const spread = (xs: number[]) => quantile(xs, 0.75) - quantile(xs, 0.25);
    const difference = Math.abs(median(times.known) - median(times.unknown));
    const noise = Math.max(spread(times.known), spread(times.unknown));
    console.log(
      `password reset timing: known median ${median(times.known).toFixed(2)} ms, unknown ${median(times.unknown).toFixed(2)} ms, difference ${difference.toFixed(2)} ms, interquartile range ${noise.toFixed(2)} ms (${N} each)`,
    );
    // The same work either way: the medians differ by less than the spread of either.
    expect(difference).toBeLessThanOrEqual(2 * noise + 0.05 * median(times.known));
    await runJobs();
  });
});

describe('limits', () => {
  it('answers 429 once one client address asks too often', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      statuses.push((await ask(`limit-${i}@example.test`, '192.0.2.77')).statusCode);
    }
    expect(statuses.every((s) => s === 202)).toBe(true);
    const last = await ask('limit-last@example.test', '192.0.2.77');
    expectError(last, 429, 'RATE_LIMITED');
    expect(last.headers['retry-after']).toBeDefined();
    expect((await ask('limit-other@example.test', '192.0.2.78')).statusCode).toBe(202);
  });

  it('sends at most three links an hour to one address, still answering 202', async () => {
    const user = await h.addUser(null, []);
    for (let i = 0; i < 5; i++) expect((await ask(user.email)).statusCode).toBe(202);
    await runJobs();
    expect(await mailsTo(user.email)).toHaveLength(3);
    h.clock.advance(61 * MINUTE);
    expect((await ask(user.email)).statusCode).toBe(202);
    await runJobs();
    expect(await mailsTo(user.email)).toHaveLength(4);
  });

  it('three links asked for at once still make at most three', async () => {
    const user = await h.addUser(null, []);
    await Promise.all(Array.from({ length: 6 }, () => ask(user.email)));
    await Promise.all([runJobs(), runJobs()]);
    expect(await mailsTo(user.email)).toHaveLength(3);
  });
});

describe('through a real SMTP server', () => {
  it('delivers the mail with both parts, and its link resets the password', async () => {
    const smtp = await startSmtp();
    const mailed = await createHarness({
      seed: false,
      config: {
        publicUrl: 'https://rappel.example.test',
        smtp: { url: smtp.url, from: 'Rappel <rappel@example.test>' },
      },
    });
    afterAll(() => smtp.close());
    const user = await mailed.addUser(null, []);
    const res = await mailed.anon.inject({
      method: 'POST',
      url: '/api/auth/password-reset',
      payload: { email: user.email, locale: 'en' },
    });
    expect(res.statusCode).toBe(202);
    while ((await mailed.app.jobs.runDue()) > 0);
    const [mail] = await smtp.waitFor(1);
    expect(smtp.envelopes[0]!.to).toEqual([user.email]);
    expect(mail!.subject).toBe('Choose a new Rappel password');
    // An account message: nothing to unsubscribe from.
    expect(mail!.headers.has('list-unsubscribe')).toBe(false);
    const url = mail!.text!.match(/https:\/\/rappel\.example\.test\/reset-password#[\w-]+/)?.[0];
    expect(url).toBeDefined();
    expect(mail!.html).toContain(`href="${url}"`);
    const token = tokenOf(url!);
    const done = await mailed.anon.inject({
      method: 'POST',
      url: '/api/auth/password-reset/confirm',
      payload: { token, password: NEW_PASSWORD },
    });
    expect(done.statusCode, done.body).toBe(200);
    expectError(await user.inject({ method: 'GET', url: '/api/me' }), 401);
    const login = await mailed.anon.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: user.email, password: NEW_PASSWORD },
    });
    expect(login.statusCode).toBe(200);
  });
});
