import type { ParsedMail } from 'mailparser';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { notifications, outboxMessages } from '../../server/db/schema';
import { createHarness, json, type UserFixture } from '../helpers/harness';
import { startSmtp } from '../helpers/smtp';

const smtp = await startSmtp();
afterAll(() => smtp.close());
const APP = 'https://rappel.example.com';
const h = await createHarness({
  config: { publicUrl: APP, smtp: { url: smtp.url, from: 'Rappel <rappel@example.test>' } },
});
const { a } = h.world;

async function deliver(count: number): Promise<ParsedMail> {
  await h.app.jobs.runDue();
  return (await smtp.waitFor(count))[count - 1]!;
}

/** A header as it came over the wire (mailparser turns some into objects). */
const header = (mail: ParsedMail, name: string) =>
  mail.headerLines
    .find((l) => l.key === name)
    ?.line.slice(name.length + 1)
    .trim();

const remind = (learner: UserFixture) =>
  a.users.admin.inject({
    method: 'POST',
    url: `/api/orgs/${a.id}/dashboards/learners/${learner.id}/reminders`,
  });

async function bell(user: UserFixture) {
  const res = await user.inject({ method: 'GET', url: `/api/orgs/${a.id}/notifications` });
  expect(res.statusCode, res.body).toBe(200);
  return json(res);
}

describe('a manual reminder', () => {
  it('reaches the learner in the app and by real mail, with a one-click unsubscribe that works', async () => {
    const ann = await h.addUser(a.id, ['learner'], 'Ann');
    const res = await remind(ann);
    expect(res.statusCode, res.body).toBe(201);

    const list = await bell(ann);
    expect(list.unreadCount).toBe(1);
    expect(list.items[0]).toMatchObject({
      kind: 'manual-reminder',
      params: { senderName: 'Org A admin', dueCount: 0 },
      link: `/o/${a.id}`,
      readAt: null,
    });

    const mail = await deliver(smtp.messages.length + 1);
    expect(smtp.envelopes.at(-1)!.to).toEqual([ann.email]);
    expect(mail.subject).toBe('Org A admin reminds you of your refreshers');
    expect(mail.text).toContain('Org A admin (Org A) sent you a reminder.');
    expect(mail.html).toContain(`${APP}/o/${a.id}`);
    expect(header(mail, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    const link = /^<(.+)>$/.exec(header(mail, 'list-unsubscribe')!)![1]!;
    expect(link.startsWith(`${APP}/api/unsubscribe/`)).toBe(true);

    // What a mail provider does with it (RFC 8058): a form POST, no cookie.
    const off = await h.anon.inject({
      method: 'POST',
      url: new URL(link).pathname,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(off.statusCode, off.body).toBe(200);
    const prefs = json(await ann.inject({ method: 'GET', url: '/api/me/notifications' }));
    expect(prefs.channels.reminders).toEqual(['push', 'in-app']);

    // The next day's reminder: no mail any more, and still the note in the app.
    h.clock.advance(24 * 60 * 60 * 1000);
    const before = smtp.messages.length;
    expect((await remind(ann)).statusCode).toBe(201);
    await h.app.jobs.runDue();
    expect(smtp.messages.length).toBe(before);
    expect((await bell(ann)).unreadCount).toBe(2);
    const mails = await h.db.select().from(outboxMessages).where(eq(outboxMessages.userId, ann.id));
    expect(mails).toHaveLength(1);
  });

  it('comes in the learner’s language', async () => {
    const zoe = await h.addUser(a.id, ['learner'], 'Zoé');
    await zoe.inject({ method: 'PATCH', url: '/api/me', payload: { locale: 'fr' } });
    expect((await remind(zoe)).statusCode).toBe(201);
    const mail = await deliver(smtp.messages.length + 1);
    expect(smtp.envelopes.at(-1)!.to).toEqual([zoe.email]);
    expect(mail.subject).toBe('Org A admin vous invite à faire vos rappels');
    const [row] = await h.db.select().from(notifications).where(eq(notifications.userId, zoe.id));
    expect(row!.kind).toBe('manual-reminder');
  });
});
