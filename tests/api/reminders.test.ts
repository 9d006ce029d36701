import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  memberships,
  notifications,
  outboxMessages,
  reminders,
  users,
} from '../../server/db/schema';
import { HOUR, MINUTE } from '../helpers/clock';
import {
  ALL_ROLES,
  checkRoute,
  createHarness,
  expectError,
  json,
  type OrgFixture,
  STAFF,
  type UserFixture,
} from '../helpers/harness';
import { learningFixtures } from '../helpers/learning';
import * as structureRepo from '../../server/structure/repository';

const h = await createHarness();
const f = learningFixtures(h);
/** Monday 2 March 2026, 10:00 in Paris (the organisations' zone): the day ends at 23:00Z. */
const NOW = '2026-03-02T09:00:00Z';
const remindUrl = (org: OrgFixture, userId: string) =>
  `/api/orgs/${org.id}/dashboards/learners/${userId}/reminders`;
const mineUrl = (org: OrgFixture) => `/api/orgs/${org.id}/me/reminders`;
const dismissUrl = (org: OrgFixture, id: string) =>
  `/api/orgs/${org.id}/me/reminders/${id}/dismiss`;

/**
 * Organisation A: Sales (a.team, managed by A's manager, A's referent in it) and Support
 * (managed by Mia, Rex its referent). Ann is in Sales with two refreshers overdue, Cat in
 * Support, Frank in no team, Eve in Sales but deactivated.
 */
const w = {} as {
  support: { id: string; name: string };
  mia: UserFixture;
  rex: UserFixture;
  ann: UserFixture;
  cat: UserFixture;
  frank: UserFixture;
  eve: UserFixture;
};

async function setTeam(org: OrgFixture, userId: string, teamId: string) {
  const res = await org.users.admin.inject({
    method: 'PATCH',
    url: `/api/orgs/${org.id}/members/${userId}`,
    payload: { teamId },
  });
  expect(res.statusCode, res.body).toBe(200);
}

const remind = (by: UserFixture, org: OrgFixture, userId: string) =>
  by.inject({ method: 'POST', url: remindUrl(org, userId) });

async function sent(by: UserFixture, org: OrgFixture, userId: string) {
  const res = await remind(by, org, userId);
  expect(res.statusCode, res.body).toBe(201);
  return json(res);
}

async function mine(user: UserFixture, org: OrgFixture = h.world.a) {
  const res = await user.inject({ method: 'GET', url: mineUrl(org) });
  expect(res.statusCode, res.body).toBe(200);
  return json(res).items as Record<string, unknown>[];
}

async function rowsOf(userId: string) {
  return h.db.select().from(reminders).where(eq(reminders.userId, userId));
}

beforeAll(async () => {
  h.clock.set(NOW);
  const a = h.world.a;
  w.support = await structureRepo.insertItem(h.db, 'team', a.id, 'Support', h.clock.now());
  await f.manageTeams(a, a.users.manager.id, [a.team.id]);
  await setTeam(a, a.users.referent.id, a.team.id);
  w.mia = await h.addUser(a.id, ['manager'], 'Mia');
  await f.manageTeams(a, w.mia.id, [w.support.id]);
  w.rex = await h.addUser(a.id, ['referent'], 'Rex');
  await setTeam(a, w.rex.id, w.support.id);

  w.ann = await f.learner(a, 'Ann', { teamId: a.team.id });
  w.cat = await f.learner(a, 'Cat', { teamId: w.support.id });
  w.frank = await f.learner(a, 'Frank', { teamId: null });
  w.eve = await f.learner(a, 'Eve', { teamId: a.team.id });
  await h.db
    .update(memberships)
    .set({ deactivatedAt: h.clock.now() })
    .where(and(eq(memberships.orgId, a.id), eq(memberships.userId, w.eve.id)));

  // Ann: two cards of 20 s learnt 18 days ago with a stability of 2 days, so both overdue.
  const module = await f.publishedModule(a, { title: 'Close' }, [{ cards: [card(), card()] }]);
  await f.assign(a, module.id, [w.ann.id]);
  for (const cardId of module.lessons[0]!.cardIds) {
    await f.remember(a, w.ann.id, cardId, { stability: 2, daysAgo: 18 });
  }
});

function card() {
  return {
    kind: 'truefalse' as const,
    question: 'The close is done monthly.',
    answer: true,
    expectedSeconds: 20,
  };
}

describe('access', () => {
  it('admins, trainers, managers and referents remind a learner of their scope; learners 403', async () => {
    // A fresh learner in each organisation's Sales team per call: one reminder a day each.
    await checkRoute(h, {
      request: async (org, owner) => {
        const user = await f.learner(owner, `New ${randomUUID().slice(0, 8)}`, {
          teamId: owner.team.id,
        });
        return { method: 'POST', url: remindUrl(org, user.id) };
      },
      allow: STAFF,
      status: 201,
      objectInPath: true,
      badInput: (org) => ({ method: 'POST', url: remindUrl(org, 'ann') }),
    });
  });

  it('any member reads their own reminders', async () => {
    await checkRoute(h, {
      request: (org) => ({ method: 'GET', url: mineUrl(org) }),
      allow: ALL_ROLES,
      status: 200,
    });
  });

  it('answers 400 in the one error shape for bad ids', async () => {
    const a = h.world.a;
    const bad = [
      { who: a.users.admin, url: remindUrl(a, 'not-a-uuid') },
      { who: w.ann, url: dismissUrl(a, '42') },
    ];
    for (const { who, url } of bad) {
      const err = expectError(await who.inject({ method: 'POST', url }), 400, 'VALIDATION_FAILED');
      expect(err.issues?.[0]?.path[0]).toBe('params');
    }
    expect(await rowsOf(w.ann.id)).toEqual([]);
  });
});

describe('scope', () => {
  it("follows the dashboards' scope: 404 outside it, and no reminder is made", async () => {
    const a = h.world.a;
    const b = h.world.b;
    const stranger = await h.addUser(null, []);
    const refused: [UserFixture, string][] = [
      // A manager of another team, a referent of another team.
      [w.mia, w.ann.id],
      [w.rex, w.ann.id],
      [a.users.manager, w.cat.id],
      [a.users.referent, w.cat.id],
      // People in no team are only in admins' and trainers' scope.
      [a.users.manager, w.frank.id],
      [a.users.referent, w.frank.id],
      // Deactivated, of another organisation, no member at all, unknown.
      [a.users.admin, w.eve.id],
      [a.users.admin, b.users.learner.id],
      [a.users.admin, stranger.id],
      [a.users.admin, randomUUID()],
    ];
    for (const [who, userId] of refused) {
      expectError(await remind(who, a, userId), 404, 'NOT_FOUND');
    }
    for (const userId of [w.ann.id, w.cat.id, w.frank.id, w.eve.id, b.users.learner.id]) {
      expect(await rowsOf(userId)).toEqual([]);
    }
    // Another organisation's admin, on A's path: not a member there.
    expectError(await remind(b.users.admin, a, w.ann.id), 404, 'NOT_FOUND');
    // A learner, even for someone they could name.
    expectError(await remind(a.users.learner, a, w.ann.id), 403, 'FORBIDDEN');
  });

  it('lets the manager and the referent of the team, and trainers anyone', async () => {
    const a = h.world.a;
    h.clock.set('2026-02-01T09:00:00Z');
    try {
      const reminder = await sent(a.users.manager, a, w.ann.id);
      expect(reminder).toEqual({
        id: expect.any(String),
        userId: w.ann.id,
        sentBy: { id: a.users.manager.id, name: 'Org A manager' },
        createdAt: '2026-02-01T09:00:00.000Z',
        dismissedAt: null,
      });
      await sent(w.rex, a, w.cat.id);
      await sent(a.users.trainer, a, w.frank.id);
      h.clock.set('2026-02-02T09:00:00Z');
      await sent(a.users.referent, a, w.ann.id);
      await sent(w.mia, a, w.cat.id);
      await sent(a.users.admin, a, w.frank.id);
    } finally {
      h.clock.set(NOW);
      await h.db.delete(reminders);
    }
  });
});

describe('one reminder a day', () => {
  it("refuses a second one the same day in the organisation's zone, whoever sends it", async () => {
    const a = h.world.a;
    try {
      await sent(w.mia, a, w.cat.id);
      const err = expectError(await remind(a.users.admin, a, w.cat.id), 409, 'CONFLICT');
      expect(err.message).toMatch(/already reminded today/);
      // 23:59 in Paris, still 2 March.
      h.clock.set('2026-03-02T22:59:00Z');
      expectError(await remind(w.rex, a, w.cat.id), 409, 'CONFLICT');
      expect(await rowsOf(w.cat.id)).toHaveLength(1);
      // Midnight in Paris: 3 March there, though still 2 March in UTC.
      h.clock.set('2026-03-02T23:00:00Z');
      const next = await sent(w.rex, a, w.cat.id);
      expect(next.createdAt).toBe('2026-03-02T23:00:00.000Z');
      expect(await rowsOf(w.cat.id)).toHaveLength(2);
      h.clock.advance(10 * HOUR);
      expectError(await remind(w.mia, a, w.cat.id), 409, 'CONFLICT');
    } finally {
      h.clock.set(NOW);
      await h.db.delete(reminders);
    }
  });

  it('follows a change of the time zone', async () => {
    const a = h.world.a;
    const zone = (timeZone: string) => f.learningSettings(a, { timeZone });
    try {
      // 22:30Z on 2 March, then 23:30Z: one Paris day (3 March from 23:00Z) apart...
      h.clock.set('2026-03-02T22:30:00Z');
      await sent(a.users.admin, a, w.frank.id);
      h.clock.set('2026-03-02T23:30:00Z');
      await sent(a.users.admin, a, w.frank.id);
      // ...but the same day in UTC.
      await zone('UTC');
      h.clock.advance(15 * MINUTE);
      expectError(await remind(a.users.admin, a, w.frank.id), 409, 'CONFLICT');
    } finally {
      await zone('Europe/Paris');
      h.clock.set(NOW);
      await h.db.delete(reminders);
    }
  });

  it('makes only one of two reminders sent at once', async () => {
    const a = h.world.a;
    try {
      const results = await Promise.all([
        remind(a.users.admin, a, w.ann.id),
        remind(a.users.manager, a, w.ann.id),
      ]);
      expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
      expect(await rowsOf(w.ann.id)).toHaveLength(1);
    } finally {
      await h.db.delete(reminders);
    }
  });
});

describe("the learner's reminders", () => {
  it('lists the undismissed ones, newest first, with the refreshers waiting', async () => {
    const a = h.world.a;
    try {
      expect(await mine(w.ann)).toEqual([]);
      h.clock.set('2026-03-01T08:00:00Z');
      const first = await sent(a.users.manager, a, w.ann.id);
      h.clock.set(NOW);
      const second = await sent(a.users.referent, a, w.ann.id);
      const today = json(await w.ann.inject({ method: 'GET', url: `/api/orgs/${a.id}/me/today` }));
      // Both overdue refreshers, 20 s each, fit Ann's five minutes a day.
      expect(today.dueCount).toBe(2);
      const waiting = { dueCount: 2, estimatedSeconds: 40 };
      expect(await mine(w.ann)).toEqual([
        {
          id: second.id,
          sentBy: { id: a.users.referent.id, name: 'Org A referent' },
          createdAt: '2026-03-02T09:00:00.000Z',
          ...waiting,
        },
        {
          id: first.id,
          sentBy: { id: a.users.manager.id, name: 'Org A manager' },
          createdAt: '2026-03-01T08:00:00.000Z',
          ...waiting,
        },
      ]);
      // Nobody else sees them, in A or in another organisation.
      expect(await mine(w.cat)).toEqual([]);
      expect(await mine(h.world.b.users.learner, h.world.b)).toEqual([]);
    } finally {
      await h.db.delete(reminders);
    }
  });

  it('shows no sender once their account is gone, and nothing due while on a pause', async () => {
    const a = h.world.a;
    const tess = await h.addUser(a.id, ['trainer'], 'Tess');
    try {
      await sent(tess, a, w.ann.id);
      await h.db.delete(users).where(eq(users.id, tess.id));
      const pause = await a.users.admin.inject({
        method: 'POST',
        url: `/api/orgs/${a.id}/pauses`,
        payload: { userId: w.ann.id, startsOn: '2026-03-02', endsOn: '2026-03-03' },
      });
      expect(pause.statusCode, pause.body).toBe(201);
      expect(await mine(w.ann)).toEqual([
        expect.objectContaining({ sentBy: null, dueCount: 0, estimatedSeconds: 0 }),
      ]);
      const del = await a.users.admin.inject({
        method: 'DELETE',
        url: `/api/orgs/${a.id}/pauses/${json(pause).id}`,
      });
      expect(del.statusCode, del.body).toBe(204);
    } finally {
      await h.db.delete(reminders);
    }
  });

  it("dismisses one's own reminder; another's is 404", async () => {
    const a = h.world.a;
    const b = h.world.b;
    try {
      const reminder = await sent(a.users.admin, a, w.ann.id);
      const dismiss = (who: UserFixture, org: OrgFixture = a, id = reminder.id) =>
        who.inject({ method: 'POST', url: dismissUrl(org, id) });
      // Another learner of A, A's admin who sent it, B's members on either path.
      for (const [who, org] of [
        [w.cat, a],
        [a.users.admin, a],
        [b.users.learner, b],
        [b.users.admin, a],
      ] as const) {
        expectError(await dismiss(who, org), 404, 'NOT_FOUND');
      }
      expectError(await dismiss(w.ann, a, randomUUID()), 404, 'NOT_FOUND');
      expectError(await h.anon.inject({ method: 'POST', url: dismissUrl(a, reminder.id) }), 401);
      expect(await mine(w.ann)).toHaveLength(1);

      h.clock.advance(5 * MINUTE);
      const res = await dismiss(w.ann);
      expect(res.statusCode, res.body).toBe(204);
      expect(res.body).toBe('');
      expect(await mine(w.ann)).toEqual([]);
      // Again: nothing changes, the first date stays.
      h.clock.advance(5 * MINUTE);
      expect((await dismiss(w.ann)).statusCode).toBe(204);
      const [row] = await rowsOf(w.ann.id);
      expect(row!.dismissedAt?.toISOString()).toBe('2026-03-02T09:05:00.000Z');
      // Dismissed, it still counts for the day.
      expectError(await remind(a.users.manager, a, w.ann.id), 409, 'CONFLICT');
    } finally {
      h.clock.set(NOW);
      await h.db.delete(reminders);
    }
  });
});

describe('in the dashboards', () => {
  it('gives the last reminder in the at-risk list and the drill-down', async () => {
    const a = h.world.a;
    try {
      const list = async () => {
        const res = await a.users.admin.inject({
          method: 'GET',
          url: `/api/orgs/${a.id}/dashboards/at-risk`,
        });
        expect(res.statusCode, res.body).toBe(200);
        return json(res);
      };
      const drill = async () => {
        const res = await a.users.manager.inject({
          method: 'GET',
          url: `/api/orgs/${a.id}/dashboards/learners/${w.ann.id}`,
        });
        expect(res.statusCode, res.body).toBe(200);
        return json(res);
      };
      const before = await list();
      expect(before.timeZone).toBe('Europe/Paris');
      expect(before.items).toEqual([
        expect.objectContaining({ userId: w.ann.id, lastRemindedAt: null }),
      ]);
      expect((await drill()).learner.lastRemindedAt).toBeNull();

      h.clock.set('2026-02-27T16:00:00Z');
      await sent(a.users.manager, a, w.ann.id);
      h.clock.set('2026-03-02T08:42:00Z');
      await sent(a.users.referent, a, w.ann.id);
      // Someone else's reminder, in another organisation where Ann is also a member.
      await h.db.insert(reminders).values({
        orgId: h.world.b.id,
        userId: w.ann.id,
        createdAt: new Date('2026-03-02T10:00:00Z'),
      });
      h.clock.set(NOW);
      const after = await list();
      expect(after.items).toEqual([
        expect.objectContaining({ userId: w.ann.id, lastRemindedAt: '2026-03-02T08:42:00.000Z' }),
      ]);
      const d = await drill();
      expect(d.learner.lastRemindedAt).toBe('2026-03-02T08:42:00.000Z');
      expect(d.timeZone).toBe('Europe/Paris');
    } finally {
      h.clock.set(NOW);
      await h.db.delete(reminders);
    }
  });
});

describe('as a notification', () => {
  const bell = async (user: UserFixture) => {
    const res = await user.inject({
      method: 'GET',
      url: `/api/orgs/${h.world.a.id}/notifications`,
    });
    expect(res.statusCode, res.body).toBe(200);
    return json(res);
  };

  it('puts a note in the learner’s bell and queues a mail, with the sender and what is waiting', async () => {
    const a = h.world.a;
    // The notes and mails of the reminders sent above.
    await h.db.delete(notifications);
    await h.db.delete(outboxMessages);
    try {
      const reminder = await sent(a.users.manager, a, w.ann.id);
      const list = await bell(w.ann);
      expect(list.unreadCount).toBe(1);
      expect(list.items).toEqual([
        {
          id: expect.any(String),
          kind: 'manual-reminder',
          // Ann's two overdue refreshers of 20 s: one minute, rounded up.
          params: { senderName: 'Org A manager', dueCount: 2, minutes: 1 },
          link: `/o/${a.id}`,
          createdAt: reminder.createdAt,
          readAt: null,
        },
      ]);
      const mails = await h.db
        .select()
        .from(outboxMessages)
        .where(eq(outboxMessages.key, `manual-reminder:${reminder.id}`));
      expect(mails).toEqual([
        expect.objectContaining({ kind: 'manual-reminder', toAddress: w.ann.email }),
      ]);
      // Refused reminders (409, 404) leave no note and no mail.
      expectError(await remind(a.users.admin, a, w.ann.id), 409, 'CONFLICT');
      expectError(await remind(w.mia, a, w.ann.id), 404, 'NOT_FOUND');
      expect((await bell(w.ann)).items).toHaveLength(1);
      expect(
        await h.db.select().from(outboxMessages).where(eq(outboxMessages.userId, w.ann.id)),
      ).toHaveLength(1);
    } finally {
      await h.db.delete(reminders);
      await h.db.delete(notifications);
      await h.db.delete(outboxMessages);
    }
  });

  it('reading the note dismisses the reminder, and dismissing the reminder reads the note', async () => {
    const a = h.world.a;
    try {
      h.clock.set('2026-03-01T08:00:00Z');
      const first = await sent(a.users.manager, a, w.ann.id);
      h.clock.set(NOW);
      const second = await sent(a.users.referent, a, w.ann.id);
      const [newest, oldest] = (await bell(w.ann)).items;
      const read = await w.ann.inject({
        method: 'POST',
        url: `/api/orgs/${a.id}/notifications/${newest.id}/read`,
      });
      expect(json(read)).toEqual({ unreadCount: 1 });
      expect((await mine(w.ann)).map((r) => r.id)).toEqual([first.id]);
      const [row] = (await rowsOf(w.ann.id)).filter((r) => r.id === second.id);
      expect(row!.dismissedAt?.toISOString()).toBe(NOW.replace('Z', '.000Z'));

      const dismissed = await w.ann.inject({ method: 'POST', url: dismissUrl(a, first.id) });
      expect(dismissed.statusCode).toBe(204);
      const after = await bell(w.ann);
      expect(after.unreadCount).toBe(0);
      expect(after.items.find((i: { id: string }) => i.id === oldest.id).readAt).toBe(
        NOW.replace('Z', '.000Z'),
      );
      // The dashboards still read the history: the last reminder stays known.
      const drill = await a.users.manager.inject({
        method: 'GET',
        url: `/api/orgs/${a.id}/dashboards/learners/${w.ann.id}`,
      });
      expect(json(drill).learner.lastRemindedAt).toBe(NOW.replace('Z', '.000Z'));
    } finally {
      h.clock.set(NOW);
      await h.db.delete(reminders);
      await h.db.delete(notifications);
    }
  });
});

describe('API documentation', () => {
  it('documents the three routes under the reminders tag', async () => {
    const spec = json(await h.anon.inject({ method: 'GET', url: '/api/docs/json' }));
    const op = (path: string, method: string) => spec.paths[path]?.[method];
    const routes = [
      ['/api/orgs/{orgId}/dashboards/learners/{userId}/reminders', 'post', '201'],
      ['/api/orgs/{orgId}/me/reminders', 'get', '200'],
      ['/api/orgs/{orgId}/me/reminders/{reminderId}/dismiss', 'post', '204'],
    ] as const;
    for (const [path, method, status] of routes) {
      expect(op(path, method)?.tags, `${method} ${path}`).toEqual(['reminders']);
      expect(Object.keys(op(path, method).responses)).toContain(status);
    }
    expect(Object.keys(op(routes[0][0], 'post').responses)).toContain('409');
  });
});
