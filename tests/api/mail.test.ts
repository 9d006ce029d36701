import type { ParsedMail } from 'mailparser';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { jobs, outboxMessages } from '../../server/db/schema';
import { loadTokenSigner } from '../../server/lib/signed-tokens';
import { MINUTE } from '../helpers/clock';
import { createHarness, json } from '../helpers/harness';
import { startSmtp } from '../helpers/smtp';

const smtp = await startSmtp();
afterAll(() => smtp.close());
const FROM = 'Rappel <rappel@example.test>';
const APP = 'https://rappel.example.com';
const h = await createHarness({
  config: { publicUrl: APP, smtp: { url: smtp.url, from: FROM } },
});
const { a } = h.world;
let n = 0;
const newEmail = () => `mailed${++n}@example.test`;

/** Runs the queued jobs and waits for the server to have received `count` mails in all. */
async function deliver(count: number): Promise<ParsedMail> {
  await h.app.jobs.runDue();
  const all = await smtp.waitFor(count);
  return all[count - 1]!;
}

const linksOf = (html: string) => [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!);
/** A header as it came over the wire (mailparser turns some into objects). */
const header = (mail: ParsedMail, name: string) =>
  mail.headerLines
    .find((l) => l.key === name)
    ?.line.slice(name.length + 1)
    .trim();

async function messageRow(key: string) {
  const [row] = await h.db.select().from(outboxMessages).where(eq(outboxMessages.key, key));
  return row!;
}

describe('invitations by mail', () => {
  it('mails the invitation in the invitee’s language, with a link that opens the invitation', async () => {
    const admin = await h.addUser(a.id, ['admin'], 'Zoé <b>Martin</b>');
    const email = newEmail();
    const res = await admin.inject({
      method: 'POST',
      url: `/api/orgs/${a.id}/invitations`,
      payload: { email, locale: 'fr' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const created = json(res);
    expect(created.mailConfigured).toBe(true);

    const mail = await deliver(smtp.messages.length + 1);
    expect(smtp.envelopes.at(-1)!.to).toEqual([email]);
    expect(mail.to).toMatchObject({ value: [{ address: email }] });
    expect(mail.from!.value[0]).toMatchObject({ address: 'rappel@example.test', name: 'Rappel' });
    expect(mail.subject).toBe('Invitation à rejoindre Org A sur Rappel');

    // Both parts, in French, naming who invites and to what, with the link the inviter got.
    expect(mail.text).toContain('Zoé <b>Martin</b> vous invite à rejoindre Org A sur Rappel');
    expect(mail.text).toContain(created.link);
    expect(mail.text).toMatch(/valable jusqu’au \d+ \w+ 2026/);
    const html = mail.html as string;
    expect(html).toContain('<html lang="fr">');
    expect(html).toMatch(/<h1[^>]*>Rejoignez Org A sur Rappel<\/h1>/);
    // The inviter's name is text, never markup.
    expect(html).toContain('Zoé &lt;b&gt;Martin&lt;/b&gt;');
    expect(html).not.toContain('<b>Martin');
    // The button and the plain link next to it both lead to the invitation.
    expect(linksOf(html)).toEqual([created.link, created.link]);
    expect(html).toContain(`>${created.link}</a>`);
    expect(header(mail, 'list-unsubscribe')).toBeUndefined();

    // Followed through the API, the mailed link opens the invitation.
    const token = new URL(linksOf(html)[0]!).pathname.split('/invite/')[1]!;
    const preview = await h.anon.inject({ method: 'GET', url: `/api/invitations/${token}` });
    expect(preview.statusCode, preview.body).toBe(200);
    expect(json(preview)).toMatchObject({ orgName: 'Org A', email, locale: 'fr' });

    const row = await messageRow(`invitation:${created.invitation.id}`);
    expect(row).toMatchObject({ status: 'sent', attempts: 1, lastError: null, orgId: a.id });
    expect(row.sentAt).toEqual(h.clock.now());
  });

  it('speaks English to an English invitee, and a renewed invitation mails its new link', async () => {
    const email = newEmail();
    const created = json(
      await a.users.trainer.inject({
        method: 'POST',
        url: `/api/orgs/${a.id}/invitations`,
        payload: { email, locale: 'en' },
      }),
    );
    const first = await deliver(smtp.messages.length + 1);
    expect(first.subject).toBe('Invitation to join Org A on Rappel');
    expect(first.text).toContain(`${a.name} trainer invites you to join Org A on Rappel`);
    expect(first.html).toContain('<html lang="en">');

    const renewed = await a.users.admin.inject({
      method: 'POST',
      url: `/api/orgs/${a.id}/invitations/${created.invitation.id}/renew`,
    });
    expect(renewed.statusCode, renewed.body).toBe(200);
    const second = await deliver(smtp.messages.length + 1);
    expect(second.text).toContain(json(renewed).link);
    expect(second.text).not.toContain(created.link);
  });

  it('sends no mail for an invitation that is refused', async () => {
    const before = await h.db.select().from(outboxMessages);
    const res = await a.users.admin.inject({
      method: 'POST',
      url: `/api/orgs/${a.id}/invitations`,
      payload: { email: a.users.learner.email },
    });
    expect(res.statusCode).toBe(409);
    expect(await h.app.jobs.runDue()).toBe(0);
    expect(await h.db.select().from(outboxMessages)).toHaveLength(before.length);
  });
});

describe('reminders and account mail', () => {
  it('puts a one-click unsubscribe link and headers on a manual reminder, for that person only', async () => {
    const learner = a.users.learner;
    const added = await h.app.outbox.queue({
      orgId: a.id,
      userId: learner.id,
      to: learner.email,
      locale: 'en',
      kind: 'manual-reminder',
      key: `manual-reminder:test:${learner.id}`,
      params: { senderName: 'Org A manager', dueCount: 3, minutes: 4 },
    });
    expect(added).toBe(true);
    const mail = await deliver(smtp.messages.length + 1);
    expect(mail.subject).toBe('Org A manager reminds you of your refreshers');
    expect(mail.text).toContain('3 refreshers are waiting, about 4 min.');
    expect(mail.text).toContain(`Open Today: ${APP}/o/${a.id}`);

    const url = /^<(.+)>$/.exec(header(mail, 'list-unsubscribe') ?? '')?.[1] ?? '';
    expect(url).toMatch(new RegExp(`^${APP}/api/unsubscribe/[\\w-]+\\.[\\w-]+$`));
    expect(header(mail, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    // Both parts link to the page that asks first, with the header's token; it names this
    // learner and reminders only.
    const page = url.replace(`${APP}/api/unsubscribe/`, `${APP}/unsubscribe/`);
    expect(mail.text).toContain(page);
    expect(mail.text).not.toContain(url);
    expect(linksOf(mail.html as string)).toContain(page);
    const signer = await loadTokenSigner(h.db);
    expect(signer.verify(url.split('/').at(-1)!)).toEqual({ u: learner.id, k: 'reminders' });

    // The mail client's one-click POST (RFC 8058) to that address stops reminder mail.
    const path = new URL(url).pathname;
    const res = await h.anon.inject({
      method: 'POST',
      url: path,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: header(mail, 'list-unsubscribe-post')!,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(json(res)).toEqual({ kind: 'reminders', mail: false });
  });

  it('queues a message once per key', async () => {
    const entry = {
      orgId: a.id,
      userId: a.users.manager.id,
      to: a.users.manager.email,
      locale: 'fr' as const,
      kind: 'manual-reminder' as const,
      key: `manual-reminder:once:${a.users.manager.id}`,
      params: { senderName: 'Org A admin', dueCount: 1 },
    };
    expect(await h.app.outbox.queue(entry)).toBe(true);
    expect(await h.app.outbox.queue(entry)).toBe(false);
    const mail = await deliver(smtp.messages.length + 1);
    expect(mail.subject).toBe('Org A admin vous invite à faire vos rappels');
    expect(mail.text).toContain('1 rappel vous attend.');
    expect(await h.app.jobs.runDue()).toBe(0);
  });

  it('mails a password reset link valid 30 minutes, outside any organisation', async () => {
    const url = `${APP}/reset-password#${'k'.repeat(43)}`;
    const expiresAt = new Date(h.clock.now().getTime() + 30 * 60_000);
    await h.app.outbox.queue({
      orgId: null,
      userId: a.users.learner.id,
      to: a.users.learner.email,
      locale: 'fr',
      kind: 'password-reset',
      key: `password-reset:test:1`,
      params: { url, expiresAt },
    });
    const mail = await deliver(smtp.messages.length + 1);
    expect(mail.subject).toBe('Choisir un nouveau mot de passe Rappel');
    expect(mail.text).toContain('Il est valable 30 minutes');
    expect(mail.text).toContain(url);
    expect(linksOf(mail.html as string)).toEqual([url, url]);
    expect(mail.text).not.toContain('Org A');
    expect(header(mail, 'list-unsubscribe')).toBeUndefined();
  });
});

describe('headers that let a repeat be recognised', () => {
  it('dates a mail by the app’s clock and gives it an id of its own', async () => {
    h.clock.set('2026-03-03T07:15:00Z');
    const learner = a.users.learner;
    await h.app.outbox.queue({
      orgId: a.id,
      userId: learner.id,
      to: learner.email,
      locale: 'en',
      kind: 'manual-reminder',
      key: `manual-reminder:dated:${learner.id}`,
      params: { senderName: 'Org A manager', dueCount: 1 },
    });
    const mail = await deliver(smtp.messages.length + 1);
    expect(header(mail, 'date')).toBe('Tue, 03 Mar 2026 07:15:00 +0000');
    const row = await messageRow(`manual-reminder:dated:${learner.id}`);
    expect(mail.messageId).toBe(`<${row.id}@rappel.example.com>`);
  });

  it('sends the same Message-ID again when a crash came between the server’s yes and “sent”', async () => {
    const manager = a.users.manager;
    const key = `manual-reminder:twice:${manager.id}`;
    await h.app.outbox.queue({
      orgId: a.id,
      userId: manager.id,
      to: manager.email,
      locale: 'en',
      kind: 'manual-reminder',
      key,
      params: { senderName: 'Org A admin', dueCount: 2 },
    });
    const first = await deliver(smtp.messages.length + 1);
    const row = await messageRow(key);
    // What the crash leaves: the message not marked sent, its job still claimed by a dead process.
    await h.db
      .update(outboxMessages)
      .set({ status: 'queued', sentAt: null, attempts: 0 })
      .where(eq(outboxMessages.id, row.id));
    await h.db
      .update(jobs)
      .set({ status: 'running', lockedBy: 'gone', lockedUntil: h.clock.now() })
      .where(eq(jobs.key, `mail:${row.id}`));
    h.clock.advance(MINUTE);
    const second = await deliver(smtp.messages.length + 1);
    expect(second.text).toBe(first.text);
    expect(first.messageId).toBe(`<${row.id}@rappel.example.com>`);
    expect(second.messageId).toBe(first.messageId);
    expect(second.date).toEqual(h.clock.now());
    expect(await messageRow(key)).toMatchObject({ status: 'sent', attempts: 1 });
  });
});
