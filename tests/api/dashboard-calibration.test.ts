import { randomUUID } from 'node:crypto';
import { eq, inArray } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { fsrsFits, reviewLogs } from '../../server/db/schema';
import { DEFAULT_WEIGHTS } from '../../server/srs/fsrs';
import * as structureRepo from '../../server/structure/repository';
import { DEFAULT_DECAY, retentionFactor, retrievability } from '../../shared/learning';
import { DAY } from '../helpers/clock';
import { createHarness, json, type OrgFixture, type UserFixture } from '../helpers/harness';
import { learningFixtures } from '../helpers/learning';
import { logAnswer } from '../helpers/review-log';

/*
 * The true-retention report's calibration: its refreshers binned by the recall predicted when
 * they were answered, against the share answered right. Access, roles and the other
 * organisation are the route's (tests/api/dashboard-true-retention.test.ts); here the bins.
 */

const h = await createHarness();
const f = learningFixtures(h);
const NOW = '2026-03-02T09:00:00Z';

interface Refresher {
  id: string;
  user: UserFixture;
  /** Stability left by the previous answer, days since it, right or not. */
  stability: number;
  days: number;
  right: boolean;
  /** The curve the answer was scheduled with (FSRS-6's default without a fit). */
  decay: number;
}

const w = {} as { module: { id: string }; ann: UserFixture; bob: UserFixture; log: Refresher[] };

/** Days after which a memory of `stability` days is recalled with probability `recall`. */
const daysTo = (recall: number, stability: number) =>
  (stability * (Math.pow(recall, -1 / DEFAULT_DECAY) - 1)) / retentionFactor();

/**
 * `count` refreshers of `user` aimed at predicted recall `recall` (a little lower each time, so
 * that no two are alike), the first `right` of them answered right, written as the review
 * service logs them: each with its predecessor's time and stability.
 */
async function refreshers(
  org: OrgFixture,
  user: UserFixture,
  {
    recall,
    stability,
    count,
    right,
  }: { recall: number; stability: number; count: number; right: number },
) {
  const made: Refresher[] = [];
  for (let i = 0; i < count; i += 1) {
    const days = daysTo(recall, stability) * (1 + i / 100);
    const at = new Date(Date.parse('2026-02-20T09:00:00Z') - i * 3_600_000);
    const rating = i < right ? 3 : 1;
    const id = await logAnswer(
      h.db,
      { orgId: org.id, userId: user.id, cardId: randomUUID(), moduleId: w.module.id },
      {
        at,
        rating,
        stability: 5,
        scheduledDays: 5,
        prev: {
          reviewedAt: new Date(at.getTime() - days * DAY),
          stability,
          scheduledDays: Math.round(stability),
        },
      },
    );
    made.push({ id, user, stability, days, right: rating > 1, decay: DEFAULT_DECAY });
  }
  return made;
}

/** The bins and RMSE that `log` should give, worked out here from shared/learning.ts. */
function expected(log: Refresher[]) {
  const bins = Array.from({ length: 10 }, () => ({ n: 0, sum: 0, right: 0 }));
  for (const r of log) {
    const recall = retrievability(r.days, r.stability, r.decay);
    const bin = bins[Math.min(9, Math.floor(recall * 10))]!;
    bin.n += 1;
    bin.sum += recall;
    bin.right += r.right ? 1 : 0;
  }
  const total = bins.reduce((s, b) => s + b.n, 0);
  const squares = bins.reduce(
    (s, b) => (b.n ? s + b.n * (b.sum / b.n - b.right / b.n) ** 2 : s),
    0,
  );
  return {
    bins: bins.map((b, i) => ({
      from: expect.closeTo(i / 10, 9),
      to: expect.closeTo((i + 1) / 10, 9),
      answers: b.n,
      predicted: b.n ? expect.closeTo(b.sum / b.n, 6) : null,
      observed: b.n ? expect.closeTo(b.right / b.n, 9) : null,
    })),
    rmse: total ? expect.closeTo(Math.sqrt(squares / total), 6) : null,
  };
}

async function report(user: UserFixture, org: OrgFixture, query = '') {
  const res = await user.inject({
    method: 'GET',
    url: `/api/orgs/${org.id}/dashboards/true-retention${query}`,
  });
  expect(res.statusCode, res.body).toBe(200);
  return json(res);
}

/**
 * Organisation A: ann (Sales) and bob (Support). ann: 25 refreshers predicted at about 95%, 24
 * right, and 12 at about 85%, 9 right; bob: 8 at about 85%, 6 right, 5 at about 65%, 2 right,
 * and 2 long forgotten (about 25%), none right. Plus one answer of bob's only half a day after
 * the previous one: not a refresher, in no bin.
 */
beforeAll(async () => {
  h.clock.set(NOW);
  const a = h.world.a;
  const support = await structureRepo.insertItem(h.db, 'team', a.id, 'Support', h.clock.now());
  w.module = await f.publishedModule(a, { title: 'Accounts' });
  w.ann = await h.addUser(a.id, ['learner'], 'Ann');
  w.bob = await h.addUser(a.id, ['learner'], 'Bob');
  await f.setMembership(a, w.ann.id, { teamId: a.team.id });
  await f.setMembership(a, w.bob.id, { teamId: support.id });
  await f.manageTeams(a, a.users.manager.id, [support.id]);
  w.log = [
    ...(await refreshers(a, w.ann, { recall: 0.95, stability: 10, count: 25, right: 24 })),
    ...(await refreshers(a, w.ann, { recall: 0.85, stability: 10, count: 12, right: 9 })),
    ...(await refreshers(a, w.bob, { recall: 0.85, stability: 4, count: 8, right: 6 })),
    ...(await refreshers(a, w.bob, { recall: 0.65, stability: 10, count: 5, right: 2 })),
    ...(await refreshers(a, w.bob, { recall: 0.25, stability: 0.05, count: 2, right: 0 })),
  ];
  // Half a day after its predecessor: the same bins with or without it.
  const halfDay = await refreshers(a, w.bob, { recall: 0.99, stability: 10, count: 1, right: 0 });
  await h.db
    .update(reviewLogs)
    .set({ prevReviewedAt: new Date(Date.parse('2026-02-19T21:00:00Z')) })
    .where(eq(reviewLogs.id, halfDay[0]!.id));
});

describe('calibration on the true-retention page', () => {
  it('bins every refresher in scope by its predicted recall, whatever the period', async () => {
    const a = h.world.a;
    const month = await report(a.users.admin, a);
    expect(month.calibration).toEqual(expected(w.log));
    // The fixture lands where it is aimed: bins 9, 8, 6 and 2.
    expect(month.calibration.bins.map((b: { answers: number }) => b.answers)).toEqual([
      0, 0, 2, 0, 0, 0, 5, 0, 20, 25,
    ]);
    expect(month.calibration.bins[8].observed).toBeCloseTo(15 / 20, 9);
    // The same answers as the period rows: 52 refreshers in February.
    expect(month.rows).toHaveLength(1);
    expect(month.rows[0].all).toMatchObject({ reviews: 52, passed: 41 });
    const week = await report(a.users.admin, a, '?period=week');
    expect(week.calibration).toEqual(month.calibration);
  });

  it("follows the scope and the filters: a manager sees their team's refreshers only", async () => {
    const a = h.world.a;
    const bobs = w.log.filter((r) => r.user === w.bob);
    expect((await report(a.users.manager, a)).calibration).toEqual(expected(bobs));
    const anns = w.log.filter((r) => r.user === w.ann);
    const sales = await report(a.users.admin, a, `?teamId=${a.team.id}`);
    expect(sales.calibration).toEqual(expected(anns));
    const otherModule = await f.publishedModule(a, { title: 'Mail' });
    const none = await report(a.users.admin, a, `?moduleId=${otherModule.id}`);
    expect(none.calibration).toEqual(expected([]));
    expect(none.calibration.rmse).toBeNull();
  });

  it('predicts each answer with the weights it was scheduled with, not those in use now', async () => {
    const a = h.world.a;
    const fit = (decay: number, inUse: boolean) => ({
      orgId: a.id,
      weights: [...DEFAULT_WEIGHTS.slice(0, 20), decay],
      answers: 1000,
      heldOutAnswers: 250,
      logLossBefore: 0.4,
      logLossAfter: 0.3,
      rmseBefore: 0.1,
      rmseAfter: 0.05,
      fittedAt: new Date('2026-01-01T00:00:00Z'),
      better: true,
      inUse,
    });
    // bob's answers were scheduled with a fit of a steeper curve, since replaced by another.
    const [then] = await h.db.insert(fsrsFits).values(fit(0.5, false)).returning();
    await h.db.insert(fsrsFits).values(fit(0.25, true));
    const bobs = w.log.filter((r) => r.user === w.bob).map((r) => ({ ...r, decay: 0.5 }));
    await h.db
      .update(reviewLogs)
      .set({ fsrsFitId: then!.id })
      .where(
        inArray(
          reviewLogs.id,
          bobs.map((r) => r.id),
        ),
      );
    const anns = w.log.filter((r) => r.user === w.ann);
    const body = await report(a.users.admin, a);
    expect(body.calibration).toEqual(expected([...anns, ...bobs]));
    // Its curve moved some of bob's answers to lower bins than the default curve had them in.
    expect(body.calibration).not.toEqual(expected(w.log));
    // The period's mean prediction is made the same way.
    const all = [...anns, ...bobs];
    const mean = all.reduce((s, r) => s + retrievability(r.days, r.stability, r.decay), 0) / 52;
    expect(body.rows[0].predicted).toBeCloseTo(mean, 6);
  });
});
