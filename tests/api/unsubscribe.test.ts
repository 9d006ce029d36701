import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { outboxMessages } from '../../server/db/schema';
import { loadTokenSigner } from '../../server/lib/signed-tokens';
import { createHarness, expectError, json, type UserFixture } from '../helpers/harness';

const h = await createHarness();
const signer = await loadTokenSigner(h.db);
const url = (token: string) => `/api/unsubscribe/${token}`;
const tokenFor = (userId: string, kind: string) => signer.sign({ u: userId, k: kind });

/** Exactly what a mail provider sends for a one-click unsubscribe (RFC 8058 §3.1). */
const oneClick = (token: string) =>
  h.anon.inject({
    method: 'POST',
    url: url(token),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'List-Unsubscribe=One-Click',
  });

async function channels(user: UserFixture) {
  const res = await user.inject({ method: 'GET', url: '/api/me/notifications' });
  expect(res.statusCode, res.body).toBe(200);
  return json(res).channels;
}

describe('one-click unsubscribe', () => {
  it("turns off mail for the token's kind only, with the RFC 8058 form POST and no sign-in", async () => {
    const ann = await h.addUser(h.world.a.id, ['learner'], 'Ann');
    const token = tokenFor(ann.id, 'reminders');
    const before = await h.anon.inject({ method: 'GET', url: url(token) });
    expect(before.statusCode, before.body).toBe(200);
    expect(json(before)).toEqual({ kind: 'reminders', mail: true });

    const res = await oneClick(token);
    expect(res.statusCode, res.body).toBe(200);
    expect(json(res)).toEqual({ kind: 'reminders', mail: false });
    expect(await channels(ann)).toEqual({
      reminders: ['push', 'in-app'],
      'new-work': ['mail', 'push', 'in-app'],
      digest: ['mail'],
    });
    // Twice is the same as once.
    expect(json(await oneClick(token))).toEqual({ kind: 'reminders', mail: false });
    expect(json(await h.anon.inject({ method: 'GET', url: url(token) }))).toEqual({
      kind: 'reminders',
      mail: false,
    });
  });

  it("also takes the web page's empty and JSON bodies, a multipart form, and a provider's post from another site", async () => {
    const bob = await h.addUser(h.world.a.id, ['learner'], 'Bob');
    const empty = await h.anon.inject({ method: 'POST', url: url(tokenFor(bob.id, 'digest')) });
    expect(empty.statusCode, empty.body).toBe(200);
    const asJson = await h.anon.inject({
      method: 'POST',
      url: url(tokenFor(bob.id, 'new-work')),
      payload: {},
    });
    expect(asJson.statusCode, asJson.body).toBe(200);
    const multipart = await h.anon.inject({
      method: 'POST',
      url: url(tokenFor(bob.id, 'reminders')),
      headers: { 'content-type': 'multipart/form-data; boundary=b' },
      payload:
        '--b\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--b--\r\n',
    });
    expect(multipart.statusCode, multipart.body).toBe(200);
    expect(await channels(bob)).toEqual({
      reminders: ['push', 'in-app'],
      'new-work': ['push', 'in-app'],
      digest: [],
    });
    const cy = await h.addUser(h.world.a.id, ['learner'], 'Cy');
    const crossSite = await h.anon.inject({
      method: 'POST',
      url: url(tokenFor(cy.id, 'reminders')),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: 'https://mail.example.com',
        'sec-fetch-site': 'cross-site',
      },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(crossSite.statusCode, crossSite.body).toBe(200);
  });

  it('refuses forged and altered tokens, and changes no one', async () => {
    const dee = await h.addUser(h.world.a.id, ['learner'], 'Dee');
    const eve = await h.addUser(h.world.a.id, ['learner'], 'Eve');
    const good = tokenFor(dee.id, 'reminders');
    const [body, mac] = good.split('.');
    // Eve's payload under Dee's signature: the signature no longer matches.
    const [eveBody] = tokenFor(eve.id, 'reminders').split('.');
    const forged = [
      `${eveBody}.${mac}`,
      `${body}.${mac!.slice(0, -2)}AA`,
      `${Buffer.from(JSON.stringify({ u: eve.id, k: 'reminders' })).toString('base64url')}.x`,
      // Signed by this install but not a link it makes: an unknown kind, a bad or unknown user.
      tokenFor(eve.id, 'everything'),
      signer.sign({ u: 'not-a-uuid', k: 'reminders' }),
      tokenFor(randomUUID(), 'reminders'),
    ];
    for (const token of forged) {
      expectError(await oneClick(token), 404, 'NOT_FOUND');
      expectError(await h.anon.inject({ method: 'GET', url: url(token) }), 404, 'NOT_FOUND');
    }
    // Not even shaped like a link: refused in the one error shape before anything is read.
    for (const token of [body!, `${good}.extra`, `${good}/more`, `${'x'.repeat(300)}.y`]) {
      const res = await oneClick(token);
      expect([400, 404, 414], `${token}: ${res.statusCode}`).toContain(res.statusCode);
      expectError(res, res.statusCode);
    }
    for (const user of [dee, eve]) {
      expect((await channels(user)).reminders).toEqual(['mail', 'push', 'in-app']);
    }
  });

  it('cannot unsubscribe anyone else: a token for A leaves B unchanged, even when B is signed in', async () => {
    const a = await h.addUser(h.world.a.id, ['learner'], 'Al');
    const b = await h.addUser(h.world.a.id, ['learner'], 'Bea');
    const res = await b.inject({
      method: 'POST',
      url: url(tokenFor(a.id, 'reminders')),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect((await channels(a)).reminders).toEqual(['push', 'in-app']);
    expect((await channels(b)).reminders).toEqual(['mail', 'push', 'in-app']);
  });

  it('sends a browser that follows the link to the page with the button; a GET changes nothing', async () => {
    const fay = await h.addUser(h.world.a.id, ['learner'], 'Fay');
    const token = tokenFor(fay.id, 'reminders');
    const res = await h.anon.inject({
      method: 'GET',
      url: url(token),
      headers: { accept: 'text/html,application/xhtml+xml' },
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/unsubscribe/${token}`);
    expect((await channels(fay)).reminders).toContain('mail');
  });

  it("works with the link of a real queued mail's List-Unsubscribe header", async () => {
    const gus = await h.addUser(h.world.a.id, ['learner'], 'Gus');
    await h.app.notifier.notify({
      orgId: h.world.a.id,
      userId: gus.id,
      kind: 'manual-reminder',
      key: `unsubscribe-test:${gus.id}`,
      params: { senderName: 'Mo', dueCount: 2, minutes: 1 },
      link: `/o/${h.world.a.id}`,
    });
    await h.app.jobs.runDue();
    const [row] = await h.db.select().from(outboxMessages).where(eq(outboxMessages.userId, gus.id));
    const rendered = await h.app.outbox.render(row!);
    expect(rendered.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    const link = new URL(/^<(.+)>$/.exec(rendered.headers['List-Unsubscribe']!)![1]!);
    const res = await oneClick(link.pathname.slice('/api/unsubscribe/'.length));
    expect(json(res)).toEqual({ kind: 'reminders', mail: false });
    expect((await channels(gus)).reminders).toEqual(['push', 'in-app']);
  });
});
