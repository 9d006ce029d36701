import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { outboxMessages } from '../../server/db/schema';
import { maskLink } from '../../server/mail/admin';
import { checkRoute, createHarness, expectError, json, type OrgFixture } from '../helpers/harness';

// No SMTP: what the embedded default install does.
const h = await createHarness({ config: { publicUrl: 'https://rappel.example.com' } });
const { a, b } = h.world;
let n = 0;

async function invite(org: OrgFixture, locale: 'fr' | 'en' = 'en') {
  const res = await org.users.admin.inject({
    method: 'POST',
    url: `/api/orgs/${org.id}/invitations`,
    payload: { email: `outbox${++n}@example.test`, locale },
  });
  expect(res.statusCode, res.body).toBe(201);
  const created = json(res);
  const [m] = await h.db
    .select()
    .from(outboxMessages)
    .where(eq(outboxMessages.key, `invitation:${created.invitation.id}`));
  return { ...created, messageId: m!.id as string };
}

const outboxUrl = (org: OrgFixture, rest = '') => `/api/orgs/${org.id}/outbox${rest}`;

describe('the outbox without SMTP', () => {
  it('keeps every message unsent and readable: what Rappel would have sent', async () => {
    const created = await invite(a, 'fr');
    expect(created.mailConfigured).toBe(false);
    expect(await h.app.jobs.runDue()).toBe(1);

    const list = json(await a.users.admin.inject({ method: 'GET', url: outboxUrl(a) }));
    expect(list.mailConfigured).toBe(false);
    expect(list.items[0]).toMatchObject({
      id: created.messageId,
      kind: 'invitation',
      status: 'unsent',
      to: created.invitation.email,
      locale: 'fr',
      subject: 'Invitation à rejoindre Org A sur Rappel',
      attempts: 0,
      lastError: null,
      sentAt: null,
    });

    const res = await a.users.admin.inject({
      method: 'GET',
      url: outboxUrl(a, `/${created.messageId}`),
    });
    expect(res.statusCode, res.body).toBe(200);
    const detail = json(res);
    expect(detail.text).toContain(created.link);
    expect(detail.html).toContain('<html lang="fr">');
    expect(detail.html).toContain(`href="${created.link}"`);
    expect(detail.renderError).toBeNull();
    expect(detail.headers).toEqual({});
  });

  it('shows a message not yet sent as it will be', async () => {
    const created = await invite(a);
    const res = await a.users.admin.inject({
      method: 'GET',
      url: outboxUrl(a, `/${created.messageId}`),
    });
    expect(json(res)).toMatchObject({
      status: 'queued',
      subject: 'Invitation to join Org A on Rappel',
      text: expect.stringContaining(created.link),
    });
    await h.app.jobs.runDue();
  });

  it('lets admins only read and retry, each in their own organisation', async () => {
    const inA = await invite(a);
    const inB = await invite(b);
    await h.app.jobs.runDue();
    await checkRoute(h, {
      request: () => ({ method: 'GET', url: outboxUrl(a) }),
      allow: ['admin'],
      status: 200,
      badInput: (org) => ({ method: 'GET', url: outboxUrl(org, '?status=lost') }),
    });
    await checkRoute(h, {
      request: (org, owner) => ({
        method: 'GET',
        url: outboxUrl(org, `/${owner === org ? inA.messageId : inB.messageId}`),
      }),
      allow: ['admin'],
      status: 200,
      objectInPath: true,
      badInput: (org) => ({ method: 'GET', url: outboxUrl(org, '/not-an-id') }),
    });
    await checkRoute(h, {
      request: async (org, owner) => {
        const fresh = await invite(owner);
        await h.app.jobs.runDue();
        return { method: 'POST', url: outboxUrl(org, `/${fresh.messageId}/retry`) };
      },
      allow: ['admin'],
      status: 200,
      objectInPath: true,
      badInput: (org) => ({ method: 'POST', url: outboxUrl(org, '/not-an-id/retry') }),
    });
    const listB = json(await b.users.admin.inject({ method: 'GET', url: outboxUrl(b) }));
    const ids = listB.items.map((m: { id: string }) => m.id);
    expect(ids).toContain(inB.messageId);
    expect(ids).not.toContain(inA.messageId);
  });

  it('retries an unsent message (it stays unsent while no SMTP is set up)', async () => {
    const created = await invite(a);
    await h.app.jobs.runDue();
    const url = outboxUrl(a, `/${created.messageId}/retry`);
    const res = await a.users.admin.inject({ method: 'POST', url });
    expect(json(res)).toMatchObject({ status: 'queued' });
    expectError(await a.users.admin.inject({ method: 'POST', url }), 409);
    expect(await h.app.jobs.runDue()).toBe(1);
    const detail = json(
      await a.users.admin.inject({ method: 'GET', url: outboxUrl(a, `/${created.messageId}`) }),
    );
    expect(detail.status).toBe('unsent');
  });

  it('filters by status and kind, newest first, page by page', async () => {
    for (let i = 0; i < 3; i++) {
      await invite(b);
      h.clock.advance(1000);
    }
    await h.app.jobs.runDue();
    const all = json(await b.users.admin.inject({ method: 'GET', url: outboxUrl(b) })).items;
    const first = json(
      await b.users.admin.inject({ method: 'GET', url: outboxUrl(b, '?limit=2') }),
    );
    expect(first.items).toEqual(all.slice(0, 2));
    const second = json(
      await b.users.admin.inject({
        method: 'GET',
        url: outboxUrl(b, `?limit=2&before=${first.nextBefore}`),
      }),
    );
    expect(second.items).toEqual(all.slice(2, 4));
    const times = all.map((m: { createdAt: string }) => Date.parse(m.createdAt));
    expect(times).toEqual([...times].sort((x, y) => y - x));

    const unsent = json(
      await b.users.admin.inject({
        method: 'GET',
        url: outboxUrl(b, '?status=unsent&kind=invitation'),
      }),
    );
    expect(unsent.items.length).toBe(all.length);
    const failed = json(
      await b.users.admin.inject({ method: 'GET', url: outboxUrl(b, '?status=failed') }),
    );
    expect(failed.items).toEqual([]);
    const digests = json(
      await b.users.admin.inject({ method: 'GET', url: outboxUrl(b, '?kind=digest') }),
    );
    expect(digests).toMatchObject({ items: [], nextBefore: null });
  });

  it('masks links that reset a password when an admin reads the message', async () => {
    const token = 'Zx9_secret-token-of-43-characters-abcdefghi';
    const url = `https://rappel.example.com/reset-password#${token}`;
    await h.app.outbox.queue({
      orgId: a.id,
      userId: a.users.learner.id,
      to: a.users.learner.email,
      locale: 'en',
      kind: 'password-reset',
      key: 'password-reset:masked',
      params: { url, expiresAt: new Date(h.clock.now().getTime() + 30 * 60_000) },
    });
    await h.app.jobs.runDue();
    const [m] = await h.db
      .select()
      .from(outboxMessages)
      .where(eq(outboxMessages.key, 'password-reset:masked'));
    const detail = json(
      await a.users.admin.inject({ method: 'GET', url: outboxUrl(a, `/${m!.id}`) }),
    );
    const shown = JSON.stringify(detail);
    expect(shown).not.toContain(token);
    expect(detail.text).toContain('https://rappel.example.com/reset-password#••••••••');
    expect(detail.html).toContain('href="https://rappel.example.com/reset-password#••••••••"');
    // What leaves by mail keeps the real link.
    expect(m!.textBody).toContain(url);
  });

  it('keeps a message that cannot be written as a failure with its reason', async () => {
    await h.app.outbox.queue({
      orgId: a.id,
      userId: a.users.learner.id,
      to: a.users.learner.email,
      locale: 'en',
      kind: 'manual-reminder',
      key: 'manual-reminder:broken',
      params: { dueCount: 'many' },
    });
    await h.app.jobs.runDue();
    const [m] = await h.db
      .select()
      .from(outboxMessages)
      .where(eq(outboxMessages.key, 'manual-reminder:broken'));
    expect(m).toMatchObject({ status: 'retrying', attempts: 1 });
    expect(m!.lastError).toMatch(/params do not fit its template/);
    const res = await a.users.admin.inject({ method: 'GET', url: outboxUrl(a, `/${m!.id}`) });
    expect(json(res)).toMatchObject({
      status: 'retrying',
      text: null,
      html: null,
      renderError: expect.stringMatching(/senderName/),
    });
  });

  it('masks the token of any link, whatever its shape', () => {
    expect(maskLink('https://x.test/sign-in-link#abcdefghijklmnopqrstuvwxyz')).toBe(
      'https://x.test/sign-in-link#••••••••',
    );
    expect(maskLink('https://x.test/a/abcdefghijklmnop1234?x=1')).toBe(
      'https://x.test/a/••••••••?x=1',
    );
    expect(maskLink('short')).toBe('••••••••');
  });
});
