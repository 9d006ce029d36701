import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  jobs,
  memberships,
  notifications,
  outboxMessages,
  pushSubscriptions,
} from '../../server/db/schema';
import type { NotifyRequest } from '../../server/notify/types';
import { MINUTE } from '../helpers/clock';
import {
  ALL_ROLES,
  checkRoute,
  createHarness,
  expectError,
  json,
  type OrgFixture,
  type UserFixture,
} from '../helpers/harness';

const h = await createHarness();
const listUrl = (org: OrgFixture, query = '') => `/api/orgs/${org.id}/notifications${query}`;
const readUrl = (org: OrgFixture, id: string) => `/api/orgs/${org.id}/notifications/${id}/read`;
const readAllUrl = (org: OrgFixture) => `/api/orgs/${org.id}/notifications/read-all`;

let n = 0;
/** A notification for `user` in `org`, with a fresh key unless one is given. */
function request(org: OrgFixture, user: { id: string }, over: Partial<NotifyRequest> = {}) {
  return {
    orgId: org.id,
    userId: user.id,
    kind: 'reminder',
    key: `test:${++n}:${randomUUID()}`,
    params: { dueCount: 3, minutes: 2 },
    link: `/o/${org.id}`,
    ...over,
  } satisfies NotifyRequest;
}

async function deliveries(key: string) {
  const [inApp, mail, push] = await Promise.all([
    h.db.select().from(notifications).where(eq(notifications.key, key)),
    h.db.select().from(outboxMessages).where(eq(outboxMessages.key, key)),
    h.db
      .select()
      .from(jobs)
      .where(eq(jobs.key, `push:${key}`)),
  ]);
  return { inApp, mail, push };
}

async function setChannels(user: UserFixture, channels: Record<string, string[]>) {
  const res = await user.inject({
    method: 'PUT',
    url: '/api/me/notifications',
    payload: { channels },
  });
  expect(res.statusCode, res.body).toBe(200);
}

async function subscribePush(userId: string) {
  await h.db.insert(pushSubscriptions).values({
    userId,
    endpoint: `http://127.0.0.1:9/${randomUUID()}`,
    p256dh: 'p',
    auth: 'a',
    createdAt: h.clock.now(),
  });
}

async function list(user: UserFixture, org: OrgFixture, query = '') {
  const res = await user.inject({ method: 'GET', url: listUrl(org, query) });
  expect(res.statusCode, res.body).toBe(200);
  return json(res);
}

describe('the notifier', () => {
  it('delivers on the default channels: in app and mail; push only to a subscribed device', async () => {
    const a = h.world.a;
    const ann = await h.addUser(a.id, ['learner'], 'Ann');
    const first = request(a, ann);
    await h.app.notifier.notify(first);
    const got = await deliveries(first.key);
    expect(got.inApp).toEqual([
      expect.objectContaining({ userId: ann.id, orgId: a.id, kind: 'reminder', readAt: null }),
    ]);
    expect(got.mail).toEqual([
      expect.objectContaining({ userId: ann.id, toAddress: ann.email, kind: 'reminder' }),
    ]);
    // Push is on by default, but Ann has no device yet: there is nowhere to push to.
    expect(got.push).toEqual([]);

    await subscribePush(ann.id);
    const second = request(a, ann);
    await h.app.notifier.notify(second);
    const pushed = (await deliveries(second.key)).push;
    expect(pushed).toEqual([
      expect.objectContaining({
        name: 'push',
        orgId: a.id,
        payload: {
          userId: ann.id,
          orgId: a.id,
          kind: 'reminder',
          params: second.params,
          link: second.link,
        },
      }),
    ]);
  });

  it('honours the channels: mail off, in-app off, push off; digest is mail only by default', async () => {
    const a = h.world.a;
    const bob = await h.addUser(a.id, ['learner'], 'Bob');
    await subscribePush(bob.id);

    await setChannels(bob, { reminders: ['in-app', 'push'] });
    const noMail = request(a, bob);
    await h.app.notifier.notify(noMail);
    let got = await deliveries(noMail.key);
    expect([got.inApp.length, got.mail.length, got.push.length]).toEqual([1, 0, 1]);

    await setChannels(bob, { reminders: ['mail'] });
    const mailOnly = request(a, bob);
    await h.app.notifier.notify(mailOnly);
    got = await deliveries(mailOnly.key);
    expect([got.inApp.length, got.mail.length, got.push.length]).toEqual([0, 1, 0]);

    // Another kind keeps its own channels (new work: the defaults).
    const work = request(a, bob, { kind: 'new-work', params: { moduleTitles: ['Close'] } });
    await h.app.notifier.notify(work);
    got = await deliveries(work.key);
    expect([got.inApp.length, got.mail.length, got.push.length]).toEqual([1, 1, 1]);

    const digest = request(a, bob, { kind: 'digest' });
    await h.app.notifier.notify(digest);
    got = await deliveries(digest.key);
    expect([got.inApp.length, got.mail.length, got.push.length]).toEqual([0, 1, 0]);

    await setChannels(bob, { reminders: [] });
    const nothing = request(a, bob);
    await h.app.notifier.notify(nothing);
    got = await deliveries(nothing.key);
    expect([got.inApp.length, got.mail.length, got.push.length]).toEqual([0, 0, 0]);
  });

  it('always shows a manual reminder in the app, whatever the channels', async () => {
    const a = h.world.a;
    const cy = await h.addUser(a.id, ['learner'], 'Cy');
    await setChannels(cy, { reminders: [] });
    const nudge = request(a, cy, { kind: 'manual-reminder', params: { senderName: 'Mo' } });
    await h.app.notifier.notify(nudge);
    const got = await deliveries(nudge.key);
    expect([got.inApp.length, got.mail.length, got.push.length]).toEqual([1, 0, 0]);
  });

  it('is idempotent per key on every channel', async () => {
    const a = h.world.a;
    const dee = await h.addUser(a.id, ['learner'], 'Dee');
    await subscribePush(dee.id);
    const once = request(a, dee);
    await h.app.notifier.notify(once);
    await h.app.notifier.notify(once);
    await h.db.transaction((tx) => h.app.notifier.notify(once, tx));
    const got = await deliveries(once.key);
    expect([got.inApp.length, got.mail.length, got.push.length]).toEqual([1, 1, 1]);
  });

  it('tells nothing to someone outside the organisation or deactivated, nor when the change rolls back', async () => {
    const a = h.world.a;
    const b = h.world.b;
    const outsider = request(a, b.users.learner);
    await h.app.notifier.notify(outsider);
    const gone = await h.addUser(a.id, ['learner'], 'Gone');
    await h.db
      .update(memberships)
      .set({ deactivatedAt: h.clock.now() })
      .where(and(eq(memberships.orgId, a.id), eq(memberships.userId, gone.id)));
    const deactivated = request(a, gone);
    await h.app.notifier.notify(deactivated);
    const rolledBack = request(a, a.users.learner);
    await expect(
      h.db.transaction(async (tx) => {
        await h.app.notifier.notify(rolledBack, tx);
        throw new Error('the change fails');
      }),
    ).rejects.toThrow('the change fails');
    for (const key of [outsider.key, deactivated.key, rolledBack.key]) {
      const got = await deliveries(key);
      expect([got.inApp.length, got.mail.length, got.push.length]).toEqual([0, 0, 0]);
    }
  });
});

describe('the bell', () => {
  let eve: UserFixture;
  beforeAll(async () => {
    eve = await h.addUser(h.world.a.id, ['learner'], 'Eve');
  });

  it('any member lists their own notifications; another organisation is 404', async () => {
    await checkRoute(h, {
      request: (org) => ({ method: 'GET', url: listUrl(org) }),
      allow: ALL_ROLES,
      status: 200,
      badInput: (org) => ({ method: 'GET', url: listUrl(org, '?limit=0') }),
    });
  });

  it('lists newest first, a page at a time, with the unread count', async () => {
    const a = h.world.a;
    const made: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = request(a, eve, { params: { dueCount: i } });
      await h.app.notifier.notify(r);
      made.unshift(r.key);
      h.clock.advance(MINUTE);
    }
    // Someone else's, and Eve's in another organisation, are not hers here.
    await h.app.notifier.notify(request(a, a.users.learner));

    const first = await list(eve, a, '?limit=2');
    expect(first.unreadCount).toBe(5);
    expect(first.items.map((i: { params: { dueCount: number } }) => i.params.dueCount)).toEqual([
      4, 3,
    ]);
    expect(first.items[0]).toEqual({
      id: expect.any(String),
      kind: 'reminder',
      params: { dueCount: 4 },
      link: `/o/${a.id}`,
      createdAt: expect.any(String),
      readAt: null,
    });
    const second = await list(eve, a, `?limit=2&before=${first.nextBefore}`);
    const third = await list(eve, a, `?limit=2&before=${second.nextBefore}`);
    expect(second.items.map((i: { params: { dueCount: number } }) => i.params.dueCount)).toEqual([
      2, 1,
    ]);
    expect(third.items).toHaveLength(1);
    expect(third.nextBefore).toBeNull();

    // A cursor that is not one of hers: 404, not someone else's page.
    const others = await list(a.users.learner, a);
    expectError(
      await eve.inject({ method: 'GET', url: listUrl(a, `?before=${others.items[0].id}`) }),
      404,
      'NOT_FOUND',
    );
  });

  it('marks one read, then all; unread only on request', async () => {
    const a = h.world.a;
    const page = await list(eve, a);
    const [newest] = page.items;
    const res = await eve.inject({ method: 'POST', url: readUrl(a, newest.id) });
    expect(res.statusCode, res.body).toBe(200);
    expect(json(res)).toEqual({ unreadCount: page.unreadCount - 1 });
    // A second time: still read, first date kept.
    const readAt = (await list(eve, a)).items[0].readAt;
    h.clock.advance(MINUTE);
    await eve.inject({ method: 'POST', url: readUrl(a, newest.id) });
    expect((await list(eve, a)).items[0].readAt).toBe(readAt);

    const unread = await list(eve, a, '?unread=true');
    expect(unread.items.map((i: { id: string }) => i.id)).not.toContain(newest.id);
    expect(unread.items).toHaveLength(page.unreadCount - 1);

    const all = await eve.inject({ method: 'POST', url: readAllUrl(a) });
    expect(json(all)).toEqual({ unreadCount: 0 });
    expect((await list(eve, a)).items.every((i: { readAt: string }) => i.readAt)).toBe(true);
  });

  it("refuses someone else's notification, another organisation's, and bad ids", async () => {
    const a = h.world.a;
    const b = h.world.b;
    const theirs = request(a, a.users.learner);
    await h.app.notifier.notify(theirs);
    const [row] = (await deliveries(theirs.key)).inApp;
    expectError(await eve.inject({ method: 'POST', url: readUrl(a, row!.id) }), 404, 'NOT_FOUND');
    expectError(
      await b.users.learner.inject({ method: 'POST', url: readUrl(b, row!.id) }),
      404,
      'NOT_FOUND',
    );
    expectError(
      await b.users.admin.inject({ method: 'POST', url: readUrl(a, row!.id) }),
      404,
      'NOT_FOUND',
    );
    expectError(await h.anon.inject({ method: 'POST', url: readAllUrl(a) }), 401);
    expectError(
      await eve.inject({ method: 'POST', url: readUrl(a, 'x') }),
      400,
      'VALIDATION_FAILED',
    );
    expect((await deliveries(theirs.key)).inApp[0]!.readAt).toBeNull();
    // Read-all in organisation B leaves A's alone.
    await a.users.learner.inject({ method: 'POST', url: readAllUrl(b) });
    const [count] = await h.db
      .select({ n: sql<number>`count(*)::int` })
      .from(notifications)
      .where(and(eq(notifications.userId, a.users.learner.id), sql`read_at is null`));
    expect(count!.n).toBeGreaterThan(0);
  });

  it('documents the routes under the notifications tag', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/docs/json' });
    const paths = json(res).paths;
    for (const [path, method] of [
      ['/api/orgs/{orgId}/notifications', 'get'],
      ['/api/orgs/{orgId}/notifications/{notificationId}/read', 'post'],
      ['/api/orgs/{orgId}/notifications/read-all', 'post'],
    ] as const) {
      expect(paths[path][method].tags).toEqual(['notifications']);
    }
  });
});
