import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { jobs, outboxMessages } from '../../server/db/schema';
import {
  EXPIRED_LINKS_EVERY_MS,
  EXPIRED_LINKS_JOB,
  REMOVED_LINK,
} from '../../server/mail/expired-links';
import { DAY, HOUR, MINUTE } from '../helpers/clock';
import { createHarness, json, type UserFixture } from '../helpers/harness';

// No SMTP: each message ends `unsent`, rendered and readable by admins, as on many installs.
const h = await createHarness();
const { a } = h.world;
const MASK = '••••••••';

async function runJobs() {
  while ((await h.app.jobs.runDue()) > 0);
}

/** The recurring job's run at the clock's now (its slot, as the runner's tick enqueues it). */
async function removeExpired() {
  const slot = Math.floor(h.clock.now().getTime() / EXPIRED_LINKS_EVERY_MS);
  await h.app.jobs.enqueue({ name: EXPIRED_LINKS_JOB, key: `${EXPIRED_LINKS_JOB}:${slot}` });
  await runJobs();
}

/** Every row of the outbox and the job queue, as text: where a token could be left. */
async function stored() {
  const rows = [await h.db.select().from(outboxMessages), await h.db.select().from(jobs)];
  return JSON.stringify(rows);
}

const messageOf = async (id: string) =>
  (await h.db.select().from(outboxMessages).where(eq(outboxMessages.id, id)))[0]!;

/** A reminder for `user` in organisation A whose sign-in link carries `token`. */
function queueReminder(
  user: UserFixture,
  key: string,
  token: string,
  counts: { dueCount: number; minutes: number },
) {
  return h.app.outbox.queue({
    orgId: a.id,
    userId: user.id,
    to: user.email,
    locale: 'en',
    kind: 'reminder',
    key,
    params: { ...counts, signInUrl: `http://localhost/sign-in-link#${token}` },
  });
}

describe('links removed from the outbox once expired', () => {
  it('runs every few minutes on the job runner', () => {
    expect(h.app.jobs.recurringJobs()).toContainEqual({
      name: EXPIRED_LINKS_JOB,
      everyMs: EXPIRED_LINKS_EVERY_MS,
    });
  });

  it('keeps a reset link while it works and leaves no trace of its token once it expired', async () => {
    const user = await h.addUser(null, []);
    const asked = await h.anon.inject({
      method: 'POST',
      url: '/api/auth/password-reset',
      payload: { email: user.email, locale: 'fr' },
    });
    expect(asked.statusCode, asked.body).toBe(202);
    await runJobs();
    const [message] = await h.db
      .select()
      .from(outboxMessages)
      .where(eq(outboxMessages.toAddress, user.email));
    expect(message).toMatchObject({ status: 'unsent', locale: 'fr' });
    const url = String(message!.params.url);
    const token = new URL(url).hash.slice(1);
    expect(message!.textBody).toContain(url);
    expect(message!.htmlBody).toContain(token);

    // Still working 29 minutes later: nothing is removed, and the link opens its page.
    h.clock.advance(29 * MINUTE);
    await removeExpired();
    expect(await stored()).toContain(token);
    const check = () =>
      h.anon.inject({ method: 'POST', url: '/api/auth/password-reset/check', payload: { token } });
    expect((await check()).statusCode).toBe(200);

    // Past its 30 minutes, the next run removes it everywhere the message held it.
    h.clock.advance(EXPIRED_LINKS_EVERY_MS);
    expect((await check()).statusCode).toBe(410);
    await removeExpired();
    expect(await stored()).not.toContain(token);
    const removed = await messageOf(message!.id);
    expect(removed.params.url).toBe(REMOVED_LINK.fr);
    expect(removed.textBody).toContain(`Choisir un mot de passe\u00a0: ${REMOVED_LINK.fr}`);
    expect(removed.htmlBody).toContain(REMOVED_LINK.fr);
    expect(removed.subject).toBe(message!.subject);
    expect(removed.status).toBe('unsent');
  });

  it('shows admins a reminder whose sign-in link expired as a readable message', async () => {
    const learner = a.users.learner;
    const token = 'sIgNiN'.repeat(7);
    const key = `reminder:expiring:${learner.id}`;
    await queueReminder(learner, key, token, { dueCount: 2, minutes: 3 });
    await runJobs();
    const [message] = await h.db.select().from(outboxMessages).where(eq(outboxMessages.key, key));
    const detail = async () => {
      const res = await a.users.admin.inject({
        method: 'GET',
        url: `/api/orgs/${a.id}/outbox/${message!.id}`,
      });
      expect(res.statusCode, res.body).toBe(200);
      return json(res);
    };
    // While it works, admins see it masked.
    const live = await detail();
    expect(live.text).toContain(`http://localhost/sign-in-link#${MASK}`);
    expect(live.text).not.toContain(token);

    // A day later it is gone: the admin reads where the link was, and nothing is masked.
    h.clock.advance(DAY + EXPIRED_LINKS_EVERY_MS);
    await removeExpired();
    expect(await stored()).not.toContain(token);
    const expired = await detail();
    expect(expired).toMatchObject({ status: 'unsent', renderError: null });
    expect(expired.subject).toBe('2 refreshers today, about 3 min');
    expect(expired.text).toContain(`Do my refreshers: ${REMOVED_LINK.en}`);
    expect(expired.text).not.toContain(MASK);
    expect(expired.html).toContain(`>${REMOVED_LINK.en}</a>`);
    expect(expired.html).not.toContain(MASK);

    // Tried again, it is not sent with a link that no longer exists.
    const retry = await a.users.admin.inject({
      method: 'POST',
      url: `/api/orgs/${a.id}/outbox/${message!.id}/retry`,
    });
    expect(retry.statusCode, retry.body).toBe(200);
    await runJobs();
    expect(await messageOf(message!.id)).toMatchObject({
      status: 'failed',
      lastError: 'The link in this message expired before it could be sent.',
    });
  });

  it('removes links that expired while no run happened, for days', async () => {
    const learner = a.users.manager;
    const token = 'lOnGpAuSe'.repeat(5);
    const key = `reminder:paused:${learner.id}`;
    await queueReminder(learner, key, token, { dueCount: 1, minutes: 1 });
    await runJobs();
    await removeExpired();
    expect(await stored()).toContain(token);
    h.clock.advance(5 * DAY + 7 * HOUR);
    await removeExpired();
    expect(await stored()).not.toContain(token);
  });

  it('fails a message whose link expired before its first try instead of sending it', async () => {
    const learner = a.users.trainer;
    const key = `reminder:late:${learner.id}`;
    await queueReminder(learner, key, 'x'.repeat(43), { dueCount: 1, minutes: 1 });
    h.clock.advance(DAY);
    await runJobs();
    const [message] = await h.db.select().from(outboxMessages).where(eq(outboxMessages.key, key));
    expect(message).toMatchObject({
      status: 'failed',
      lastError: 'The link in this message expired before it could be sent.',
    });

    // Admins can still read what it would have said, its link gone.
    await removeExpired();
    const res = await a.users.admin.inject({
      method: 'GET',
      url: `/api/orgs/${a.id}/outbox/${message!.id}`,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(json(res)).toMatchObject({ status: 'failed', renderError: null });
    expect(json(res).text).toContain(`Do my refreshers: ${REMOVED_LINK.en}`);
  });
});
