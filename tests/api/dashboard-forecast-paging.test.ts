import { beforeAll, describe, expect, it } from 'vitest';
import {
  type DashboardForecastPage,
  FORECAST_PAGE_DEFAULT,
  FORECAST_PAGE_MAX,
  type ForecastSeries,
} from '../../shared/dashboards';
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

const h = await createHarness();
const f = learningFixtures(h);
const NOW = '2026-03-02T09:00:00Z';
const TEAMS = 10;
const MODULES = 20;
const url = (org: OrgFixture, query = '') => `/api/orgs/${org.id}/dashboards/forecast${query}`;

async function page(user: UserFixture, org: OrgFixture, query = '') {
  const res = await user.inject({ method: 'GET', url: url(org, query) });
  expect(res.statusCode, res.body).toBe(200);
  return { body: json(res) as DashboardForecastPage, bytes: Buffer.byteLength(res.body) };
}

/** Every page of the view, one after the other, as the forecast page's "Show more" reads them. */
async function allPages(user: UserFixture, org: OrgFixture, limit: number) {
  const series: ForecastSeries[] = [];
  let offset: number | null = 0;
  let pages = 0;
  while (offset !== null) {
    const { body } = await page(user, org, `?limit=${limit}&offset=${offset}`);
    series.push(...body.series);
    offset = body.nextOffset;
    pages += 1;
  }
  return { series, pages };
}

const key = (s: ForecastSeries) => `${s.teamName}|${s.moduleTitle}`;
const recallToday = (s: ForecastSeries) => s.points[0]!.withoutReviews;

const w = {} as { teams: { id: string; name: string }[]; manager: UserFixture };

/**
 * Organisation A at NOW: 10 teams × 20 modules (200 series), one learner per team with one learnt
 * card per module. Stabilities from 2 to 130 days and last reviews 1 to 9 days ago give series
 * already under the target, series crossing it within the 60 days and series that never do.
 */
beforeAll(async () => {
  h.clock.set(NOW);
  const a = h.world.a;
  const modules = [];
  for (let j = 1; j <= MODULES; j++) modules.push(await f.publishedModule(a, { title: `M${j}` }));
  w.teams = [];
  for (let i = 1; i <= TEAMS; i++) {
    const team = await structureRepo.insertItem(h.db, 'team', a.id, `Team ${i}`, h.clock.now());
    w.teams.push(team);
    const learner = await f.learner(a, `Learner ${i}`, { teamId: team.id });
    for (const [j, module] of modules.entries()) {
      const k = i * MODULES + j;
      const stability = [2, 10, 30, 100][k % 4]! * (1 + (k % 7) / 10);
      await f.remember(a, learner.id, module.lessons[0]!.cardIds[0]!, {
        stability,
        daysAgo: 1 + (k % 5) * 2,
      });
    }
  }
  w.manager = a.users.manager;
  await f.manageTeams(a, w.manager.id, [w.teams[0]!.id]);
});

describe('access and bounds', () => {
  it('admins, trainers, managers and referents read a page; learners get 403', async () => {
    await checkRoute(h, {
      request: (org) => ({ method: 'GET', url: url(org, '?limit=5&offset=5') }),
      allow: STAFF,
      status: 200,
      badInput: (org) => ({ method: 'GET', url: url(org, '?limit=0') }),
    });
  });

  it.each([
    ['limit=0'],
    [`limit=${FORECAST_PAGE_MAX + 1}`],
    ['limit=ten'],
    ['limit=2.5'],
    ['offset=-1'],
    ['cursor=abc'],
  ])('refuses ?%s with the one error shape', async (query) => {
    const res = await h.world.a.users.admin.inject({
      method: 'GET',
      url: url(h.world.a, `?${query}`),
    });
    expectError(res, 400, 'VALIDATION_FAILED');
  });

  it(`gives ${FORECAST_PAGE_MAX} series at most`, async () => {
    const { body } = await page(h.world.a.users.admin, h.world.a, `?limit=${FORECAST_PAGE_MAX}`);
    expect(body.series).toHaveLength(FORECAST_PAGE_MAX);
    expect(body.nextOffset).toBe(FORECAST_PAGE_MAX);
  });
});

describe('order and paging', () => {
  it(`gives the first ${FORECAST_PAGE_DEFAULT} series and what the page says of all 200`, async () => {
    const { body } = await page(h.world.a.users.trainer, h.world.a);
    expect(body.series).toHaveLength(FORECAST_PAGE_DEFAULT);
    expect(body.total).toBe(TEAMS * MODULES);
    expect(body.nextOffset).toBe(FORECAST_PAGE_DEFAULT);
    // The module filter's choices: all 20, in natural order (M2 before M10).
    expect(body.modules.map((x) => x.moduleTitle)).toEqual(
      Array.from({ length: MODULES }, (_, j) => `M${j + 1}`),
    );
  });

  it('orders by need of attention: under the target now, earliest crossing, lowest recall', async () => {
    const { series } = await allPages(h.world.a.users.admin, h.world.a, FORECAST_PAGE_MAX);
    expect(series).toHaveLength(200);
    const { body } = await page(h.world.a.users.admin, h.world.a);
    const under = series.filter((s) => recallToday(s) < body.target);
    const crossing = series.filter((s) => recallToday(s) >= body.target && s.crossesTargetOn);
    const never = series.filter((s) => s.crossesTargetOn === null);
    // The data holds all three kinds, so the order below is tested, not assumed.
    expect([under.length > 0, crossing.length > 0, never.length > 0]).toEqual([true, true, true]);
    expect(body.underNow).toBe(under.length);
    expect(series.map(key)).toEqual([...under, ...crossing, ...never].map(key));
    for (const s of under) expect(s.crossesTargetOn).toBe(body.today);
    for (const [i, s] of series.slice(1).entries()) {
      const before = series[i]!;
      const [x, y] = [before.crossesTargetOn ?? '9999', s.crossesTargetOn ?? '9999'];
      expect(x <= y, `${key(before)} before ${key(s)}`).toBe(true);
      if (x === y) expect(recallToday(before)).toBeLessThanOrEqual(recallToday(s));
    }
  });

  it('pages through every series once, the pages read together giving the whole order', async () => {
    const whole = await allPages(h.world.a.users.admin, h.world.a, FORECAST_PAGE_MAX);
    const byThirty = await allPages(h.world.a.users.admin, h.world.a, 30);
    expect(byThirty.pages).toBe(Math.ceil(200 / 30));
    expect(byThirty.series.map(key)).toEqual(whole.series.map(key));
    expect(new Set(byThirty.series.map(key)).size).toBe(200);
  });

  it('gives an empty last page past the end', async () => {
    const { body } = await page(h.world.a.users.admin, h.world.a, '?offset=500');
    expect(body).toMatchObject({ series: [], total: 200, nextOffset: null });
  });

  it('keeps the filters while paging, and counts within them', async () => {
    const team = w.teams[3]!;
    const { body } = await page(h.world.a.users.admin, h.world.a, `?teamId=${team.id}&limit=15`);
    expect(body.total).toBe(MODULES);
    expect(body.nextOffset).toBe(15);
    const next = await page(h.world.a.users.admin, h.world.a, `?teamId=${team.id}&offset=15`);
    expect(next.body.series).toHaveLength(5);
    expect(next.body.nextOffset).toBeNull();
    for (const s of [...body.series, ...next.body.series]) expect(s.teamId).toBe(team.id);
  });

  it("counts a manager's teams only, and nothing of another organisation's team", async () => {
    const { body } = await page(w.manager, h.world.a);
    expect(body.total).toBe(MODULES);
    expect(new Set(body.series.map((s) => s.teamId))).toEqual(new Set([w.teams[0]!.id]));
    const other = await page(h.world.a.users.admin, h.world.a, `?teamId=${h.world.b.team.id}`);
    expect(other.body).toMatchObject({ series: [], total: 0, underNow: 0, nextOffset: null });
    expect(other.body.modules).toEqual([]);
  });

  it('answers 200 series in a small first page instead of one large answer', async () => {
    const first = await page(h.world.a.users.admin, h.world.a);
    const { series } = await allPages(h.world.a.users.admin, h.world.a, FORECAST_PAGE_MAX);
    // The answer before paging: every series in one body.
    const { target, today, processes } = first.body;
    const whole = Buffer.byteLength(JSON.stringify({ target, today, series, processes }));
    console.info(`forecast of 200 series: ${whole} bytes whole, ${first.bytes} the first page`);
    expect(first.bytes * 8).toBeLessThan(whole);
  });
});
