import { eq } from 'drizzle-orm';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app';
import { jobs, pushSubscriptions } from '../../server/db/schema';
import { MAX_PUSH_SUBSCRIPTIONS } from '../../shared/push';
import {
  ALL_ROLES,
  type Caller,
  createHarness,
  expectError,
  issuePaths,
  json,
  type UserFixture,
} from '../helpers/harness';
import { type TestSubscription, startPushService } from '../helpers/push-service';

const h = await createHarness();
const service = await startPushService();
afterAll(() => service.close());
const { a, b } = h.world;

const subscribe = (as: Caller, sub: object) =>
  as.inject({ method: 'POST', url: '/api/me/push-subscriptions', payload: sub });
const unsubscribe = (as: Caller, endpoint: string) =>
  as.inject({ method: 'DELETE', url: '/api/me/push-subscriptions', payload: { endpoint } });

async function subscribed(as: UserFixture): Promise<TestSubscription> {
  const sub = service.subscribe();
  const res = await subscribe(as, sub);
  expect(res.statusCode, res.body).toBe(201);
  return sub;
}

const endpointsOf = async (userId: string) =>
  (
    await h.db
      .select({ endpoint: pushSubscriptions.endpoint })
      .from(pushSubscriptions)
      .where(eq(pushSubscriptions.userId, userId))
  ).map((r) => r.endpoint);

let n = 0;
/** Queues a push as the notifier does, and runs the due jobs; answers the job's key. */
async function push(user: UserFixture, params: Record<string, unknown> = {}) {
  const key = `push:test:${++n}`;
  await h.app.jobs.enqueue({
    name: 'push',
    key,
    orgId: a.id,
    payload: { userId: user.id, orgId: a.id, kind: 'reminder', params, link: `/o/${a.id}` },
  });
  await h.app.jobs.runDue();
  const [job] = await h.db.select().from(jobs).where(eq(jobs.key, key));
  return job!;
}

const deliveriesTo = (subs: TestSubscription[]) =>
  service.deliveries.filter((d) => subs.some((s) => s.endpoint === d.endpoint));

beforeEach(() => {
  service.deliveries.length = 0;
  expect(service.refused).toEqual([]);
});

describe('the VAPID public key', () => {
  it('is given to anyone signed in, and to no one else', async () => {
    const res = await a.users.learner.inject({ method: 'GET', url: '/api/push/public-key' });
    expect(res.statusCode, res.body).toBe(200);
    const raw = Buffer.from(json(res).publicKey, 'base64url');
    expect(raw).toHaveLength(65);
    expect(raw[0]).toBe(4);
    expectError(await h.anon.inject({ method: 'GET', url: '/api/push/public-key' }), 401);
  });

  it('stays the same when the app restarts on the same database', async () => {
    const before = json(await a.users.admin.inject({ method: 'GET', url: '/api/push/public-key' }));
    const again = await buildApp({ config: h.config, db: h.db, clock: h.clock });
    try {
      const token = await h.signIn(a.users.admin.id);
      const res = await again.inject({
        method: 'GET',
        url: '/api/push/public-key',
        headers: { cookie: `rappel_session=${token}` },
      });
      expect(json(res)).toEqual(before);
    } finally {
      await again.close();
    }
  });
});

describe('subscribing a device', () => {
  it('works for every role, and needs a session', async () => {
    for (const role of ALL_ROLES) {
      const user = a.users[role];
      const sub = await subscribed(user);
      expect(await endpointsOf(user.id)).toContain(sub.endpoint);
    }
    expectError(await subscribe(h.anon, service.subscribe()), 401);
  });

  it('refuses what is not a push subscription', async () => {
    const good = service.subscribe();
    const bad = [
      { ...good, endpoint: 'http://push.example.com/x' },
      { ...good, endpoint: 'https://user:secret@push.example.com/x' },
      { ...good, endpoint: 'ftp://push.example.com/x' },
      { ...good, keys: { ...good.keys, auth: 'c2hvcnQ' } },
      { ...good, keys: { ...good.keys, p256dh: good.keys.p256dh.slice(1) } },
      { ...good, extra: true },
      { endpoint: good.endpoint },
    ];
    for (const body of bad) {
      const err = expectError(await subscribe(a.users.learner, body), 400, 'VALIDATION_FAILED');
      expect(err.issues?.length, JSON.stringify(body)).toBeGreaterThan(0);
    }
    // The right length, but not a point of the curve: encryption could never use it.
    const offCurve = Buffer.from(good.keys.p256dh, 'base64url');
    offCurve[40]! ^= 1;
    const err = expectError(
      await subscribe(a.users.learner, {
        ...good,
        keys: { ...good.keys, p256dh: offCurve.toString('base64url') },
      }),
      400,
      'VALIDATION_FAILED',
    );
    expect(issuePaths(err)).toEqual(['body.keys.p256dh']);
  });

  it('keeps the newest devices only', async () => {
    const user = await h.addUser(a.id, ['learner']);
    const subs: TestSubscription[] = [];
    for (let i = 0; i <= MAX_PUSH_SUBSCRIPTIONS; i++) {
      subs.push(await subscribed(user));
      h.clock.advance(1000);
    }
    const kept = await endpointsOf(user.id);
    expect(kept).toHaveLength(MAX_PUSH_SUBSCRIPTIONS);
    expect(kept).not.toContain(subs[0]!.endpoint);
  });
});

describe('whose device it is', () => {
  it('unsubscribing touches only the caller’s own device', async () => {
    const owner = await h.addUser(a.id, ['learner']);
    const sub = await subscribed(owner);
    const res = await unsubscribe(b.users.learner, sub.endpoint);
    expect(res.statusCode, res.body).toBe(204);
    expect(await endpointsOf(owner.id)).toEqual([sub.endpoint]);

    expect((await unsubscribe(owner, sub.endpoint)).statusCode).toBe(204);
    expect(await endpointsOf(owner.id)).toEqual([]);
    // Again: nothing left to forget, still fine.
    expect((await unsubscribe(owner, sub.endpoint)).statusCode).toBe(204);
    expectError(await unsubscribe(h.anon, sub.endpoint), 401);
  });

  it('a browser used by someone else next moves to them: only they are notified there', async () => {
    const first = await h.addUser(a.id, ['learner']);
    const second = await h.addUser(b.id, ['learner']);
    const sub = await subscribed(first);
    await subscribed(second);
    expect((await subscribe(second, sub)).statusCode).toBe(201);
    expect(await endpointsOf(first.id)).toEqual([]);

    expect((await push(first)).status).toBe('done');
    expect(deliveriesTo([sub])).toEqual([]);
    expect(await h.app.push.sendToUser(second.id, { title: 't', body: 'b', url: '/' })).toEqual({
      sent: 2,
      removed: 0,
    });
  });
});

describe('the push job', () => {
  it('reaches every device of the person, in their language, signed and encrypted', async () => {
    const learner = await h.addUser(a.id, ['learner']);
    const other = await h.addUser(a.id, ['learner']);
    const res = await learner.inject({
      method: 'PATCH',
      url: '/api/me',
      payload: { locale: 'fr' },
    });
    expect(res.statusCode, res.body).toBe(200);
    const phone = await subscribed(learner);
    const laptop = await subscribed(learner);
    const elsewhere = await subscribed(other);

    const job = await push(learner, { dueCount: 3, minutes: 4 });
    expect(job.status).toBe('done');
    expect(service.refused).toEqual([]);
    const got = deliveriesTo([phone, laptop, elsewhere]);
    expect(got.map((d) => d.endpoint).sort()).toEqual([phone.endpoint, laptop.endpoint].sort());
    const { publicKey } = json(
      await learner.inject({ method: 'GET', url: '/api/push/public-key' }),
    );
    for (const d of got) {
      expect(d.message).toEqual({
        title: 'Vos rappels du jour',
        body: '3 rappels vous attendent, environ 4 min.',
        url: `/o/${a.id}`,
        tag: `reminder:${a.id}`,
      });
      expect(d.vapidKey).toBe(publicKey);
      expect(d.claims.aud).toBe(service.origin);
      expect(d.ttl).toBeGreaterThan(0);
    }

    service.deliveries.length = 0;
    await push(other, { dueCount: 1, minutes: 1 });
    expect(deliveriesTo([elsewhere]).map((d) => d.message)).toEqual([
      {
        title: 'Your refreshers for today',
        body: '1 refresher is waiting, about 1 min.',
        url: `/o/${a.id}`,
        tag: `reminder:${a.id}`,
      },
    ]);
  });

  it('forgets a device the push service says is gone', async () => {
    const learner = await h.addUser(a.id, ['learner']);
    const kept = await subscribed(learner);
    const gone = await subscribed(learner);
    service.answer(gone.endpoint, 410);

    expect((await push(learner)).status).toBe('done');
    expect(await endpointsOf(learner.id)).toEqual([kept.endpoint]);
    expect(deliveriesTo([kept])).toHaveLength(1);
  });

  it('is tried again later when the push service fails', async () => {
    const learner = await h.addUser(a.id, ['learner']);
    const sub = await subscribed(learner);
    service.answer(sub.endpoint, 500);

    const failed = await push(learner);
    expect(failed).toMatchObject({ status: 'queued', attempts: 1 });
    expect(failed.lastError).toContain('500');
    expect(await endpointsOf(learner.id)).toEqual([sub.endpoint]);
    expect(deliveriesTo([sub])).toEqual([]);

    service.answer(sub.endpoint, 201);
    h.clock.set(failed.runAt);
    await h.app.jobs.runDue();
    const [done] = await h.db.select().from(jobs).where(eq(jobs.id, failed.id));
    expect(done).toMatchObject({ status: 'done', attempts: 2 });
    expect(deliveriesTo([sub])).toHaveLength(1);
  });

  it('carries a reminder sent from the dashboards to the learner’s phone', async () => {
    const learner = await h.addUser(a.id, ['learner'], 'Léa Martin');
    const phone = await subscribed(learner);
    const res = await a.users.admin.inject({
      method: 'POST',
      url: `/api/orgs/${a.id}/dashboards/learners/${learner.id}/reminders`,
    });
    expect(res.statusCode, res.body).toBe(201);
    await h.app.jobs.runDue();
    expect(deliveriesTo([phone]).map((d) => d.message)).toEqual([
      {
        title: `A nudge from ${a.users.admin.name}`,
        body: 'Time for a quick visit to Rappel?',
        url: `/o/${a.id}`,
        tag: `manual-reminder:${a.id}`,
      },
    ]);
  });

  it('sends a link inside the app only', async () => {
    const learner = await h.addUser(a.id, ['learner']);
    const sub = await subscribed(learner);
    await h.app.jobs.enqueue({
      name: 'push',
      key: `push:test:${++n}`,
      payload: {
        userId: learner.id,
        orgId: a.id,
        kind: 'new-work',
        params: { modules: [{ moduleId: a.id, title: 'Notes de frais' }] },
        link: '//evil.example/phish',
      },
    });
    await h.app.jobs.runDue();
    expect(deliveriesTo([sub]).map((d) => d.message)).toEqual([
      {
        title: 'New training',
        body: '“Notes de frais” is waiting for you.',
        url: '/',
        tag: `new-work:${a.id}`,
      },
    ]);
  });
});
