import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { fillDays } from '../../server/dashboards/forecast/days';
import { forecast as forecastRows } from '../../server/dashboards/forecast/repository';
import { cardStates, refresherPauses } from '../../server/db/schema';
import * as structureRepo from '../../server/structure/repository';
import * as toolRepo from '../../server/tools/repository';
import { DEFAULT_DECAY } from '../../shared/learning';
import { pausedDue } from '../../shared/pauses';
import { DAY } from '../helpers/clock';
import {
  checkRoute,
  createHarness,
  expectError,
  json,
  type OrgFixture,
  STAFF,
  type UserFixture,
} from '../helpers/harness';
import { learningFixtures } from '../helpers/learning';

const h = await createHarness();
const f = learningFixtures(h);
// A Monday; Europe/Paris (the organisation's zone) is at UTC+1 until 29 March.
const NOW = '2026-03-02T09:00:00Z';
const url = (org: OrgFixture, query = '') => `/api/orgs/${org.id}/dashboards/forecast${query}`;

async function forecast(user: UserFixture, org: OrgFixture, query = '') {
  const res = await user.inject({ method: 'GET', url: url(org, query) });
  expect(res.statusCode, res.body).toBe(200);
  return { body: json(res), text: res.body };
}

/**
 * Organisation A at NOW (target 0.9):
 *
 *   team     learner  module  memory (stability S days, last review t days ago)
 *   Sales    ann      Mail    S 10,  t 10  due now
 *   Sales    ann      Close   S 20,  t 5   due in 15 days
 *   Sales    bob      Close   S 2,   t 4   due 2 days ago (overdue: assumed done today)
 *   Support  cat      Close   S 100, t 1   due in 99 days
 *   Support  cat      Mail    S 10,  t 2   due in 8 days, but cat pauses 9–13 March (5 days)
 *
 * "Close" trains the process "Month-end close" (last working day of the month: Tue 31 March);
 * "Quarterly report" is used on 10 March and has no module; "Year-end" (15 January 2027) is
 * beyond the 60 days, "Call logging" has no next use.
 */
const w = {} as {
  support: { id: string; name: string };
  close: Awaited<ReturnType<typeof f.publishedModule>>;
  mail: Awaited<ReturnType<typeof f.publishedModule>>;
  closeProcess: { id: string };
  quarterly: { id: string };
  ann: UserFixture;
  bob: UserFixture;
  cat: UserFixture;
};

beforeAll(async () => {
  h.clock.set(NOW);
  const a = h.world.a;
  const now = h.clock.now();
  w.support = await structureRepo.insertItem(h.db, 'team', a.id, 'Support', now);
  const tool = await toolRepo.insertTool(
    h.db,
    a.id,
    { name: 'Accounting', description: null },
    now,
  );
  const process = (
    name: string,
    nextUse: Parameters<typeof toolRepo.insertProcess>[3]['nextUse'],
  ) => toolRepo.insertProcess(h.db, a.id, tool.id, { name, description: null, nextUse }, now);
  w.closeProcess = await process('Month-end close', {
    kind: 'rule',
    rule: 'last-working-day-of-month',
  });
  w.quarterly = await process('Quarterly report', { kind: 'dates', dates: ['2026-03-10'] });
  await process('Year-end', { kind: 'dates', dates: ['2027-01-15'] });
  await process('Call logging', { kind: 'none' });
  const close = await f.publishedModule(a, {
    title: 'Close',
    toolId: tool.id,
    processId: w.closeProcess.id,
  });
  const mail = await f.publishedModule(a, { title: 'Mail' });
  w.close = close;
  w.mail = mail;
  w.ann = await f.learner(a, 'Ann', { teamId: a.team.id });
  w.bob = await f.learner(a, 'Bob', { teamId: a.team.id });
  w.cat = await f.learner(a, 'Cat', { teamId: w.support.id });
  const closeCard = close.lessons[0]!.cardIds[0]!;
  const mailCard = mail.lessons[0]!.cardIds[0]!;
  await f.remember(a, w.ann.id, mailCard, { stability: 10, daysAgo: 10 });
  await f.remember(a, w.ann.id, closeCard, { stability: 20, daysAgo: 5 });
  await f.remember(a, w.bob.id, closeCard, { stability: 2, daysAgo: 4 });
  await f.remember(a, w.cat.id, closeCard, { stability: 100, daysAgo: 1 });
  await f.remember(a, w.cat.id, mailCard, { stability: 10, daysAgo: 2 });
  await h.db.insert(refresherPauses).values({
    orgId: a.id,
    userId: w.cat.id,
    startsOn: '2026-03-09',
    endsOn: '2026-03-13',
  });
});

/*
 * Worked out by hand. factor = 0.9^(-1/0.1542) - 1 = 0.980346 and R(t, S) = (1 + 0.980346·t/S)^-0.1542.
 * After a right answer (Good) at recall R, with FSRS-6's w8 = 1.8722, w9 = 0.1666, w10 = 0.796:
 * S' = S·(1 + e^1.8722·(11 − D)·S^-0.1666·(e^(0.796·(1 − R)) − 1)), e^1.8722 = 6.502586, D = 5.
 *
 * ann × Mail, due now (t = 10 = S: R = 0.9): S' = 10·(1 + 6.502586·6·0.681397·0.082854) = 32.02673.
 *   day 0: 0.9 on both curves (the refresher due now counts from day 1).
 *   day 1: without R(11, 10) = 0.893319; with R(1, 32.02673) = 0.995361.
 *   day 10: without R(20, 10) = 2.960693^-0.1542 = 0.845885; with R(10, 32.02673) = 0.959658.
 *   Without, under 0.9 from day 1 (3 March); with, R(32, 32.03) = 0.900057 and
 *   R(33, 32.03) = 0.897930: day 33 (4 April).
 * Sales × Close, ann (S 20, t 5, due day 15) and bob (S 2, t 4, overdue, reviewed today):
 *   ann's S' at R(20, 20) = 0.9: 20·(1 + 6.502586·6·0.607083·0.082854) = 59.24898;
 *   bob's at R(4, 2) = 0.845885: 2·(1 + 6.502586·6·0.890940·(e^(0.796·0.154115) − 1)) = 11.07373.
 *   day 0: (R(5, 20) + R(4, 2)) / 2 = (0.966763 + 0.845885) / 2 = 0.906324 on both.
 *   day 20: without (R(25, 20) + R(24, 2)) / 2 = (0.883952 + 0.675237) / 2 = 0.779594;
 *           with (R(5, 59.24898) + R(20, 11.07373)) / 2 = (0.987818 + 0.854586) / 2 = 0.921202.
 *   Without under 0.9 from day 1 (0.893580); with, day 12 = (R(17, 20) + R(12, 11.07373)) / 2
 *   = 0.902579 and day 13 = 0.897841: 15 March.
 * Support × Mail, cat (S 10, t 2, due 10 March 09:00 UTC): the pause (9 March 00:00 to 14 March
 *   00:00 Paris, 5 days) starts after the last review and before the due date, which moves to
 *   15 March 09:00, day 13: day 13 is still R(15, 10) = 0.869825 on both curves; day 14 is
 *   R(1, S') with S' = S'(10, 5, 0.869825) = 39.02498: 0.996182 (without: R(16, 10) = 0.864621).
 * Month-end close on Tuesday 31 March, read at the end of that day (1 April 00:00 Paris =
 *   31 March 22:00 UTC): ann 34.541667 days after her review, R(34.541667, 20) = 0.858330;
 *   bob R(33.541667, 2) = 0.643500; cat R(30.541667, 100) = 0.960418.
 */
const close = (x: number, digits = 5) => expect.closeTo(x, digits);

describe('access', () => {
  it('admins, trainers, managers and referents read the forecast; learners get 403', async () => {
    await checkRoute(h, {
      request: (org) => ({ method: 'GET', url: url(org) }),
      allow: STAFF,
      status: 200,
      badInput: (org) => ({ method: 'GET', url: url(org, '?teamId=notauuid') }),
    });
  });

  it('refuses unknown filters with the one error shape', async () => {
    const res = await h.world.a.users.admin.inject({
      method: 'GET',
      url: url(h.world.a, '?period=week'),
    });
    expectError(res, 400, 'VALIDATION_FAILED');
  });
});

describe('forecast of the whole organisation', () => {
  it('gives one 61-day series per team × module, the ones needing attention first', async () => {
    const { body } = await forecast(h.world.a.users.admin, h.world.a);
    expect(body).toMatchObject({ target: 0.9, today: '2026-03-02' });
    expect(
      body.series.map((s: { teamName: string; moduleTitle: string; learners: number }) => [
        s.teamName,
        s.moduleTitle,
        s.learners,
      ]),
    ).toEqual([
      // Both under the target from tomorrow: the lower recall today first (0.9 against 0.906).
      ['Sales', 'Mail', 1],
      ['Sales', 'Close', 2],
      ['Support', 'Mail', 1],
      // Above the target for the whole window: last.
      ['Support', 'Close', 1],
    ]);
    for (const series of body.series) {
      expect(series.points.map((p: { day: number }) => p.day)).toEqual(
        Array.from({ length: 61 }, (_, i) => i),
      );
    }
    expect(body.series[0].points[60].date).toBe('2026-05-01');
  });

  it('predicts one card without reviews and with its refresher answered right', async () => {
    const { body } = await forecast(h.world.a.users.trainer, h.world.a);
    const mail = body.series[0];
    expect(mail).toMatchObject({
      teamId: h.world.a.team.id,
      moduleId: w.mail.id,
      moduleTitle: 'Mail',
      cards: 1,
      crossesTargetOn: '2026-03-03',
      crossesTargetWithScheduledOn: '2026-04-04',
    });
    expect(mail.points[0]).toEqual({
      day: 0,
      date: '2026-03-02',
      withoutReviews: close(0.9),
      withScheduled: close(0.9),
    });
    expect(mail.points[1]).toMatchObject({
      withoutReviews: close(0.893319),
      withScheduled: close(0.995361),
    });
    expect(mail.points[10]).toMatchObject({
      date: '2026-03-12',
      withoutReviews: close(0.845885),
      withScheduled: close(0.959658),
    });
  });

  it('averages over the cards of a cell, an overdue refresher counted as done today', async () => {
    const { body } = await forecast(h.world.a.users.admin, h.world.a);
    const closeSales = body.series[1];
    expect(closeSales).toMatchObject({
      cards: 2,
      crossesTargetOn: '2026-03-03',
      crossesTargetWithScheduledOn: '2026-03-15',
    });
    expect(closeSales.points[0]).toMatchObject({
      withoutReviews: close(0.906324),
      withScheduled: close(0.906324),
    });
    expect(closeSales.points[12].withScheduled).toBeCloseTo(0.902579, 5);
    expect(closeSales.points[20]).toMatchObject({
      withoutReviews: close(0.779594),
      withScheduled: close(0.921202),
    });
  });

  it('moves a refresher by the pause it falls in', async () => {
    const { body } = await forecast(h.world.a.users.admin, h.world.a);
    const mail = body.series[2];
    expect(mail.teamId).toBe(w.support.id);
    // Without the pause the refresher would come on day 8.
    expect(mail.points[9].withScheduled).toBeCloseTo(mail.points[9].withoutReviews, 12);
    expect(mail.points[13]).toMatchObject({
      withoutReviews: close(0.869825),
      withScheduled: close(0.869825),
    });
    expect(mail.points[14]).toMatchObject({
      withoutReviews: close(0.864621),
      withScheduled: close(0.996182),
    });
    // cat's Close card stays above the target for the whole window on both curves.
    expect(body.series[3]).toMatchObject({
      crossesTargetOn: null,
      crossesTargetWithScheduledOn: null,
    });
  });

  it('lists who will be under the target on the next use of each process, lowest first', async () => {
    const { body } = await forecast(h.world.a.users.admin, h.world.a);
    expect(body.processes).toEqual([
      {
        processId: w.quarterly.id,
        processName: 'Quarterly report',
        toolName: 'Accounting',
        nextUse: '2026-03-10',
        target: 0.9,
        learners: 0,
        forgetting: [],
      },
      {
        processId: w.closeProcess.id,
        processName: 'Month-end close',
        toolName: 'Accounting',
        nextUse: '2026-03-31',
        target: 0.9,
        learners: 3,
        forgetting: [
          { userId: w.bob.id, name: 'Bob', teamName: 'Sales', recallAtNextUse: close(0.6435) },
          { userId: w.ann.id, name: 'Ann', teamName: 'Sales', recallAtNextUse: close(0.85833) },
        ],
      },
    ]);
  });

  it('reads each process against its own use-day target', async () => {
    const a = h.world.a;
    const setTarget = async (useDayTarget: number | null) => {
      const res = await a.users.trainer.inject({
        method: 'PATCH',
        url: `/api/orgs/${a.id}/processes/${w.closeProcess.id}`,
        payload: { useDayTarget },
      });
      expect(res.statusCode, res.body).toBe(200);
    };
    await setTarget(0.8);
    try {
      const { body } = await forecast(a.users.admin, a);
      // Ann's 86% on the day is enough for 80%; Bob's 64% is not.
      expect(body.processes[1]).toMatchObject({
        processId: w.closeProcess.id,
        target: 0.8,
        learners: 3,
        forgetting: [{ userId: w.bob.id, recallAtNextUse: close(0.6435) }],
      });
      expect(body.processes[1].forgetting).toHaveLength(1);
      // The organisation's own target is unchanged.
      expect(body.target).toBe(0.9);
    } finally {
      await setTarget(null);
    }
  });

  it('interpolates a coarse forecast exactly for one card between its reviews', async () => {
    const a = h.world.a;
    const params = {
      scope: { all: true as const },
      teamId: a.team.id,
      moduleId: w.mail.id,
      now: h.clock.now(),
      decay: DEFAULT_DECAY,
      timeZone: 'Europe/Paris',
    };
    const exact = await forecastRows(h.db, a.id, params);
    // A budget of one value: every 10th day, and day 1.
    const coarse = await forecastRows(h.db, a.id, { ...params, budget: 1 });
    expect(coarse.map((r) => r.day)).toEqual([0, 1, 10, 20, 30, 40, 50, 60]);
    const filled = fillDays(coarse, 60, DEFAULT_DECAY);
    expect(filled).toHaveLength(61);
    filled.forEach((p, i) => {
      expect(p.withoutReviews).toBeCloseTo(exact[i]!.withoutReviews, 9);
      expect(p.withScheduled).toBeCloseTo(exact[i]!.withScheduled, 9);
    });
  });
});

describe('filters and scope', () => {
  it('narrows to a module, and the processes to that module', async () => {
    const { body } = await forecast(h.world.a.users.admin, h.world.a, `?moduleId=${w.mail.id}`);
    expect(body.series.map((s: { moduleId: string }) => s.moduleId)).toEqual([
      w.mail.id,
      w.mail.id,
    ]);
    expect(body.processes[1]).toMatchObject({ learners: 0, forgetting: [] });
  });

  it('shows a manager the teams they manage only', async () => {
    const a = h.world.a;
    await f.manageTeams(a, a.users.manager.id, [w.support.id]);
    const { body } = await forecast(a.users.manager, a);
    expect(body.series.map((s: { teamId: string }) => s.teamId)).toEqual([
      w.support.id,
      w.support.id,
    ]);
    expect(body.processes[1]).toMatchObject({ learners: 1, forgetting: [] });
    // Asking for a team they do not manage narrows to nobody.
    const other = await forecast(a.users.manager, a, `?teamId=${a.team.id}`);
    expect(other.body.series).toEqual([]);
    expect(other.body.processes.map((p: { learners: number }) => p.learners)).toEqual([0, 0]);
  });

  it("shows a referent their own team's series", async () => {
    const a = h.world.a;
    const res = await a.users.admin.inject({
      method: 'PATCH',
      url: `/api/orgs/${a.id}/members/${a.users.referent.id}`,
      payload: { teamId: a.team.id },
    });
    expect(res.statusCode, res.body).toBe(200);
    const { body } = await forecast(a.users.referent, a);
    expect(body.series.map((s: { teamId: string }) => s.teamId)).toEqual([a.team.id, a.team.id]);
    expect(body.processes[1].forgetting.map((p: { userId: string }) => p.userId)).toEqual([
      w.bob.id,
      w.ann.id,
    ]);
  });

  it("gives an empty forecast for another organisation's team", async () => {
    const a = h.world.a;
    const { body } = await forecast(a.users.admin, a, `?teamId=${h.world.b.team.id}`);
    expect(body.series).toEqual([]);
    expect(body.processes.every((p: { learners: number }) => p.learners === 0)).toBe(true);
  });
});

describe('isolation', () => {
  it("leaves the forecast byte-identical when another organisation's memory goes to extremes", async () => {
    const [a, b] = [h.world.a, h.world.b];
    const module = await f.publishedModule(b, { title: 'Close' });
    const eve = await h.addUser(b.id, ['learner'], 'Eve');
    await f.setMembership(b, eve.id, { teamId: b.team.id });
    await f.remember(b, eve.id, module.lessons[0]!.cardIds[0]!, { stability: 10, daysAgo: 3 });
    const queries = ['', `?moduleId=${w.close.id}`, `?teamId=${a.team.id}`];
    const read = () =>
      Promise.all(queries.map(async (q) => (await forecast(a.users.admin, a, q)).text));
    const before = await read();
    await h.db
      .update(cardStates)
      .set({
        stability: 0.01,
        difficulty: 10,
        lastReview: new Date('2020-01-01T00:00:00Z'),
        due: new Date('2020-01-02T00:00:00Z'),
      })
      .where(eq(cardStates.orgId, b.id));
    await h.db.insert(refresherPauses).values({
      orgId: b.id,
      userId: eve.id,
      startsOn: '2026-03-01',
      endsOn: '2026-05-31',
    });
    expect(await read()).toEqual(before);
    // The change did reach organisation B's own forecast.
    const theirs = (await forecast(b.users.admin, b)).body;
    expect(theirs.series[0].points[0].withoutReviews).toBeLessThan(0.5);
  });
});

describe('pauses', () => {
  it('pushes a refresher through chained pauses exactly as pausedDue does', async () => {
    const a = h.world.a;
    const now = h.clock.now();
    const field = await structureRepo.insertItem(h.db, 'team', a.id, 'Field', now);
    const dan = await f.learner(a, 'Dan', { teamId: field.id });
    // Due 10 March 09:00 UTC. The first pause (9–10 March) pushes it to 12 March 09:00, into
    // the second (12–13 March, from 11 March 23:00 UTC), which pushes it to 14 March 09:00; the
    // third (20–21 March) starts after that and changes nothing.
    await f.remember(a, dan.id, w.close.lessons[0]!.cardIds[0]!, { stability: 10, daysAgo: 2 });
    const pauses = [
      ['2026-03-09', '2026-03-10'],
      ['2026-03-12', '2026-03-13'],
      ['2026-03-20', '2026-03-21'],
    ] as const;
    for (const [startsOn, endsOn] of pauses) {
      await h.db.insert(refresherPauses).values({ orgId: a.id, userId: dan.id, startsOn, endsOn });
    }
    const paris = (date: string) => new Date(`${date}T00:00:00+01:00`);
    const next = (date: string) => new Date(paris(date).getTime() + DAY);
    const due = pausedDue(
      new Date('2026-03-10T09:00:00Z'),
      new Date(now.getTime() - 2 * DAY),
      pauses.map(([s, e]) => ({ start: paris(s), end: next(e) })),
    );
    expect(due.toISOString()).toBe('2026-03-14T09:00:00.000Z');
    const { body } = await forecast(a.users.admin, a, `?teamId=${field.id}`);
    const points = body.series[0].points;
    // Reviewed 12 days from now: the curves part on day 13, not before.
    for (const day of [8, 10, 12]) {
      expect(points[day].withScheduled).toBeCloseTo(points[day].withoutReviews, 12);
    }
    expect(points[13].withScheduled).toBeGreaterThan(points[13].withoutReviews + 0.05);
  });
});
