import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RetentionPeriod } from '../../shared/dashboards';
import { decayOfWeights } from '../../shared/learning';
import { rowsOf } from '../../server/db/rows';
import {
  dashboardAnswerPeriods,
  fsrsFits,
  modules,
  organisations,
  reviewLogs,
} from '../../server/db/schema';
import { reportPlanSql, runPlanned } from '../../server/dashboards/sql/planner';
import {
  ANSWERS_SETTLE_MS,
  answersThrough,
} from '../../server/dashboards/true-retention/periods-repository';
import {
  trueRetention,
  type TrueRetentionDbResult,
  type TrueRetentionParams,
  trueRetentionSql,
} from '../../server/dashboards/true-retention/repository';
import * as structureRepo from '../../server/structure/repository';
import { DEFAULT_WEIGHTS } from '../../server/srs/fsrs';
import { DAY, MINUTE } from '../helpers/clock';
import { createHarness, json, type OrgFixture } from '../helpers/harness';
import { learningFixtures } from '../helpers/learning';
import { logAnswer } from '../helpers/review-log';

/*
 * True retention from the refreshers counted per learner × period before a watermark
 * (dashboard_answer_periods) and the log after it, against the same report from the log alone:
 * the same counts, and predicted sums within 1e-9, for every filter, period and time zone.
 */

const h = await createHarness();
const f = learningFixtures(h);

interface Org {
  orgId: string;
  timeZone: string;
  sales: string;
  support: string;
  modules: string[];
  learners: { id: string; team: string }[];
  fits: { id: string; decay: number }[];
}

/** The organisation under test, set up by `setUp`. */
let w = {} as Org;
const orgs = {} as { a: Org; b: Org };

/** A small deterministic generator (mulberry32), so that the log is the same on every run. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = random(13);

/**
 * One card's answers from `start` to before `end`: gaps from ten minutes (not a refresher) to
 * 40 days (young and mature), any rating, times of day all round the clock (so that answers fall
 * either side of midnight in Paris, of a Monday and of a month's first day), each with its
 * predecessor; some scheduled with fitted weights.
 */
async function cardAnswers(learner: string, moduleId: string, start: number, end: number) {
  const card = { orgId: w.orgId, userId: learner, moduleId, cardId: randomUUID() };
  let prev: { reviewedAt: Date; stability: number; scheduledDays: number } | undefined;
  for (let at = start; at < end;) {
    const stability = 0.5 + rand() * 40;
    const scheduledDays = Math.round(stability);
    const id = await logAnswer(h.db, card, {
      at: new Date(at),
      rating: 1 + Math.floor(rand() * 4),
      stability,
      scheduledDays,
      prev,
    });
    if (w.fits.length && rand() < 0.4) {
      const fit = w.fits[Math.floor(rand() * w.fits.length)]!;
      await h.db.update(reviewLogs).set({ fsrsFitId: fit.id }).where(eq(reviewLogs.id, id));
    }
    prev = { reviewedAt: new Date(at), stability, scheduledDays };
    at += rand() < 0.15 ? 10 * MINUTE : rand() * 40 * DAY;
  }
}

/** Every learner's answers to a card of every module from `start` to before `end`. */
async function answersBetween(start: string, end: string) {
  for (const l of w.learners) {
    for (const m of w.modules) await cardAnswers(l.id, m, Date.parse(start), Date.parse(end));
  }
}

/** Each view the tests compare, as the service builds its parameters. */
function views(period: RetentionPeriod): TrueRetentionParams[] {
  const base = { period, timeZone: w.timeZone, fits: w.fits };
  return [
    { ...base, scope: { all: true } },
    { ...base, scope: { all: true }, teamId: w.sales },
    { ...base, scope: { all: false, teamIds: [w.support] } },
    { ...base, scope: { all: false, teamIds: [w.sales, w.support] }, teamId: w.support },
    { ...base, scope: { all: true }, moduleId: w.modules[1] },
  ];
}

const PERIODS: RetentionPeriod[] = ['week', 'month', 'quarter'];

/** The report from the log alone, as before the stored rows. */
async function fromLog(p: TrueRetentionParams): Promise<TrueRetentionDbResult> {
  const rows = await runPlanned(h.db, reportPlanSql, trueRetentionSql(w.orgId, p));
  const periods = [];
  const bins = Array.from({ length: 10 }, () => ({ n: 0, predicted: 0, right: 0 }));
  for (const r of rows) {
    if (r.by_period) {
      periods.push({
        periodStart: String(r.period_start),
        young: { reviews: Number(r.young_reviews), passed: Number(r.young_passed) },
        mature: { reviews: Number(r.mature_reviews), passed: Number(r.mature_passed) },
        predicted: Number(r.predicted) / Number(r.answers),
      });
    } else {
      bins[Number(r.bin)] = {
        n: Number(r.answers),
        predicted: Number(r.predicted),
        right: Number(r.passed),
      };
    }
  }
  return { periods, bins };
}

/** Counts equal, predicted recall within 1e-9. */
function expectSame(actual: TrueRetentionDbResult, expected: TrueRetentionDbResult) {
  const near = (x: number) => expect.closeTo(x, 9);
  expect(actual).toEqual({
    periods: expected.periods.map((r) => ({ ...r, predicted: near(r.predicted) })),
    bins: expected.bins.map((b) => ({ ...b, predicted: near(b.predicted) })),
  });
}

/** Every view in every period: the report as served equals the log's; answers the refreshers. */
async function expectAllSame() {
  let refreshers = 0;
  for (const period of PERIODS) {
    for (const p of views(period)) {
      const expected = await fromLog(p);
      expectSame(await trueRetention(h.db, w.orgId, p), expected);
      if (period === 'month' && !p.teamId && p.scope.all && !p.moduleId) {
        refreshers = expected.bins.reduce((s, b) => s + b.n, 0);
      }
    }
  }
  return refreshers;
}

const refresh = () => h.app.refreshAnswerPeriods();
const through = () => answersThrough(h.db, w.orgId, w.timeZone);
const storedRows = async () =>
  (
    await h.db
      .select()
      .from(dashboardAnswerPeriods)
      .where(eq(dashboardAnswerPeriods.orgId, w.orgId))
  ).length;

/**
 * `org` (Europe/Paris): Sales (two learners) and Support (two), two modules, a card each per
 * learner × module answered from November to the end of February; fitted weights of the
 * curves `decays`, with which some answers were scheduled (the others with the defaults).
 */
async function setUp(org: OrgFixture, decays: number[]): Promise<Org> {
  w = {} as Org;
  w.orgId = org.id;
  w.timeZone = 'Europe/Paris';
  w.sales = org.team.id;
  w.support = (await structureRepo.insertItem(h.db, 'team', org.id, 'Support', h.clock.now())).id;
  w.modules = [
    (await f.publishedModule(org, { title: 'Accounts' })).id,
    (await f.publishedModule(org, { title: 'Mail' })).id,
  ];
  w.learners = [];
  for (const [name, team] of [
    ['Ann', w.sales],
    ['Bob', w.sales],
    ['Cat', w.support],
    ['Dan', w.support],
  ] as const) {
    const user = await h.addUser(org.id, ['learner'], name);
    await f.setMembership(org, user.id, { teamId: team });
    w.learners.push({ id: user.id, team });
  }
  w.fits = [];
  for (const decay of decays) {
    const [fit] = await h.db
      .insert(fsrsFits)
      .values({
        orgId: org.id,
        weights: [...DEFAULT_WEIGHTS.slice(0, 20), decay],
        answers: 1000,
        heldOutAnswers: 250,
        logLossBefore: 0.4,
        logLossAfter: 0.3,
        rmseBefore: 0.1,
        rmseAfter: 0.05,
        fittedAt: new Date('2025-11-01T00:00:00Z'),
        better: true,
        inUse: false,
      })
      .returning();
    w.fits.push({ id: fit!.id, decay: decayOfWeights(fit!.weights) });
  }
  await answersBetween('2025-11-03T07:00:00Z', '2026-03-01T11:00:00Z');
  return w;
}

/**
 * Organisation A, with two fitted weights of other curves than the defaults, and B, which never
 * had any, whose answers the refreshes of A's tests count too.
 */
beforeAll(async () => {
  h.clock.set('2026-03-01T12:00:00Z');
  orgs.b = await setUp(h.world.b, []);
  orgs.a = await setUp(h.world.a, [0.5, 0.25]);
});

describe('true retention from the stored rows and the log', () => {
  it('reads the log alone for an organisation never refreshed', async () => {
    expect(await through()).toBeNull();
    expect(await expectAllSame()).toBeGreaterThan(20);
  });

  it('gives the same report after a refresh, the answers of its last minutes from the log', async () => {
    expect(await refresh()).toBeGreaterThan(0);
    // The watermark lags the clock (12:00 UTC) by the settling time.
    expect((await through())?.toISOString()).toBe('2026-03-01T11:50:00.000Z');
    expect(ANSWERS_SETTLE_MS).toBe(10 * MINUTE);
    expect(await storedRows()).toBeGreaterThan(0);
    await expectAllSame();
    // Nothing new: nothing written.
    expect(await refresh()).toBe(0);
  });

  it('serves the stored rows through the route', async () => {
    const a = h.world.a;
    const read = async () => {
      const res = await a.users.admin.inject({
        method: 'GET',
        url: `/api/orgs/${a.id}/dashboards/true-retention?period=week`,
      });
      expect(res.statusCode, res.body).toBe(200);
      return json(res).rows as { all: { reviews: number } }[];
    };
    const before = await read();
    // A row made up in the table shows in the report: the report reads them.
    await h.db.execute(sql`update dashboard_answer_periods set young_reviews = young_reviews + 1000
      where org_id = ${w.orgId}::uuid and period = 'week'
        and user_id = ${w.learners[0]!.id}::uuid and period_start = (
          select min(period_start) from dashboard_answer_periods
          where org_id = ${w.orgId}::uuid and period = 'week'
            and user_id = ${w.learners[0]!.id}::uuid)`);
    const after = await read();
    expect(after.reduce((s, r) => s + r.all.reviews, 0)).toBe(
      before.reduce((s, r) => s + r.all.reviews, 0) + 1000,
    );
    await h.db.execute(sql`update dashboard_answer_periods set young_reviews = young_reviews - 1000
      where org_id = ${w.orgId}::uuid and young_reviews >= 1000`);
    expect(await read()).toEqual(before);
  });

  it('adds the answers after the watermark, across the start of a week and of a month', async () => {
    // The refresh ran at 12:00 UTC on Sunday 1 March; these go to Tuesday 3 March, the next
    // week and month in Paris, and some answered in the ten minutes before the watermark's
    // clock time, committed after the refresh.
    await answersBetween('2026-03-01T11:52:00Z', '2026-03-03T09:00:00Z');
    const live = await expectAllSame();
    h.clock.set('2026-03-03T10:00:00Z');
    expect(await refresh()).toBeGreaterThan(0);
    expect((await through())?.toISOString()).toBe('2026-03-03T09:50:00.000Z');
    // Each answer counted once, stored or read from the log.
    expect(await expectAllSame()).toBe(live);
  });

  it('takes turns when two refreshes run at once: each answer counted once', async () => {
    await answersBetween('2026-03-03T09:55:00Z', '2026-03-20T09:00:00Z');
    h.clock.set('2026-03-21T00:00:00Z');
    const [one, two] = await Promise.all([refresh(), refresh()]);
    expect(one + two).toBeGreaterThan(0);
    expect(Math.min(one, two)).toBe(0);
    await expectAllSame();
  });
});

describe('counting again', () => {
  it("counts again in the organisation's new time zone, reading the log until then", async () => {
    await h.db
      .update(organisations)
      .set({ timeZone: 'Pacific/Auckland' })
      .where(eq(organisations.id, w.orgId));
    w.timeZone = 'Pacific/Auckland';
    // The rows are in Paris's periods: not read.
    expect(await through()).toBeNull();
    await expectAllSame();
    expect(await refresh()).toBeGreaterThan(0);
    expect((await through())?.toISOString()).toBe('2026-03-20T23:50:00.000Z');
    await expectAllSame();
    // Back to Paris: counted again there.
    await h.db
      .update(organisations)
      .set({ timeZone: 'Europe/Paris' })
      .where(eq(organisations.id, w.orgId));
    w.timeZone = 'Europe/Paris';
    expect(await through()).toBeNull();
    await refresh();
    await expectAllSame();
  });

  it('counts again when answers are deleted with their module, not for a deleted learner', async () => {
    const [dan] = w.learners.splice(3, 1);
    await h.db.execute(sql`delete from users where id = ${dan!.id}::uuid`);
    // Dan's rows went with him; the others' are still counted.
    expect(await through()).not.toBeNull();
    await expectAllSame();
    await h.db.delete(modules).where(eq(modules.id, w.modules[0]!));
    w.modules.splice(0, 1);
    expect(await through()).toBeNull();
    await expectAllSame();
    await refresh();
    expect(await through()).not.toBeNull();
    await expectAllSame();
    const [left] = rowsOf<{ n: number }>(
      await h.db.execute(sql`select count(*)::int as n from review_logs
        where org_id = ${w.orgId}::uuid and prev_reviewed_at is not null`),
    );
    expect(left!.n).toBeGreaterThan(0);
  });
});

describe('an organisation that never had fitted weights', () => {
  it('gives the same report from its stored rows and the log', async () => {
    w = orgs.b;
    expect(await through()).not.toBeNull();
    await expectAllSame();
    // New cards: their first answers are no refreshers; some of the next ones are.
    await answersBetween('2026-03-21T00:00:00Z', '2026-07-01T00:00:00Z');
    h.clock.set('2026-05-01T00:00:00Z');
    expect(await refresh()).toBeGreaterThan(0);
    expect(await expectAllSame()).toBeGreaterThan(20);
  });
});
