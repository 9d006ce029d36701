import { and, eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { PAIR_DAYS } from '../../server/dashboards/forecast/days';
import {
  type ForecastParams,
  type ForecastRow,
  forecast as forecastRows,
} from '../../server/dashboards/forecast/repository';
import { cardStates, dashboardPairs, organisations, refresherPauses } from '../../server/db/schema';
import * as structureRepo from '../../server/structure/repository';
import { DEFAULT_DECAY } from '../../shared/learning';
import { HOUR, MINUTE } from '../helpers/clock';
import { createHarness, type UserFixture } from '../helpers/harness';
import { learningFixtures } from '../helpers/learning';

const h = await createHarness();
const f = learningFixtures(h);
// A Monday; the harness's sessions start at its clock's date.
const NOW = '2026-03-02T09:00:00Z';
const at = (msFromNow: number) => new Date(new Date(NOW).getTime() + msFromNow);

/**
 * Organisation A, two teams and two modules, memories young and old: due today, overdue, due in
 * a few days or months, one learner with a pause ahead.
 */
const w = {} as { ann: UserFixture; bob: UserFixture; cat: UserFixture; mailCards: string[] };

beforeAll(async () => {
  h.clock.set(NOW);
  const a = h.world.a;
  const support = await structureRepo.insertItem(h.db, 'team', a.id, 'Support', h.clock.now());
  const mail = await f.publishedModule(a, { title: 'Mail' });
  const close = await f.publishedModule(a, { title: 'Close' });
  w.ann = await f.learner(a, 'Ann', { teamId: a.team.id });
  w.bob = await f.learner(a, 'Bob', { teamId: a.team.id });
  w.cat = await f.learner(a, 'Cat', { teamId: support.id });
  w.mailCards = mail.lessons.flatMap((l) => l.cardIds);
  const closeCard = close.lessons[0]!.cardIds[0]!;
  const mailCard = w.mailCards[0]!;
  await f.remember(a, w.ann.id, mailCard, { stability: 10, daysAgo: 10 });
  await f.remember(a, w.ann.id, closeCard, { stability: 20, daysAgo: 5 });
  await f.remember(a, w.bob.id, closeCard, { stability: 2, daysAgo: 4 });
  await f.remember(a, w.bob.id, mailCard, { stability: 0.8, daysAgo: 0.3 });
  await f.remember(a, w.cat.id, closeCard, { stability: 100, daysAgo: 1 });
  await f.remember(a, w.cat.id, mailCard, { stability: 10, daysAgo: 2 });
  await h.db.insert(refresherPauses).values({
    orgId: a.id,
    userId: w.cat.id,
    startsOn: '2026-03-09',
    endsOn: '2026-03-13',
  });
});

const params = (p: Partial<ForecastParams> = {}): ForecastParams => ({
  scope: { all: true },
  now: new Date(NOW),
  decay: DEFAULT_DECAY,
  timeZone: 'Europe/Paris',
  ...p,
});

/** From the card states, every day (the budget allows it at this size). */
const computed = (p: Partial<ForecastParams> = {}) => forecastRows(h.db, h.world.a.id, params(p));
/** A budget of one value of R: the stored rows, on their coarse days. */
const stored = (p: Partial<ForecastParams> = {}) =>
  forecastRows(h.db, h.world.a.id, params({ ...p, budget: 1 }));

/** Runs the refresh job with the clock at `when`, then puts it back at NOW. */
async function refreshAt(when: Date) {
  h.clock.set(when);
  try {
    return await h.app.refreshPairs();
  } finally {
    h.clock.set(NOW);
  }
}

/** Each cell × day of `coarse` beside the same cell and day of `exact`, within 10^-digits. */
function expectAgrees(coarse: ForecastRow[], exact: ForecastRow[], digits: number) {
  const key = (r: ForecastRow) => `${r.teamId}:${r.moduleId}:${r.day}`;
  const exactOf = new Map(exact.map((r) => [key(r), r]));
  expect(coarse.length).toBe((exact.length / 61) * PAIR_DAYS.length);
  for (const r of coarse) {
    const e = exactOf.get(key(r))!;
    expect({ ...r, withoutReviews: 0, withScheduled: 0 }).toEqual({
      ...e,
      withoutReviews: 0,
      withScheduled: 0,
    });
    expect(r.withoutReviews, key(r)).toBeCloseTo(e.withoutReviews, digits);
    expect(r.withScheduled, key(r)).toBeCloseTo(e.withScheduled, digits);
  }
}

const asOfOf = async (userId: string) =>
  (
    await h.db
      .select({ asOf: dashboardPairs.asOf })
      .from(dashboardPairs)
      .where(and(eq(dashboardPairs.orgId, h.world.a.id), eq(dashboardPairs.userId, userId)))
  ).map((r) => r.asOf);

describe('the forecast from the learner × module rows', () => {
  it('gives what the card states give on its days, computed now', async () => {
    await refreshAt(new Date(NOW));
    const exact = await computed();
    const coarse = await stored();
    expect([...new Set(coarse.map((r) => r.day))]).toEqual([0, 1, 10, 20, 30, 40, 50, 60]);
    // Four cells: Sales × Mail, Sales × Close, Support × Mail, Support × Close.
    expect(coarse).toHaveLength(4 * 8);
    expectAgrees(coarse, exact, 12);
    // Narrowed to a team or a module, the same.
    const team = h.world.a.team.id;
    expectAgrees(await stored({ teamId: team }), await computed({ teamId: team }), 12);
  });

  it('reads the stored sums of a row computed within the hour', async () => {
    await refreshAt(new Date(NOW));
    const before = await stored();
    await h.db
      .update(dashboardPairs)
      .set({ forecastWithout: sql`array_fill(0::float8, array[8])` })
      .where(eq(dashboardPairs.userId, w.cat.id));
    const after = await stored();
    const catsCells = (rows: ForecastRow[]) => rows.filter((r) => r.teamName === 'Support');
    expect(catsCells(after).every((r) => r.withoutReviews === 0)).toBe(true);
    expect(catsCells(before).every((r) => r.withoutReviews > 0.5)).toBe(true);
    await refreshAt(new Date(NOW));
  });

  it('moves sums computed 40 minutes ago along their slopes', async () => {
    await refreshAt(at(-40 * MINUTE));
    const coarse = await stored();
    const exact = await computed();
    expectAgrees(coarse, exact, 3);
    // Not the values of 40 minutes ago: bob's Mail memory (0.8 days) falls about 10 points a day.
    const then = await computed({ now: at(-40 * MINUTE) });
    const salesMail = (rows: ForecastRow[]) =>
      rows.find(
        (r) => r.teamName !== 'Support' && r.moduleId === coarse[0]!.moduleId && r.day === 10,
      )!;
    expect(
      Math.abs(salesMail(coarse).withoutReviews - salesMail(then).withoutReviews),
    ).toBeGreaterThan(Math.abs(salesMail(coarse).withoutReviews - salesMail(exact).withoutReviews));
  });

  it('computes rows older than an hour from the card states', async () => {
    await refreshAt(at(-2 * HOUR));
    expectAgrees(await stored(), await computed(), 12);
  });

  it('computes rows marked by an answer, a pause or a new time zone from the card states', async () => {
    const a = h.world.a;
    await refreshAt(new Date(NOW));
    // An answer: bob's Mail memory is now 30 days strong.
    await h.db
      .update(cardStates)
      .set({ stability: 30, due: at(30 * 24 * HOUR), lastReview: new Date(NOW) })
      .where(and(eq(cardStates.userId, w.bob.id), eq(cardStates.cardId, w.mailCards[0]!)));
    // Its row only: bob's Close row stays as computed.
    expect((await asOfOf(w.bob.id)).filter((asOf) => asOf === null)).toHaveLength(1);
    expectAgrees(await stored(), await computed(), 12);

    // A pause ahead of ann's refresher due today pushes it back.
    await refreshAt(new Date(NOW));
    await h.db
      .insert(refresherPauses)
      .values({ orgId: a.id, userId: w.ann.id, startsOn: '2026-03-02', endsOn: '2026-03-06' });
    expect(await asOfOf(w.ann.id)).toEqual([null, null]);
    expectAgrees(await stored(), await computed(), 12);

    // Pauses are days in the organisation's zone: every row of it is computed again.
    await refreshAt(new Date(NOW));
    await h.db
      .update(organisations)
      .set({ timeZone: 'Pacific/Auckland' })
      .where(eq(organisations.id, a.id));
    try {
      expect(new Set(await asOfOf(w.cat.id))).toEqual(new Set([null]));
      const zone = { timeZone: 'Pacific/Auckland' };
      expectAgrees(await stored(zone), await computed(zone), 12);
    } finally {
      await h.db
        .update(organisations)
        .set({ timeZone: 'Europe/Paris' })
        .where(eq(organisations.id, a.id));
    }
  });
});
