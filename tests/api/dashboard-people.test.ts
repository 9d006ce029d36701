import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  cardStates,
  memberships,
  orgClosures,
  organisations,
  refresherPauses,
  reminders,
  reviewLogs,
} from '../../server/db/schema';
import { nextWorkingDay, overdueWorkingDays } from '../../shared/calendar';
import { pausedDue } from '../../shared/pauses';
import { loadCalendar } from '../../server/calendar/service';
import { localDate, nextDate, startOfDay, zonedToday } from '../../server/lib/zoned-day';
import { overdueFrom } from '../../server/srs/working-days';
import * as orgRepo from '../../server/orgs/repository';
import * as structureRepo from '../../server/structure/repository';
import { DAY, HOUR } from '../helpers/clock';
import { logAnswer } from '../helpers/review-log';
import {
  checkRoute,
  createHarness,
  expectError,
  json,
  type OrgFixture,
  STAFF,
  type UserFixture,
} from '../helpers/harness';
import { learningFixtures, sampleSingle } from '../helpers/learning';

const h = await createHarness();
const f = learningFixtures(h);
/** Monday 2 March 2026, 10:00 in Paris (the organisations' zone): today starts at 23:00Z. */
const NOW = '2026-03-02T09:00:00Z';
const base = (org: OrgFixture) => `/api/orgs/${org.id}/dashboards`;
const atRiskUrl = (org: OrgFixture, query = '') => `${base(org)}/at-risk${query}`;
const drillUrl = (org: OrgFixture, userId: string) => `${base(org)}/learners/${userId}`;

async function get(user: UserFixture, url: string) {
  const res = await user.inject({ method: 'GET', url });
  expect(res.statusCode, res.body).toBe(200);
  return { body: json(res), text: res.body };
}
const atRisk = (user: UserFixture, org: OrgFixture, query = '') => get(user, atRiskUrl(org, query));
const drill = (user: UserFixture, org: OrgFixture, userId: string) =>
  get(user, drillUrl(org, userId));
const names = (body: { items: { name: string }[] }) => body.items.map((i) => i.name);

/**
 * Organisation A at NOW, target 0.9:
 *
 *   learner  team     modules (opened)        memory
 *   Ann      Sales    Close (critical), Chat  Close c1 S 10 t 30 (due 10 Feb), c2 due now;
 *                     (Mail opens tomorrow)   Chat cx S 60 t 30 (due 1 Apr)
 *   Bob      Sales    Mail                    m1–m3 S 2 t 18 (due 14 Feb)
 *   Cat      Support  Close, Mail             c1 S 20 t 10, c2 S 1 t 1; m1 S 2 t 5 (due 27 Feb)
 *   Dan      Support  Mail                    m1 S 4 t 10 (due 24 Feb, pushed back by pauses)
 *   Frank    —        Mail                    m1 S 2 t 18 (due 14 Feb)
 *   Eve      Sales    Mail, deactivated       m1 S 2 t 18 (due 14 Feb)
 *
 * Close has lessons L1, L2 and L3 (L3 only for persona Q; Ann is P).
 */
const w = {} as {
  support: { id: string; name: string };
  p: string;
  close: Awaited<ReturnType<typeof f.publishedModule>>;
  chat: Awaited<ReturnType<typeof f.publishedModule>>;
  mail: Awaited<ReturnType<typeof f.publishedModule>>;
  ann: UserFixture;
  bob: UserFixture;
  cat: UserFixture;
  dan: UserFixture;
  frank: UserFixture;
  eve: UserFixture;
};

/** One answer in the review log (memory is set apart with `f.remember`). */
async function logReview(
  org: OrgFixture,
  user: UserFixture,
  card: { moduleId: string; cardId: string },
  answer: { at: string; rating: number; stability: number },
) {
  const at = new Date(answer.at);
  await logAnswer(
    h.db,
    { orgId: org.id, userId: user.id, ...card },
    {
      at,
      rating: answer.rating,
      stability: answer.stability,
      scheduledDays: Math.round(answer.stability),
      due: new Date(at.getTime() + answer.stability * DAY),
    },
  );
}

/** A pause written straight to the table: the API refuses pauses that start before today. */
async function pastPause(org: OrgFixture, user: UserFixture, startsOn: string, endsOn: string) {
  const [row] = await h.db
    .insert(refresherPauses)
    .values({ orgId: org.id, userId: user.id, startsOn, endsOn, createdBy: org.users.admin.id })
    .returning({ id: refresherPauses.id });
  return row!.id;
}

const days = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / DAY;
const card = (module: { id: string; lessons: { cardIds: string[] }[] }, lesson = 0, n = 0) => ({
  moduleId: module.id,
  cardId: module.lessons[lesson]!.cardIds[n]!,
});

beforeAll(async () => {
  h.clock.set(NOW);
  const a = h.world.a;
  w.support = await structureRepo.insertItem(h.db, 'team', a.id, 'Support', h.clock.now());
  w.p = await f.freshPersona(a);
  const q = await f.freshPersona(a);
  w.close = await f.publishedModule(a, { title: 'Close', criticality: 'critical' }, [
    {},
    {},
    { personaIds: [q] },
  ]);
  w.chat = await f.publishedModule(a, { title: 'Chat' });
  w.mail = await f.publishedModule(a, { title: 'Mail' }, [
    { cards: [sampleSingle, sampleSingle, sampleSingle] },
  ]);
  const sales = { teamId: a.team.id };
  w.ann = await f.learner(a, 'Ann', { ...sales, jobRoleId: a.jobRole.id, personaId: w.p });
  w.bob = await f.learner(a, 'Bob', sales);
  w.cat = await f.learner(a, 'Cat', { teamId: w.support.id });
  w.dan = await f.learner(a, 'Dan', { teamId: w.support.id });
  w.frank = await f.learner(a, 'Frank', {});
  w.eve = await f.learner(a, 'Eve', sales);
  await f.assign(a, w.close.id, [w.ann.id, w.cat.id]);
  await f.assign(a, w.chat.id, [w.ann.id]);
  await f.assign(a, w.mail.id, [w.bob.id, w.cat.id, w.dan.id, w.frank.id, w.eve.id]);
  const tomorrow = new Date(h.clock.now().getTime() + DAY).toISOString();
  await f.assign(a, w.mail.id, [w.ann.id], { opensAt: tomorrow });

  const [c1, c2, cx] = [card(w.close, 0), card(w.close, 1), card(w.chat)];
  await f.remember(a, w.ann.id, c1.cardId, { stability: 10, daysAgo: 30 });
  // Reviewed at 23:30Z yesterday (00:30 today in Paris), due now.
  await f.remember(a, w.ann.id, c2.cardId, { stability: 9.5 / 24, daysAgo: 9.5 / 24 });
  await f.remember(a, w.ann.id, cx.cardId, { stability: 60, daysAgo: 30 });
  for (const n of [0, 1, 2]) {
    await f.remember(a, w.bob.id, card(w.mail, 0, n).cardId, { stability: 2, daysAgo: 18 });
  }
  await f.remember(a, w.cat.id, c1.cardId, { stability: 20, daysAgo: 10 });
  await f.remember(a, w.cat.id, c2.cardId, { stability: 1, daysAgo: 1 });
  await f.remember(a, w.cat.id, card(w.mail).cardId, { stability: 2, daysAgo: 5 });
  await f.remember(a, w.dan.id, card(w.mail).cardId, { stability: 4, daysAgo: 10 });
  await f.remember(a, w.frank.id, card(w.mail).cardId, { stability: 2, daysAgo: 18 });
  await f.remember(a, w.eve.id, card(w.mail).cardId, { stability: 2, daysAgo: 18 });
  await h.db
    .update(memberships)
    .set({ deactivatedAt: h.clock.now() })
    .where(and(eq(memberships.orgId, a.id), eq(memberships.userId, w.eve.id)));

  await f.lessonProgress(a, w.ann, w.close.lessons[0]!.id);
  await f.lessonProgress(a, w.ann, w.chat.lessons[0]!.id);

  // Ann's answers (Paris is UTC+2 in September, UTC+1 in winter). The history's first day is
  // 4 September 2025 (2 March 2026 minus 179 days), from 22:00Z on the 3rd.
  const l2 = '2025-09-03T23:00:00Z';
  const l5 = '2026-01-31T09:00:00Z';
  await logReview(a, w.ann, cx, { at: '2025-09-03T21:00:00Z', rating: 3, stability: 1 / 12 });
  // t from L2 to L5 is 149.4167 days: S = t / 3.
  await logReview(a, w.ann, cx, { at: l2, rating: 3, stability: days(l2, l5) / 3 });
  await logReview(a, w.ann, c1, { at: '2026-01-21T09:00:00Z', rating: 3, stability: 10 });
  await logReview(a, w.ann, c1, { at: '2026-01-31T09:00:00Z', rating: 1, stability: 10 });
  await logReview(a, w.ann, cx, { at: l5, rating: 2, stability: 60 });
  await logReview(a, w.ann, c2, { at: '2026-02-01T23:30:00Z', rating: 3, stability: 28 / 3 });
  await logReview(a, w.ann, c2, { at: '2026-03-01T23:30:00Z', rating: 4, stability: 9.5 / 24 });

  // Dan's pauses: one before his last review (ignored), then 23–24 Feb, which pushes his due
  // date from 24 Feb 09:00Z by 2 days to 26 Feb, into the pause of 26 Feb–1 Mar, which pushes
  // it by 4 more days to 2 Mar 09:00Z: not overdue.
  await pastPause(a, w.dan, '2026-02-10', '2026-02-12');
  await pastPause(a, w.dan, '2026-02-23', '2026-02-24');
  await pastPause(a, w.dan, '2026-02-26', '2026-03-01');

  // The referent is in Sales (through the API, so the signed-in membership follows).
  const res = await a.users.admin.inject({
    method: 'PATCH',
    url: `/api/orgs/${a.id}/members/${a.users.referent.id}`,
    payload: { teamId: a.team.id },
  });
  expect(res.statusCode, res.body).toBe(200);
});

/*
 * Expected recall, by hand: factor = 0.9^(-1/0.1542) - 1 = 0.98035, R(t, S) = (1 + 0.98035·t/S)^
 * -0.1542, so by t/S: 0.5 → 1.49017^-0.1542 = 0.94034; 1 → 0.9; 2.5 → 3.45087^-0.1542 = 0.82614;
 * 3 → 3.94104^-0.1542 = 0.80939; 9 → 9.82312^-0.1542 = 0.70306.
 *
 *   Ann  Close c1 t/S 3 → 0.80939, c2 t/S 1 → 0.9: Close (0.80939 + 0.9) / 2 = 0.854694, under
 *        0.9 by 0.045306; Chat cx t/S 0.5 → 0.94034; all (0.80939 + 0.9 + 0.94034) / 3 = 0.883244
 *        risk = 1 overdue + 100 × 0.045306 = 5.530595
 *   Bob  m1–m3 t/S 9 → 0.70306; 3 overdue; risk 3
 *   Cat  Close (0.94034 + 0.9) / 2 = 0.920172, at target; Mail t/S 2.5 → 0.82614; all
 *        (0.94034 + 0.9 + 0.82614) / 3 = 0.888827; 1 overdue; risk 1
 *   Frank 0.70306; 1 overdue; risk 1
 */
const close = (x: number) => expect.closeTo(x, 5);
const ANN = {
  overdueCards: 1,
  overdueSince: '2026-02-10T09:00:00.000Z',
  recall: close(0.883244),
  risk: close(5.530595),
  pausedUntil: null,
  lastRemindedAt: null,
};

describe('access', () => {
  it('admins, trainers, managers and referents read the at-risk list; learners get 403', async () => {
    await checkRoute(h, {
      request: (org) => ({ method: 'GET', url: atRiskUrl(org) }),
      allow: STAFF,
      status: 200,
      badInput: (org) => ({ method: 'GET', url: atRiskUrl(org, '?moduleId=close') }),
    });
    const res = await h.world.a.users.admin.inject({
      method: 'GET',
      url: atRiskUrl(h.world.a, '?sort=risk'),
    });
    expectError(res, 400, 'VALIDATION_FAILED');
  });

  it("the same for a drill-down; another organisation's learner is 404", async () => {
    const a = h.world.a;
    await f.manageTeams(a, a.users.manager.id, [a.team.id]);
    await checkRoute(h, {
      request: (org, owner) => ({
        method: 'GET',
        url: drillUrl(org, owner === a ? w.ann.id : owner.users.learner.id),
      }),
      allow: STAFF,
      status: 200,
      objectInPath: true,
      badInput: (org) => ({ method: 'GET', url: drillUrl(org, 'ann') }),
    });
  });
});

describe('at-risk list', () => {
  it('lists overdue learners and critical modules under target, by risk then name', async () => {
    const a = h.world.a;
    const { body } = await atRisk(a.users.admin, a);
    expect(body).toEqual({
      target: 0.9,
      timeZone: 'Europe/Paris',
      items: [
        {
          userId: w.ann.id,
          name: 'Ann',
          teamId: a.team.id,
          teamName: 'Sales',
          criticalUnderTarget: [
            { moduleId: w.close.id, moduleTitle: 'Close', recall: close(0.854694) },
          ],
          ...ANN,
        },
        {
          userId: w.bob.id,
          name: 'Bob',
          teamId: a.team.id,
          teamName: 'Sales',
          overdueCards: 3,
          // Due Saturday 14 February: overdue from Monday the 16th, at the same time.
          overdueSince: '2026-02-16T09:00:00.000Z',
          criticalUnderTarget: [],
          recall: close(0.703064),
          risk: 3,
          pausedUntil: null,
          lastRemindedAt: null,
        },
        // Cat and Frank tie at 1: by name.
        {
          userId: w.cat.id,
          name: 'Cat',
          teamId: w.support.id,
          teamName: 'Support',
          overdueCards: 1,
          overdueSince: '2026-02-27T09:00:00.000Z',
          criticalUnderTarget: [],
          recall: close(0.888827),
          risk: 1,
          pausedUntil: null,
          lastRemindedAt: null,
        },
        {
          userId: w.frank.id,
          name: 'Frank',
          teamId: null,
          teamName: null,
          overdueCards: 1,
          overdueSince: '2026-02-16T09:00:00.000Z',
          criticalUnderTarget: [],
          recall: close(0.703064),
          risk: 1,
          pausedUntil: null,
          lastRemindedAt: null,
        },
      ],
    });
    // Dan's refresher is pushed past today by his pauses; Eve is deactivated.
  });

  it('narrows to a module, a team, a persona or a job role', async () => {
    const a = h.world.a;
    const admin = a.users.admin;
    const onClose = (await atRisk(admin, a, `?moduleId=${w.close.id}`)).body;
    // Only Close's cards count: Ann's recall is her Close mean; Cat's Close is at target.
    expect(onClose.items).toEqual([
      expect.objectContaining({ userId: w.ann.id, ...ANN, recall: close(0.854694) }),
    ]);
    expect(names((await atRisk(admin, a, `?moduleId=${w.mail.id}`)).body)).toEqual([
      'Bob',
      'Cat',
      'Frank',
    ]);
    expect(names((await atRisk(admin, a, `?teamId=${w.support.id}`)).body)).toEqual(['Cat']);
    expect(names((await atRisk(admin, a, `?personaId=${w.p}`)).body)).toEqual(['Ann']);
    expect(names((await atRisk(admin, a, `?jobRoleId=${a.jobRole.id}`)).body)).toEqual(['Ann']);
  });

  it('narrows to the people of no team with teamId=none, for whole-organisation viewers', async () => {
    const a = h.world.a;
    expect(names((await atRisk(a.users.admin, a, '?teamId=none')).body)).toEqual(['Frank']);
    // Frank's Mail card alone: the overview and its heatmap say the same people.
    const overview = (await get(a.users.trainer, `${base(a)}/overview?teamId=none`)).body;
    expect(overview).toMatchObject({ learners: 1, cardsLearnt: 1, recallNow: close(0.703064) });
    expect(overview.heatmap).toEqual([
      expect.objectContaining({ teamId: null, moduleId: w.mail.id, learners: 1 }),
    ]);
    // A manager's teams hold nobody of no team: an empty list, never Frank.
    await f.manageTeams(a, a.users.manager.id, [w.support.id]);
    expect((await atRisk(a.users.manager, a, '?teamId=none')).body.items).toEqual([]);
    expect((await get(a.users.manager, `${base(a)}/overview?teamId=none`)).body).toMatchObject({
      learners: 0,
      cardsLearnt: 0,
    });
  });

  it('answers an empty list when nobody is at risk', async () => {
    const a = h.world.a;
    expect((await atRisk(a.users.admin, a, `?moduleId=${w.chat.id}`)).body).toEqual({
      target: 0.9,
      timeZone: 'Europe/Paris',
      items: [],
    });
    const b = h.world.b;
    expect((await atRisk(b.users.admin, b)).body).toEqual({
      target: 0.9,
      timeZone: 'Europe/Paris',
      items: [],
    });
  });

  it("uses the organisation's target", async () => {
    const a = h.world.a;
    await h.db
      .update(organisations)
      .set({ desiredRetention: 0.8 })
      .where(eq(organisations.id, a.id));
    try {
      const { body } = await atRisk(a.users.admin, a);
      // Close at 0.854694 is over 0.8: Ann is at risk for her overdue card only.
      expect(body.target).toBe(0.8);
      expect(body.items[0]).toMatchObject({ name: 'Bob', risk: 3 });
      expect(body.items.find((i: { name: string }) => i.name === 'Ann')).toMatchObject({
        criticalUnderTarget: [],
        risk: 1,
      });
    } finally {
      await h.db
        .update(organisations)
        .set({ desiredRetention: 0.9 })
        .where(eq(organisations.id, a.id));
    }
  });
});

describe('pauses', () => {
  it('a learner on a pause is not overdue; a critical module under target still counts', async () => {
    const a = h.world.a;
    const admin = a.users.admin;
    const ids: string[] = [];
    for (const user of [w.ann, w.cat]) {
      const res = await admin.inject({
        method: 'POST',
        url: `/api/orgs/${a.id}/pauses`,
        payload: { userId: user.id, startsOn: '2026-03-02', endsOn: '2026-03-06' },
      });
      expect(res.statusCode, res.body).toBe(201);
      ids.push(json(res).id);
    }
    try {
      const { body } = await atRisk(admin, a);
      expect(names(body)).toEqual(['Ann', 'Bob', 'Frank']);
      // 100 × 0.045306: the critical module only.
      expect(body.items[0]).toMatchObject({
        overdueCards: 0,
        overdueSince: null,
        risk: close(4.530595),
        pausedUntil: '2026-03-06',
      });
      // Nothing of hers is due while away: it all comes back on Monday 9 March, in Paris.
      const closeModule = (await drill(admin, a, w.ann.id)).body.modules[1];
      expect(closeModule).toMatchObject({
        moduleTitle: 'Close',
        dueToday: 0,
        nextDue: '2026-03-08T23:00:00.000Z',
        overdueCards: 0,
        overdueSince: null,
      });
    } finally {
      for (const id of ids) {
        const res = await admin.inject({ method: 'DELETE', url: `/api/orgs/${a.id}/pauses/${id}` });
        expect(res.statusCode, res.body).toBe(204);
      }
    }
  });

  it('pushes due dates back by the pauses after the last review, in a chain', async () => {
    const a = h.world.a;
    const mail = (body: { modules: { moduleTitle: string }[] }) =>
      body.modules.find((m) => m.moduleTitle === 'Mail');
    const { body } = await drill(a.users.admin, a, w.dan.id);
    // Due at 09:00Z today: today's, not overdue, and not a next refresher in the past.
    expect(mail(body)).toMatchObject({
      dueToday: 1,
      nextDue: null,
      overdueCards: 0,
      overdueSince: null,
    });
    expect(body.pauses.map((p: { status: string }) => p.status)).toEqual(['over', 'over', 'over']);
    // Without the second pause, only the first one pushes: due 26 Feb, overdue.
    await h.db
      .delete(refresherPauses)
      .where(and(eq(refresherPauses.userId, w.dan.id), eq(refresherPauses.startsOn, '2026-02-26')));
    try {
      const list = (await atRisk(a.users.admin, a, `?teamId=${w.support.id}`)).body;
      expect(list.items.find((i: { name: string }) => i.name === 'Dan')).toMatchObject({
        overdueCards: 1,
        overdueSince: '2026-02-26T09:00:00.000Z',
      });
    } finally {
      await pastPause(a, w.dan, '2026-02-26', '2026-03-01');
    }
  });
});

describe('scope', () => {
  it('shows a manager the teams they manage only', async () => {
    const a = h.world.a;
    const manager = a.users.manager;
    await f.manageTeams(a, manager.id, [w.support.id]);
    expect(names((await atRisk(manager, a)).body)).toEqual(['Cat']);
    expect((await atRisk(manager, a, `?teamId=${a.team.id}`)).body.items).toEqual([]);
    await drill(manager, a, w.cat.id);
    expectError(await manager.inject({ method: 'GET', url: drillUrl(a, w.ann.id) }), 404);
    expectError(await manager.inject({ method: 'GET', url: drillUrl(a, w.frank.id) }), 404);
  });

  it('shows a referent their own team', async () => {
    const a = h.world.a;
    const referent = a.users.referent;
    // Eve, in Sales too, is deactivated.
    expect(names((await atRisk(referent, a)).body)).toEqual(['Ann', 'Bob']);
    await drill(referent, a, w.bob.id);
    for (const user of [w.cat, w.frank]) {
      expectError(await referent.inject({ method: 'GET', url: drillUrl(a, user.id) }), 404);
    }
  });

  it('shows a manager who manages no team nothing', async () => {
    const b = h.world.b;
    expect((await atRisk(b.users.manager, b)).body).toEqual({
      target: 0.9,
      timeZone: 'Europe/Paris',
      items: [],
    });
  });

  it('answers 404 for a deactivated member, a stranger or an unknown id', async () => {
    const a = h.world.a;
    const admin = a.users.admin;
    const stranger = await h.addUser(null, []);
    for (const id of [w.eve.id, stranger.id, h.world.b.users.learner.id, randomUUID()]) {
      expectError(await admin.inject({ method: 'GET', url: drillUrl(a, id) }), 404, 'NOT_FOUND');
    }
  });
});

describe('learner drill-down', () => {
  it("gives one learner's modules, recall, due refreshers, history and pauses", async () => {
    const a = h.world.a;
    const { body } = await drill(a.users.trainer, a, w.ann.id);
    expect(body).toEqual({
      target: 0.9,
      learner: {
        userId: w.ann.id,
        name: 'Ann',
        teamName: 'Sales',
        personaName: expect.any(String),
        jobRoleName: 'Sales rep',
        lastRemindedAt: null,
      },
      timeZone: 'Europe/Paris',
      // By title; Mail opens tomorrow.
      modules: [
        {
          moduleId: w.chat.id,
          moduleTitle: 'Chat',
          critical: false,
          lessonsDone: 1,
          lessonsTotal: 1,
          cardsLearnt: 1,
          recall: close(0.940344),
          dueToday: 0,
          nextDue: '2026-04-01T09:00:00.000Z',
          overdueCards: 0,
          overdueSince: null,
        },
        {
          moduleId: w.close.id,
          moduleTitle: 'Close',
          critical: true,
          // L3 is for persona Q only.
          lessonsDone: 1,
          lessonsTotal: 2,
          cardsLearnt: 2,
          recall: close(0.854694),
          // c1 is overdue since 10 Feb and c2 due now: both are today's, none comes after.
          dueToday: 2,
          nextDue: null,
          overdueCards: 1,
          overdueSince: '2026-02-10T09:00:00.000Z',
        },
      ],
      // Paris days. 3 Sep 23:00 Paris is before the window; its answer is still the previous
      // review of the next one (2 hours later, S = 2 hours: t/S 1 → 0.9). 31 Jan: c1 10 days
      // after its review of S 10 (0.9, wrong) and cx at t/S 3 (0.80939, hard): mean 0.854694.
      // 2 Feb and 2 Mar are 1 Feb and 1 Mar at 23:30Z; 28 days apart, S 28/3: t/S 3.
      history: [
        { date: '2025-09-04', reviews: 1, passed: 1, predicted: close(0.9) },
        { date: '2026-01-21', reviews: 1, passed: 1, predicted: null },
        { date: '2026-01-31', reviews: 2, passed: 1, predicted: close(0.854694) },
        { date: '2026-02-02', reviews: 1, passed: 1, predicted: null },
        { date: '2026-03-02', reviews: 1, passed: 1, predicted: close(0.809388) },
      ],
      pauses: [],
    });
  });

  it('never gives a past date as the next refresher: overdue since a working day', async () => {
    const a = h.world.a;
    const { body } = await drill(a.users.admin, a, w.bob.id);
    expect(body.modules).toEqual([
      expect.objectContaining({
        moduleTitle: 'Mail',
        dueToday: 3,
        nextDue: null,
        overdueCards: 3,
        // Due on Saturday 14 February: overdue from Monday the 16th, as in the at-risk list.
        overdueSince: '2026-02-16T09:00:00.000Z',
      }),
    ]);
  });

  it('lists the modules by title as people read them: "Step 2" before "Step 10"', async () => {
    const a = h.world.a;
    // Nothing learnt yet: nobody new at risk for the other tests.
    const zed = await f.learner(a, 'Zed');
    for (const title of ['Step 10', 'step 1', 'Step 2', 'Étape 3']) {
      await f.assign(a, (await f.publishedModule(a, { title })).id, [zed.id]);
    }
    const { body } = await drill(a.users.admin, a, zed.id);
    expect(body.modules.map((x: { moduleTitle: string }) => x.moduleTitle)).toEqual([
      'Étape 3',
      'step 1',
      'Step 2',
      'Step 10',
    ]);
  });

  it("counts days in the organisation's time zone", async () => {
    const a = h.world.a;
    const zone = (timeZone: string) => f.learningSettings(a, { timeZone });
    await zone('UTC');
    try {
      const { body } = await drill(a.users.admin, a, w.ann.id);
      // In UTC the window starts on 4 Sep at 00:00Z: both September answers fall out.
      expect(body.history.map((d: { date: string }) => d.date)).toEqual([
        '2026-01-21',
        '2026-01-31',
        '2026-02-01',
        '2026-03-01',
      ]);
    } finally {
      await zone('Europe/Paris');
    }
  });

  it('shows an empty drill-down for a learner with nothing yet', async () => {
    const a = h.world.a;
    const { body } = await drill(a.users.admin, a, a.users.learner.id);
    expect(body).toMatchObject({ modules: [], history: [], pauses: [] });
    expect(body.learner).toEqual({
      userId: a.users.learner.id,
      name: a.users.learner.name,
      teamName: null,
      personaName: null,
      jobRoleName: null,
      lastRemindedAt: null,
    });
  });
});

describe('isolation', () => {
  it("is byte-identical when another organisation's data goes to extremes", async () => {
    const [a, b] = [h.world.a, h.world.b];
    const requests = [
      atRiskUrl(a),
      atRiskUrl(a, `?moduleId=${w.close.id}`),
      drillUrl(a, w.ann.id),
      drillUrl(a, w.dan.id),
    ];
    const read = () => Promise.all(requests.map(async (u) => (await get(a.users.admin, u)).text));
    // Ann is also a member of B, with a critical module, memory, answers and a pause there.
    await orgRepo.insertMembership(h.db, {
      orgId: b.id,
      userId: w.ann.id,
      roles: ['learner'],
      teamId: b.team.id,
      now: h.clock.now(),
    });
    const theirs = await f.publishedModule(b, { title: 'Close', criticality: 'critical' });
    await f.assign(b, theirs.id, [w.ann.id]);
    await f.remember(b, w.ann.id, card(theirs).cardId, { stability: 10, daysAgo: 3 });
    await logReview(b, w.ann, card(theirs), {
      at: '2026-02-27T09:00:00Z',
      rating: 3,
      stability: 10,
    });
    const before = await read();

    await h.db
      .update(cardStates)
      .set({ stability: 0.001, lastReview: new Date('2020-01-01T00:00:00Z'), due: new Date(0) })
      .where(eq(cardStates.orgId, b.id));
    await h.db
      .update(reviewLogs)
      .set({ rating: 1, stability: 0.001, reviewedAt: new Date('2026-03-02T08:00:00Z') })
      .where(eq(reviewLogs.orgId, b.id));
    await h.db
      .update(organisations)
      .set({ desiredRetention: 0.97, timeZone: 'Pacific/Kiritimati' })
      .where(eq(organisations.id, b.id));
    // Reminded there today: A's lists still say she never was.
    await h.db.insert(reminders).values({
      orgId: b.id,
      userId: w.ann.id,
      sentBy: b.users.admin.id,
      createdAt: new Date('2026-03-02T08:00:00Z'),
    });
    await h.db.insert(refresherPauses).values([
      { orgId: b.id, userId: w.ann.id, startsOn: '2026-01-01', endsOn: '2026-03-31' },
      { orgId: b.id, userId: w.dan.id, startsOn: '2026-03-01', endsOn: '2026-03-03' },
    ]);
    expect(await read()).toEqual(before);
    // The change did reach B's own list.
    const theirList = (await atRisk(b.users.admin, b)).body;
    expect(theirList.items).toEqual([
      expect.objectContaining({
        userId: w.ann.id,
        pausedUntil: '2026-03-31',
        lastRemindedAt: '2026-03-02T08:00:00.000Z',
      }),
    ]);
  });
});

describe('pause shift in SQL', () => {
  it('agrees with shared/pauses.ts pausedDue and the working-day count, across a daylight-saving change', async () => {
    // An organisation of its own (Europe/Paris, which moves to summer time on 29 March).
    const org = await orgRepo.insertOrg(h.db, 'Org C', h.clock.now());
    const admin = await h.addUser(org.id, ['admin'], 'C admin');
    const trainer = await h.addUser(org.id, ['trainer'], 'C trainer');
    const c = { id: org.id, name: 'Org C', users: { admin, trainer } } as unknown as OrgFixture;
    const module = await f.publishedModule(c, { title: 'Close' });
    const gus = await h.addUser(org.id, ['learner'], 'Gus');
    await f.assign(c, module.id, [gus.id]);
    const now = h.clock.now();
    const tz = 'Europe/Paris';
    const { date: today, end: todayEnds } = zonedToday(now, tz);
    const calendar = (await loadCalendar(h.db, org.id))!;
    const dateOf = (n: number) => new Date(Date.parse('2026-02-01T00:00:00Z') + n * DAY);

    const scenario = fc.record({
      // Each pause starts `gap` days after the previous one's last day: they never overlap.
      pauses: fc.array(
        fc.record({
          gap: fc.integer({ min: 1, max: 20 }),
          length: fc.integer({ min: 1, max: 10 }),
        }),
        { maxLength: 4 },
      ),
      reviewHours: fc.integer({ min: 0, max: 60 * 24 }),
      dueHours: fc.integer({ min: 0, max: 40 * 24 }),
    });
    await fc.assert(
      fc.asyncProperty(scenario, async ({ pauses, reviewHours, dueHours }) => {
        await h.db.delete(refresherPauses).where(eq(refresherPauses.userId, gus.id));
        await h.db.delete(cardStates).where(eq(cardStates.userId, gus.id));
        const lastReview = new Date(dateOf(0).getTime() + reviewHours * HOUR);
        const due = new Date(lastReview.getTime() + dueHours * HOUR);
        await f.remember(c, gus.id, card(module).cardId, {
          stability: 5,
          daysAgo: days(lastReview.toISOString(), now.toISOString()),
          due,
        });
        let day = 0;
        const spans: { start: Date; end: Date; endsOn: string }[] = [];
        for (const { gap, length } of pauses) {
          const startsOn = dateOf(day + gap)
            .toISOString()
            .slice(0, 10);
          const endsOn = dateOf(day + gap + length - 1)
            .toISOString()
            .slice(0, 10);
          day += gap + length;
          await pastPause(c, gus, startsOn, endsOn);
          spans.push({
            start: startOfDay(startsOn, tz),
            end: startOfDay(nextDate(endsOn), tz),
            endsOn,
          });
        }
        const expected = pausedDue(due, lastReview, spans);
        const pause = spans.find((s) => s.start <= now && now < s.end);
        // Overdue once a working day has passed since it fell due.
        const overdue = !pause && overdueWorkingDays(calendar, localDate(expected, tz), today) >= 1;
        const since = overdue ? overdueFrom(expected, calendar, tz).toISOString() : null;
        // Never a past date as the next refresher: due already is today's (or, on a pause,
        // back on the first working day after it).
        const resumesAt = pause && startOfDay(nextWorkingDay(calendar, pause.endsOn), tz);
        const { body } = await drill(admin, c, gus.id);
        expect(body.modules[0]).toMatchObject(
          expected >= todayEnds
            ? { dueToday: 0, nextDue: expected.toISOString(), overdueCards: 0 }
            : resumesAt
              ? { dueToday: 0, nextDue: resumesAt.toISOString(), overdueCards: 0 }
              : { dueToday: 1, nextDue: null, overdueCards: overdue ? 1 : 0, overdueSince: since },
        );
        const list = (await atRisk(admin, c)).body;
        expect(list.items).toEqual(
          overdue
            ? [
                expect.objectContaining({
                  overdueCards: 1,
                  overdueSince: since,
                }),
              ]
            : [],
        );
      }),
      { numRuns: 40 },
    );
  });
});

describe('overdue in working days', () => {
  it('counts only the organisation’s working days: weekends, public holidays and closures', async () => {
    // An organisation of its own (France, Europe/Paris), so its closures touch nobody else.
    const org = await orgRepo.insertOrg(h.db, 'Org D', h.clock.now());
    const admin = await h.addUser(org.id, ['admin'], 'D admin');
    const trainer = await h.addUser(org.id, ['trainer'], 'D trainer');
    const d = { id: org.id, name: 'Org D', users: { admin, trainer } } as unknown as OrgFixture;
    const module = await f.publishedModule(d, { title: 'Close' }, [
      { cards: [sampleSingle, sampleSingle] },
    ]);
    const hal = await h.addUser(org.id, ['learner'], 'Hal');
    await f.assign(d, module.id, [hal.id]);
    const [friday, sunday] = [card(module, 0, 0), card(module, 0, 1)];
    /** Hal's cards due at these instants, read at `now`: his at-risk row and his drill-down. */
    async function overdueAt(now: string, dues: [string, string]) {
      await h.db.delete(cardStates).where(eq(cardStates.userId, hal.id));
      h.clock.set(now);
      // Weeks may pass: a fresh session, as the admin would sign in again.
      admin.token = await h.signIn(admin.id);
      try {
        for (const [c, due] of [
          [friday, dues[0]],
          [sunday, dues[1]],
        ] as const) {
          await f.remember(d, hal.id, c.cardId, { stability: 3, daysAgo: 5, due: new Date(due) });
        }
        const [row] = (await atRisk(admin, d)).body.items;
        const drilled = (await drill(admin, d, hal.id)).body.modules[0].overdueCards;
        expect(drilled).toBe(row?.overdueCards ?? 0);
        return row ? { cards: row.overdueCards, since: row.overdueSince } : null;
      } finally {
        h.clock.set(NOW);
      }
    }
    // Due Friday 27 February and Sunday 1 March at 10:00 in Paris.
    const weekend: [string, string] = ['2026-02-27T09:00:00Z', '2026-03-01T09:00:00Z'];
    // Monday: the Friday one is 1 working day overdue; the Sunday one not yet (was 2 since 27 Feb).
    expect(await overdueAt('2026-03-02T09:00:00Z', weekend)).toEqual({
      cards: 1,
      since: '2026-02-27T09:00:00.000Z',
    });
    // Tuesday: both.
    expect(await overdueAt('2026-03-03T09:00:00Z', weekend)).toEqual({
      cards: 2,
      since: '2026-02-27T09:00:00.000Z',
    });
    // Easter Monday, 6 April 2026: due on it (10:00 summer time), overdue only from Wednesday,
    // and since Tuesday (was overdue on Tuesday, since Monday).
    const easter: [string, string] = ['2026-04-06T08:00:00Z', '2026-04-06T08:00:00Z'];
    expect(await overdueAt('2026-04-07T08:00:00Z', easter)).toBeNull();
    expect(await overdueAt('2026-04-08T08:00:00Z', easter)).toEqual({
      cards: 2,
      since: '2026-04-07T08:00:00.000Z',
    });
    // The organisation closed on Monday 2 March: on Tuesday, the Sunday one is not overdue yet.
    await h.db
      .insert(orgClosures)
      .values({ orgId: org.id, startsOn: '2026-03-02', endsOn: '2026-03-02', label: 'Inventaire' });
    expect(await overdueAt('2026-03-03T09:00:00Z', weekend)).toEqual({
      cards: 1,
      since: '2026-02-27T09:00:00.000Z',
    });
  });
});
