import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { jobs, outboxMessages } from '../../server/db/schema';
import type { Mailer } from '../../server/mail/mailer';
import { createOutbox, MAIL_JOB, MAIL_MAX_ATTEMPTS } from '../../server/mail/outbox';
import { loadTokenSigner } from '../../server/lib/signed-tokens';
import { createReminderMailsJob } from '../../server/outreach/reminder-mails';
import { REMINDER_MAILS_JOB } from '../../server/outreach/reminders-sql';
import { HOUR, MINUTE } from '../helpers/clock';
import { createHarness, expectError, type Harness, json } from '../helpers/harness';
import { gate, testRunner } from '../helpers/jobs';
import { freePort } from '../helpers/server-spawn';
import { startSmtp } from '../helpers/smtp';

const smtp = await startSmtp({ reject: { code: 550, message: 'No such mailbox here' } });
afterAll(() => smtp.close());
const FROM = 'rappel@example.test';
const h = await createHarness({ config: { smtp: { url: smtp.url, from: FROM } } });
const { a, b } = h.world;

const row = async (harness: Harness, id: string) =>
  (await harness.db.select().from(outboxMessages).where(eq(outboxMessages.id, id)))[0]!;

/** Queues an invitation (its mail) in org A of `harness`; answers the outbox message's id. */
async function invite(harness: Harness, email: string) {
  const res = await harness.world.a.users.admin.inject({
    method: 'POST',
    url: `/api/orgs/${harness.world.a.id}/invitations`,
    payload: { email },
  });
  expect(res.statusCode, res.body).toBe(201);
  const key = `invitation:${json(res).invitation.id}`;
  const [m] = await harness.db.select().from(outboxMessages).where(eq(outboxMessages.key, key));
  return m!.id;
}

/** Every try the runner makes, the clock moved past each back-off; the statuses seen after each. */
async function runAllTries(harness: Harness, id: string) {
  const seen: { status: string; attempts: number; lastError: string | null }[] = [];
  for (let i = 0; i < MAIL_MAX_ATTEMPTS; i++) {
    expect(await harness.app.jobs.runDue()).toBe(1);
    const { status, attempts, lastError } = await row(harness, id);
    seen.push({ status, attempts, lastError });
    harness.clock.advance(HOUR);
  }
  expect(await harness.app.jobs.runDue()).toBe(0);
  return seen;
}

describe('delivery failures', () => {
  it('retries a refused message, then marks it failed with the server’s reason', async () => {
    const id = await invite(h, 'refused@example.test');
    const seen = await runAllTries(h, id);
    expect(seen.map((s) => s.status)).toEqual([
      'retrying',
      'retrying',
      'retrying',
      'retrying',
      'failed',
    ]);
    expect(seen.map((s) => s.attempts)).toEqual([1, 2, 3, 4, 5]);
    for (const s of seen) expect(s.lastError).toMatch(/550.*No such mailbox here/);
    expect(smtp.messages).toHaveLength(0);

    // Admins see the failure and its reason, filtered by status.
    const list = await a.users.admin.inject({
      method: 'GET',
      url: `/api/orgs/${a.id}/outbox?status=failed`,
    });
    expect(list.statusCode, list.body).toBe(200);
    expect(json(list).items).toEqual([
      expect.objectContaining({
        id,
        status: 'failed',
        kind: 'invitation',
        to: 'refused@example.test',
        attempts: 5,
        lastError: expect.stringMatching(/No such mailbox here/),
      }),
    ]);
    expect(json(list).mailConfigured).toBe(true);
  });

  it('says when the next try is while retrying', async () => {
    const id = await invite(h, 'later@example.test');
    await h.app.jobs.runDue();
    const m = await row(h, id);
    expect(m.status).toBe('retrying');
    expect(m.nextAttemptAt!.getTime()).toBeGreaterThan(h.clock.now().getTime());
    const [job] = await h.db
      .select()
      .from(jobs)
      .where(eq(jobs.key, `mail:${id}`));
    expect(job!.runAt).toEqual(m.nextAttemptAt);
    const retry = await a.users.admin.inject({
      method: 'POST',
      url: `/api/orgs/${a.id}/outbox/${id}/retry`,
    });
    expectError(retry, 409);
    // Let it fail for good, for the next test's retry.
    for (let i = 1; i < MAIL_MAX_ATTEMPTS; i++) {
      h.clock.advance(HOUR);
      await h.app.jobs.runDue();
    }
    expect((await row(h, id)).status).toBe('failed');
  });

  it('sends a failed message once an admin retries it and the server accepts', async () => {
    const [failed] = await h.db
      .select()
      .from(outboxMessages)
      .where(eq(outboxMessages.toAddress, 'refused@example.test'));
    smtp.setReject(undefined);
    const url = `/api/orgs/${a.id}/outbox/${failed!.id}/retry`;
    // Another organisation's admin cannot see it, let alone retry it.
    expectError(await b.users.admin.inject({ method: 'POST', url }), 404);
    expectError(await a.users.trainer.inject({ method: 'POST', url }), 403);
    const res = await a.users.admin.inject({ method: 'POST', url });
    expect(res.statusCode, res.body).toBe(200);
    expect(json(res)).toMatchObject({ status: 'queued', lastError: null, attempts: 5 });
    expect(await h.app.jobs.runDue()).toBe(1);
    const [mail] = await smtp.waitFor(1);
    expect(mail!.to).toMatchObject({ value: [{ address: 'refused@example.test' }] });
    expect(await row(h, failed!.id)).toMatchObject({
      status: 'sent',
      attempts: 6,
      lastError: null,
    });
    // Sent: nothing more to retry.
    expectError(await a.users.admin.inject({ method: 'POST', url }), 409);
  });

  it('retries when nothing listens on the SMTP port, then fails with the reason', async () => {
    const port = await freePort();
    const closed = await createHarness({
      config: { smtp: { url: `smtp://127.0.0.1:${port}`, from: FROM } },
    });
    const id = await invite(closed, 'nobody-listens@example.test');
    const seen = await runAllTries(closed, id);
    expect(seen.at(0)!.status).toBe('retrying');
    expect(seen.at(-1)).toMatchObject({ status: 'failed', attempts: MAIL_MAX_ATTEMPTS });
    expect(seen.at(-1)!.lastError).toMatch(/ECONNREFUSED/);
    await closed.close();
  });
});

/**
 * Another process's runner and outbox, whose SMTP conversation hangs once a send starts
 * (`sending` opens) until the test kills it (`killed`): the send then fails.
 */
function doomedProcess() {
  const doomed = testRunner(h.db, h.clock);
  const sending = gate();
  const killed = gate();
  const hanging: Mailer = {
    async send() {
      sending.open();
      await killed.promise;
      throw new Error('Connection closed');
    },
    close() {},
  };
  const outbox = createOutbox({
    db: h.db,
    clock: h.clock,
    jobs: doomed,
    mailer: hanging,
    appUrl: 'http://localhost',
    signer: () => loadTokenSigner(h.db),
  });
  return { doomed, outbox, sending, killed };
}

describe('deliveries that never finish', () => {
  it('marks a message failed when the process sending its last try died, instead of leaving it retrying', async () => {
    smtp.setReject({ code: 550, message: 'No such mailbox here' });
    const id = await invite(h, 'dies@example.test');
    for (let i = 1; i < MAIL_MAX_ATTEMPTS; i++) {
      expect(await h.app.jobs.runDue()).toBe(1);
      h.clock.advance(HOUR);
    }
    expect(await row(h, id)).toMatchObject({ status: 'retrying', attempts: 4 });

    // The last try runs in another process, whose SMTP conversation hangs until it is killed.
    const { doomed, outbox, sending, killed } = doomedProcess();
    doomed.define(MAIL_JOB, (job) => outbox.deliver(job));
    const abandoned = doomed.runDue();
    await sending.promise;

    // Its lease runs out; the surviving instance finds the job it can no longer try.
    h.clock.advance(MINUTE);
    expect(await h.app.jobs.runDue()).toBe(1);
    const failed = await row(h, id);
    expect(failed).toMatchObject({
      status: 'failed',
      nextAttemptAt: null,
      lastError: 'the process running it stopped before it finished',
    });
    const list = await a.users.admin.inject({
      method: 'GET',
      url: `/api/orgs/${a.id}/outbox?status=failed`,
    });
    expect(json(list).items.map((m: { id: string }) => m.id)).toContain(id);

    // The dead try coming back to life does not make it `retrying` again with no try planned.
    killed.open();
    await abandoned;
    expect(await row(h, id)).toMatchObject({ status: 'failed', nextAttemptAt: null });
    // Failed, it can be tried again like any other.
    smtp.setReject(undefined);
    const retry = await a.users.admin.inject({
      method: 'POST',
      url: `/api/orgs/${a.id}/outbox/${id}/retry`,
    });
    expect(retry.statusCode, retry.body).toBe(200);
    expect(await h.app.jobs.runDue()).toBe(1);
    expect((await row(h, id)).status).toBe('sent');
  });

  it('marks a reminder of a batch failed once its own tries ran out', async () => {
    smtp.setReject({ code: 550, message: 'No such mailbox here' });
    const learner = a.users.learner;
    // As the reminders' producer writes them: the message, and one job for its batch.
    const [message] = await h.db
      .insert(outboxMessages)
      .values({
        orgId: a.id,
        userId: learner.id,
        toAddress: 'batch@example.test',
        locale: 'en',
        kind: 'reminder',
        key: `reminder:test:${learner.id}`,
        params: { dueCount: 2, minutes: 3, link: `/o/${a.id}` },
        createdAt: h.clock.now(),
      })
      .returning();
    await h.app.jobs.enqueue({
      name: REMINDER_MAILS_JOB,
      key: `${REMINDER_MAILS_JOB}:test`,
      payload: { messageIds: [message!.id] },
    });
    const statuses: string[] = [];
    for (let i = 0; i < MAIL_MAX_ATTEMPTS; i++) {
      expect(await h.app.jobs.runDue()).toBe(1);
      statuses.push((await row(h, message!.id)).status);
      h.clock.advance(HOUR);
    }
    expect(await h.app.jobs.runDue()).toBe(0);
    expect(statuses).toEqual(['retrying', 'retrying', 'retrying', 'retrying', 'failed']);
    expect(await row(h, message!.id)).toMatchObject({
      attempts: MAIL_MAX_ATTEMPTS,
      nextAttemptAt: null,
      lastError: expect.stringMatching(/No such mailbox here/),
    });
  });
  it('gives each reminder of a batch its own job when the batch died on its last try, so none stays queued', async () => {
    smtp.setReject(undefined);
    const learner = a.users.learner;
    const messages = await h.db
      .insert(outboxMessages)
      .values(
        ['first', 'second'].map((which) => ({
          orgId: a.id,
          userId: learner.id,
          toAddress: `${which}-of-batch@example.test`,
          locale: 'en' as const,
          kind: 'reminder' as const,
          key: `reminder:dies:${which}`,
          params: { dueCount: 2, minutes: 3, link: `/o/${a.id}` },
          createdAt: h.clock.now(),
        })),
      )
      .returning();
    const ids = messages.map((m) => m.id);
    await h.app.jobs.enqueue({
      name: REMINDER_MAILS_JOB,
      key: `${REMINDER_MAILS_JOB}:dies`,
      orgId: a.id,
      payload: { messageIds: ids },
      maxAttempts: 1,
    });

    // Its only try runs in a process whose SMTP conversation hangs on the first message.
    const { doomed, outbox, sending, killed } = doomedProcess();
    const batch = createReminderMailsJob({ outbox, jobs: doomed, clock: h.clock });
    doomed.define(REMINDER_MAILS_JOB, batch.handler, batch.options);
    const abandoned = doomed.runDue();
    await sending.promise;

    // Its lease runs out: the surviving instance gives the batch up, each message gets a job.
    h.clock.advance(MINUTE);
    while ((await h.app.jobs.runDue()) > 0);
    const [batchJob] = await h.db
      .select()
      .from(jobs)
      .where(eq(jobs.key, `${REMINDER_MAILS_JOB}:dies`));
    expect(batchJob).toMatchObject({ status: 'failed' });
    for (const id of ids) expect((await row(h, id)).status).toBe('sent');
    const delivered = smtp.envelopes.flatMap((e) => e.to);
    expect(delivered).toEqual(
      expect.arrayContaining(['first-of-batch@example.test', 'second-of-batch@example.test']),
    );

    // The dead try coming back does not undo it.
    killed.open();
    await abandoned;
    for (const id of ids) expect((await row(h, id)).status).toBe('sent');
  });
});
