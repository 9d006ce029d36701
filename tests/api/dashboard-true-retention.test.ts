import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { refresherPauses, reviewLogs } from '../../server/db/schema';
import * as structureRepo from '../../server/structure/repository';
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
import { logAnswer } from '../helpers/review-log';

const h = await createHarness();
const f = learningFixtures(h);
const NOW = '2026-03-02T09:00:00Z';
const url = (org: OrgFixture, query = '') =>
  `/api/orgs/${org.id}/dashboards/true-retention${query}`;

async function trueRetention(user: UserFixture, org: OrgFixture, query = '') {
  const res = await user.inject({ method: 'GET', url: url(org, query) });
  expect(res.statusCode, res.body).toBe(200);
  return { body: json(res), text: res.body };
}

interface Answer {
  at: string;
  rating: number;
  /** After the answer. */
  stability: number;
  scheduledDays: number;
}

/**
 * One card's answers, as the review service logs them (only what true retention reads matters):
 * each with its predecessor, the learner's previous answer to the card in the log.
 */
async function answers(
  org: OrgFixture,
  user: UserFixture,
  card: { moduleId: string; cardId: string },
  list: Answer[],
) {
  for (const a of list) {
    await logAnswer(
      h.db,
      { orgId: org.id, userId: user.id, ...card },
      {
        at: new Date(a.at),
        rating: a.rating,
        stability: a.stability,
        scheduledDays: a.scheduledDays,
      },
      { withPredecessor: true },
    );
  }
}

const w = {} as {
  support: { id: string; name: string };
  calendar: { id: string };
  ann: UserFixture;
  bob: UserFixture;
  cat: UserFixture;
};

/**
 * Organisation A (Europe/Paris, target 0.9). Sales: ann, bob; Support: cat.
 *
 *   ann, Accounts card:  5 Jan 09:00 (S 2, 2 d) — 5 Jan 09:10 (S 2.5, 2 d), ten minutes later:
 *                        not a refresher — 8 Jan 09:10, Good (S 8, 8 d): young refresher —
 *                        31 Jan 23:30 UTC, Again (S 1.5): young refresher, 1 February in Paris
 *   bob, Accounts card:  1 Jan 09:00 (S 30, 30 d) — 10 Feb 09:00, Good: mature refresher
 *   cat, Mail card:      20 Feb 09:00 (S 5, 5 d) — 27 Feb 09:00, Hard (passed): young refresher
 *                        — 28 Feb 08:59: 23 h 59 min later, not a refresher (though it is the
 *                        next UTC calendar day, which the log's elapsed_days would count as 1)
 *   ann, Calendar card:  learnt (card state) yesterday, due 4 March 09:00, never refreshed.
 */
beforeAll(async () => {
  h.clock.set(NOW);
  const a = h.world.a;
  w.support = await structureRepo.insertItem(h.db, 'team', a.id, 'Support', h.clock.now());
  const accounts = await f.publishedModule(a, { title: 'Accounts' });
  const mail = await f.publishedModule(a, { title: 'Mail' });
  const calendar = await f.publishedModule(a, { title: 'Calendar' });
  w.calendar = calendar;
  w.ann = await h.addUser(a.id, ['learner'], 'Ann');
  w.bob = await h.addUser(a.id, ['learner'], 'Bob');
  w.cat = await h.addUser(a.id, ['learner'], 'Cat');
  await f.setMembership(a, w.ann.id, { teamId: a.team.id });
  await f.setMembership(a, w.bob.id, { teamId: a.team.id });
  await f.setMembership(a, w.cat.id, { teamId: w.support.id });
  const card = (m: typeof accounts) => ({ moduleId: m.id, cardId: m.lessons[0]!.cardIds[0]! });
  await answers(a, w.ann, card(accounts), [
    { at: '2026-01-05T09:00:00Z', rating: 3, stability: 2, scheduledDays: 2 },
    { at: '2026-01-05T09:10:00Z', rating: 3, stability: 2.5, scheduledDays: 2 },
    { at: '2026-01-08T09:10:00Z', rating: 3, stability: 8, scheduledDays: 8 },
    { at: '2026-01-31T23:30:00Z', rating: 1, stability: 1.5, scheduledDays: 1 },
  ]);
  await answers(a, w.bob, card(accounts), [
    { at: '2026-01-01T09:00:00Z', rating: 3, stability: 30, scheduledDays: 30 },
    { at: '2026-02-10T09:00:00Z', rating: 3, stability: 80, scheduledDays: 80 },
  ]);
  await answers(a, w.cat, card(mail), [
    { at: '2026-02-20T09:00:00Z', rating: 3, stability: 5, scheduledDays: 5 },
    { at: '2026-02-27T09:00:00Z', rating: 2, stability: 12, scheduledDays: 12 },
    { at: '2026-02-28T08:59:00Z', rating: 3, stability: 13, scheduledDays: 13 },
  ]);
  await f.remember(a, w.ann.id, calendar.lessons[0]!.cardIds[0]!, { stability: 3, daysAgo: 1 });
});

/*
 * Predicted recall at each refresher, R(t, S) = (1 + 0.980346·t/S)^-0.1542 with t the time since
 * the previous answer and S that answer's stability:
 *   ann 8 Jan:  R(3, 2.5) = 0.886993
 *   ann 31 Jan: R(23.597222, 8) = 0.810963 (23 days 14 h 20 min)
 *   bob 10 Feb: R(40, 30) = 0.879052
 *   cat 27 Feb: R(7, 5) = 0.875273
 */
const close = (x: number) => expect.closeTo(x, 5);
const rate = (reviews: number, passed: number) => ({
  reviews,
  passed,
  rate: reviews ? close(passed / reviews) : null,
});

/**
 * Calibration with every refresher in the 80–90% bin of predicted recall (the others empty):
 * `predicted` their mean prediction, `passed` of `answers` answered right; RMSE is then the one
 * bin's gap.
 */
function calibration80(answers: number, passed: number, predicted: number) {
  const bins = Array.from({ length: 10 }, (_, i) => ({
    from: close(i / 10),
    to: close((i + 1) / 10),
    answers: 0,
    predicted: null as unknown,
    observed: null as unknown,
  }));
  if (answers === 0) return { bins, rmse: null };
  bins[8] = {
    ...bins[8]!,
    answers,
    predicted: close(predicted),
    observed: close(passed / answers),
  };
  return { bins, rmse: close(Math.abs(predicted - passed / answers)) };
}

describe('access', () => {
  it('admins, trainers, managers and referents read true retention; learners get 403', async () => {
    await checkRoute(h, {
      request: (org) => ({ method: 'GET', url: url(org, '?period=week') }),
      allow: STAFF,
      status: 200,
      badInput: (org) => ({ method: 'GET', url: url(org, '?period=year') }),
    });
  });

  it('refuses a bad id in a filter with the one error shape', async () => {
    const res = await h.world.a.users.admin.inject({
      method: 'GET',
      url: url(h.world.a, '?teamId=notauuid'),
    });
    expectError(res, 400, 'VALIDATION_FAILED');
  });
});

describe('true retention of the whole organisation', () => {
  it('gives refreshers per month by default, young and mature, beside the prediction', async () => {
    const { body } = await trueRetention(h.world.a.users.admin, h.world.a);
    expect(body).toEqual({
      target: 0.9,
      period: 'month',
      rows: [
        {
          periodStart: '2026-01-01',
          young: rate(1, 1),
          mature: rate(0, 0),
          all: rate(1, 1),
          predicted: close(0.886993),
        },
        {
          // ann's failed refresher (1 February in Paris), cat's Hard one; bob's mature one.
          periodStart: '2026-02-01',
          young: rate(2, 1),
          mature: rate(1, 1),
          all: rate(3, 2),
          // (0.810963 + 0.879052 + 0.875273) / 3
          predicted: close(0.855096),
        },
      ],
      // All four refreshers, whatever the period: (0.886993 + 0.810963 + 0.879052 +
      // 0.875273) / 4 predicted, 3 of 4 right.
      calibration: calibration80(4, 3, 0.86307),
      firstDue: null,
    });
  });

  it('groups by week from Monday and by quarter', async () => {
    const admin = h.world.a.users.admin;
    const weeks = (await trueRetention(admin, h.world.a, '?period=week')).body;
    expect(weeks.period).toBe('week');
    // Thu 8 Jan; Sun 1 Feb 00:30 in Paris; Tue 10 Feb; Fri 27 Feb.
    expect(weeks.rows.map((r: { periodStart: string }) => r.periodStart)).toEqual([
      '2026-01-05',
      '2026-01-26',
      '2026-02-09',
      '2026-02-23',
    ]);
    const quarters = (await trueRetention(admin, h.world.a, '?period=quarter')).body;
    expect(quarters.rows).toEqual([
      {
        periodStart: '2026-01-01',
        young: rate(3, 2),
        mature: rate(1, 1),
        all: rate(4, 3),
        // (0.886993 + 0.810963 + 0.879052 + 0.875273) / 4
        predicted: close(0.86307),
      },
    ]);
    // The period does not change the calibration: it is over every refresher.
    expect(weeks.calibration).toEqual(calibration80(4, 3, 0.86307));
    expect(quarters.calibration).toEqual(weeks.calibration);
  });
});

describe('filters, scope and the empty state', () => {
  it('shows a manager the teams they manage only, and nobody for another team', async () => {
    const a = h.world.a;
    await f.manageTeams(a, a.users.manager.id, [w.support.id]);
    const { body } = await trueRetention(a.users.manager, a);
    expect(body.rows).toEqual([
      {
        periodStart: '2026-02-01',
        young: rate(1, 1),
        mature: rate(0, 0),
        all: rate(1, 1),
        predicted: close(0.875273),
      },
    ]);
    expect(body.calibration).toEqual(calibration80(1, 1, 0.875273));
    const other = (await trueRetention(a.users.manager, a, `?teamId=${a.team.id}`)).body;
    expect(other).toEqual({
      target: 0.9,
      period: 'month',
      rows: [],
      calibration: calibration80(0, 0, 0),
      firstDue: null,
    });
  });

  it("shows a referent their own team's refreshers", async () => {
    const a = h.world.a;
    const res = await a.users.admin.inject({
      method: 'PATCH',
      url: `/api/orgs/${a.id}/members/${a.users.referent.id}`,
      payload: { teamId: a.team.id },
    });
    expect(res.statusCode, res.body).toBe(200);
    const { body } = await trueRetention(a.users.referent, a);
    expect(body.rows.map((r: { all: object }) => r.all)).toEqual([rate(1, 1), rate(2, 1)]);
    // (0.810963 + 0.879052) / 2
    expect(body.rows[1].predicted).toBeCloseTo(0.845007, 5);
    // ann's two and bob's: (0.886993 + 0.810963 + 0.879052) / 3, 2 of 3 right.
    expect(body.calibration).toEqual(calibration80(3, 2, 0.859003));
  });

  it('says when the first refreshers are due when none is answered yet', async () => {
    const a = h.world.a;
    const { body } = await trueRetention(a.users.admin, a, `?moduleId=${w.calendar.id}`);
    // Learnt yesterday with a stability of 3 days: due 3 days after, on 4 March at 09:00.
    expect(body).toEqual({
      target: 0.9,
      period: 'month',
      rows: [],
      calibration: calibration80(0, 0, 0),
      firstDue: '2026-03-04T09:00:00.000Z',
    });
    // A pause of ann's from 3 to 5 March (3 days from midnight in Paris) pushes it to 7 March.
    const [pause] = await h.db
      .insert(refresherPauses)
      .values({ orgId: a.id, userId: w.ann.id, startsOn: '2026-03-03', endsOn: '2026-03-05' })
      .returning();
    const paused = (await trueRetention(a.users.admin, a, `?moduleId=${w.calendar.id}`)).body;
    expect(paused.firstDue).toBe('2026-03-07T09:00:00.000Z');
    await h.db.delete(refresherPauses).where(eq(refresherPauses.id, pause!.id));
  });

  it("gives an empty scope for another organisation's team", async () => {
    const a = h.world.a;
    const { body } = await trueRetention(a.users.admin, a, `?teamId=${h.world.b.team.id}`);
    expect(body).toEqual({
      target: 0.9,
      period: 'month',
      rows: [],
      calibration: calibration80(0, 0, 0),
      firstDue: null,
    });
  });
});

describe('isolation', () => {
  it("leaves true retention byte-identical when another organisation's log goes to extremes", async () => {
    const [a, b] = [h.world.a, h.world.b];
    const module = await f.publishedModule(b, { title: 'Accounts' });
    const eve = await h.addUser(b.id, ['learner'], 'Eve');
    await f.setMembership(b, eve.id, { teamId: b.team.id });
    const card = { moduleId: module.id, cardId: module.lessons[0]!.cardIds[0]! };
    await answers(b, eve, card, [
      { at: '2026-01-01T09:00:00Z', rating: 3, stability: 30, scheduledDays: 30 },
      { at: '2026-02-10T09:00:00Z', rating: 3, stability: 80, scheduledDays: 80 },
    ]);
    const queries = ['', '?period=week', `?teamId=${a.team.id}&period=quarter`];
    const read = () =>
      Promise.all(queries.map(async (q) => (await trueRetention(a.users.admin, a, q)).text));
    const before = await read();
    await h.db
      .update(reviewLogs)
      .set({ rating: 1, correct: false, stability: 0.001, scheduledDays: 36500 })
      .where(eq(reviewLogs.orgId, b.id));
    await answers(b, eve, card, [
      { at: '2026-02-20T09:00:00Z', rating: 1, stability: 0.001, scheduledDays: 1 },
    ]);
    expect(await read()).toEqual(before);
    // The change did reach organisation B's own numbers.
    const theirs = (await trueRetention(b.users.admin, b)).body;
    expect(theirs.rows.at(-1).all).toEqual(rate(2, 0));
  });
});
