import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { memberships, notificationSettings } from '../../server/db/schema';
import { settingsFor } from '../../server/notify/settings';
import {
  checkRoute,
  createHarness,
  expectError,
  issuePaths,
  json,
  type UserFixture,
} from '../helpers/harness';

const h = await createHarness();
const URL = '/api/me/notifications';
const digestUrl = (orgId: string) => `/api/orgs/${orgId}/me/digest`;

async function get(user: UserFixture) {
  const res = await user.inject({ method: 'GET', url: URL });
  expect(res.statusCode, res.body).toBe(200);
  return json(res);
}

async function put(user: UserFixture, payload: unknown) {
  return user.inject({ method: 'PUT', url: URL, payload: payload as object });
}

describe('preferences', () => {
  it('are the defaults until changed: reminders daily at 09:00 on every channel, digest by mail', async () => {
    const ann = await h.addUser(h.world.a.id, ['learner'], 'Ann');
    expect(await get(ann)).toEqual({
      channels: {
        reminders: ['mail', 'push', 'in-app'],
        'new-work': ['mail', 'push', 'in-app'],
        digest: ['mail'],
      },
      reminderFrequency: 'daily',
      reminderTime: '09:00',
      reminderWeekday: 1,
      digestOrgs: [],
    });
    expect(
      await h.db.select().from(notificationSettings).where(eq(notificationSettings.userId, ann.id)),
    ).toEqual([]);
  });

  it('change what is sent, keep what is left out, and store the time as minutes', async () => {
    const bob = await h.addUser(h.world.a.id, ['learner'], 'Bob');
    let res = await put(bob, { reminderTime: '08:00', channels: { reminders: ['push'] } });
    expect(res.statusCode, res.body).toBe(200);
    expect(json(res)).toMatchObject({
      channels: { reminders: ['push'], 'new-work': ['mail', 'push', 'in-app'], digest: ['mail'] },
      reminderFrequency: 'daily',
      reminderTime: '08:00',
    });
    res = await put(bob, { reminderFrequency: 'weekly', reminderWeekday: 5 });
    expect(json(res)).toMatchObject({
      channels: { reminders: ['push'] },
      reminderFrequency: 'weekly',
      reminderTime: '08:00',
      reminderWeekday: 5,
    });
    expect(await get(bob)).toEqual(json(res));
    const [row] = await h.db
      .select()
      .from(notificationSettings)
      .where(eq(notificationSettings.userId, bob.id));
    expect(row).toMatchObject({ reminderMinute: 480, reminderWeekday: 5 });

    // The bulk reader the producers use: Bob's choices, and the defaults for someone without a row.
    const map = await settingsFor(h.db, [bob.id, h.world.a.users.learner.id]);
    expect(map.get(bob.id)).toEqual({
      channels: { reminders: ['push'], 'new-work': ['mail', 'push', 'in-app'], digest: ['mail'] },
      reminderFrequency: 'weekly',
      reminderMinute: 480,
      reminderWeekday: 5,
    });
    expect(map.get(h.world.a.users.learner.id)).toMatchObject({
      reminderFrequency: 'daily',
      reminderMinute: 540,
    });
  });

  it('are each person’s own: one change leaves everyone else as they were', async () => {
    const cy = await h.addUser(h.world.a.id, ['learner'], 'Cy');
    const dee = await h.addUser(h.world.b.id, ['learner'], 'Dee');
    const before = await get(dee);
    await put(cy, { channels: { digest: [] }, reminderFrequency: 'never' });
    expect(await get(dee)).toEqual(before);
  });

  it('refuse bad input with the one error shape and change nothing', async () => {
    const eve = await h.addUser(h.world.a.id, ['learner'], 'Eve');
    const bad: [unknown, string][] = [
      [{ reminderTime: '9:00' }, 'body.reminderTime'],
      [{ reminderTime: '24:00' }, 'body.reminderTime'],
      [{ reminderWeekday: 0 }, 'body.reminderWeekday'],
      [{ reminderFrequency: 'hourly' }, 'body.reminderFrequency'],
      [{ channels: { reminders: ['sms'] } }, 'body.channels.reminders.0'],
      [{ channels: { reminders: ['mail', 'mail'] } }, 'body.channels.reminders'],
      [{ channels: { other: ['mail'] } }, 'body.channels'],
      [{ unknown: true }, 'body'],
    ];
    for (const [payload, path] of bad) {
      const err = expectError(await put(eve, payload), 400, 'VALIDATION_FAILED');
      expect(
        issuePaths(err).some((p) => p.startsWith(path)),
        `${JSON.stringify(payload)}: ${issuePaths(err)}`,
      ).toBe(true);
    }
    expect((await get(eve)).reminderTime).toBe('09:00');
  });

  it('need a session', async () => {
    expectError(await h.anon.inject({ method: 'GET', url: URL }), 401, 'UNAUTHENTICATED');
    expectError(
      await h.anon.inject({ method: 'PUT', url: URL, payload: { reminderTime: '08:00' } }),
      401,
      'UNAUTHENTICATED',
    );
  });
});

describe('the whole-organisation digest', () => {
  it('trainers and admins opt in per organisation; others 403; another organisation 404', async () => {
    await checkRoute(h, {
      request: (org) => ({ method: 'PUT', url: digestUrl(org.id), payload: { optIn: true } }),
      allow: ['trainer', 'admin'],
      status: 200,
      badInput: (org) => ({ method: 'PUT', url: digestUrl(org.id), payload: { optIn: 'yes' } }),
    });
  });

  it('is listed on the preferences where the caller is a trainer or an admin, and changes that membership only', async () => {
    const { a, b } = h.world;
    const both = await h.addUser(a.id, ['trainer'], 'Tia');
    await h.db
      .insert(memberships)
      .values({ orgId: b.id, userId: both.id, roles: ['admin'], createdAt: h.clock.now() });
    const res = await both.inject({
      method: 'PUT',
      url: digestUrl(a.id),
      payload: { optIn: true },
    });
    expect(json(res)).toEqual({ optIn: true });
    expect((await get(both)).digestOrgs).toEqual([
      { orgId: a.id, orgName: 'Org A', optIn: true },
      { orgId: b.id, orgName: 'Org B', optIn: false },
    ]);
    const [inB] = await h.db
      .select({ optIn: memberships.digestOptIn })
      .from(memberships)
      .where(and(eq(memberships.orgId, b.id), eq(memberships.userId, both.id)));
    expect(inB!.optIn).toBe(false);
    // A learner's preferences list no organisation for it.
    expect((await get(a.users.learner)).digestOrgs).toEqual([]);
  });
});
