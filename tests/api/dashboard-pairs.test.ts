import { eq, sql } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../server/app';
import { dashboardPairs, users } from '../../server/db/schema';
import { rowsOf } from '../../server/db/rows';
import * as structureRepo from '../../server/structure/repository';
import { HOUR, MINUTE } from '../helpers/clock';
import { createHarness, json, type OrgFixture, type UserFixture } from '../helpers/harness';
import { learningFixtures, sampleSingle } from '../helpers/learning';

const h = await createHarness();
const f = learningFixtures(h);
// The harness's sessions start at its clock's date: the fixtures keep to it.
const NOW = '2026-03-02T09:00:00Z';
const at = (msFromNow: number) => new Date(new Date(NOW).getTime() + msFromNow);

/** The overview as an organisation's admin sees it (filtered by `query`), parsed and as text. */
async function overview(org: OrgFixture, query = '') {
  const res = await org.users.admin.inject({
    method: 'GET',
    url: `/api/orgs/${org.id}/dashboards/overview${query}`,
  });
  expect(res.statusCode, res.body).toBe(200);
  return { body: json(res), text: res.body };
}

/** Runs the refresh job with the clock at `when`, then puts the clock back at NOW. */
async function refreshAt(when: Date | string = NOW) {
  h.clock.set(when);
  try {
    return await h.app.refreshPairs();
  } finally {
    h.clock.set(NOW);
  }
}

/** The `as_of` of the organisation's rows, each once. */
async function asOfs(org: OrgFixture) {
  const rows = await h.db
    .selectDistinct({ asOf: dashboardPairs.asOf })
    .from(dashboardPairs)
    .where(eq(dashboardPairs.orgId, org.id));
  return rows.map((r) => r.asOf);
}

// Runs first: until then the database holds no learner × module pair but these three.
describe('the refresh job', () => {
  it('writes each row once, then only rows marked or more than half an hour old', async () => {
    const a = h.world.a;
    const counted = await f.publishedModule(a, { title: 'Counted' });
    const other = await f.publishedModule(a, { title: 'Other' });
    const [ann, bob] = [
      await f.learner(a, 'Ann', { teamId: a.team.id }),
      await f.learner(a, 'Bob', { teamId: a.team.id }),
    ];
    // Three pairs: ann × Counted (assigned, a card learnt), bob × Counted (assigned), ann ×
    // Other (a card learnt, not assigned).
    await f.assign(a, counted.id, [ann.id, bob.id]);
    await f.remember(a, ann.id, counted.lessons[0]!.cardIds[0]!, { stability: 10, daysAgo: 3 });
    await f.remember(a, ann.id, other.lessons[0]!.cardIds[0]!, { stability: 5, daysAgo: 1 });
    expect(await asOfs(a)).toEqual([null]);

    expect(await refreshAt(NOW)).toBe(3);
    expect(await asOfs(a)).toEqual([new Date(NOW)]);
    expect(await refreshAt(at(10 * MINUTE))).toBe(0);
    expect(await asOfs(a)).toEqual([new Date(NOW)]);
    expect(await refreshAt(at(31 * MINUTE))).toBe(3);
    expect(await asOfs(a)).toEqual([at(31 * MINUTE)]);
    // Rows more than half an hour ahead (another instance's clock) are computed again too.
    expect(await refreshAt(NOW)).toBe(3);
    expect(await asOfs(a)).toEqual([new Date(NOW)]);
  });
});

describe('the app with its jobs on', () => {
  it('refreshes the marked rows as soon as it is ready', async () => {
    await h.db.execute(sql`update dashboard_pairs set as_of = null`);
    const marked = async () =>
      rowsOf<{ n: number }>(
        await h.db.execute(sql`select count(*)::int as n from dashboard_pairs where as_of is null`),
      )[0]!.n;
    expect(await marked()).toBeGreaterThan(0);
    const app = await buildApp({ config: h.config, db: h.db, clock: h.clock, jobs: true });
    try {
      await app.ready();
      await vi.waitFor(async () => expect(await marked()).toBe(0));
      expect(await asOfs(h.world.a)).toEqual([new Date(NOW)]);
    } finally {
      await app.close();
    }
  });
});

describe('a write after the refresh', () => {
  it('is in the overview at once, not an hour later', async () => {
    const a = h.world.a;
    const w = await f.publishedModule(a, { title: 'Writes' }, [{}, {}]);
    const [l1, l2] = w.lessons;
    const q = `?moduleId=${w.id}`;
    const [ann, bob, cy, dee] = [
      await f.learner(a, 'Ann W', { teamId: a.team.id }),
      await f.learner(a, 'Bob W', { teamId: a.team.id }),
      await f.learner(a, 'Cy W', { teamId: a.team.id }),
      await f.learner(a, 'Dee W', { teamId: a.team.id }),
    ];
    const assigned = await f.assign(a, w.id, [ann.id, bob.id, cy.id]);
    await f.remember(a, ann.id, l1!.cardIds[0]!, { stability: 10, daysAgo: 10 });
    // dee learnt a card of the module without its assignment.
    await f.remember(a, dee.id, l1!.cardIds[0]!, { stability: 5, daysAgo: 2 });

    await refreshAt(NOW);
    const before = (await overview(a, q)).body;
    expect(before).toMatchObject({ learners: 2, cardsLearnt: 2 });
    expect(before.funnel).toMatchObject({ assigned: 3, started: 0, lessonsDone: 0 });
    expect(before.heatmap).toEqual([expect.objectContaining({ moduleId: w.id, cards: 2 })]);

    // (a) ann answers the card of the second lesson: her memory of it (R = 1) counts.
    await f.answerRight(a, ann, l2!.id);
    const answered = (await overview(a, q)).body;
    expect(answered.cardsLearnt).toBe(3);
    expect(answered.heatmap).toEqual([
      expect.objectContaining({
        moduleId: w.id,
        cards: 3,
        recall: expect.closeTo((2 * before.heatmap[0].recall + 1) / 3, 6),
      }),
    ]);
    expect(answered.recallNow).toBeCloseTo((2 * before.recallNow + 1) / 3, 6);
    // Then, after a refresh, answers again the first lesson's card (R = 0.9): the memory she had
    // of it (an update, no new card) now counts as just reviewed.
    await refreshAt(NOW);
    await f.answerRight(a, ann, l1!.id);
    const again = (await overview(a, q)).body;
    expect(again.cardsLearnt).toBe(3);
    expect(again.heatmap[0].recall).toBeCloseTo(answered.heatmap[0].recall + (1 - 0.9) / 3, 6);

    // (b) cy opens the first lesson (a new progress row), then, after the second one and a
    // refresh, completes the first (the same row, updated).
    await refreshAt(NOW);
    await f.lessonProgress(a, cy, l1!.id, false);
    expect((await overview(a, q)).body.funnel).toMatchObject({ started: 1, lessonsDone: 0 });
    await f.lessonProgress(a, cy, l2!.id);
    await refreshAt(NOW);
    await f.lessonProgress(a, cy, l1!.id);
    expect((await overview(a, q)).body.funnel).toMatchObject({ started: 1, lessonsDone: 1 });

    // (c) dee, whose row is up to date, is assigned the module.
    await refreshAt(NOW);
    await f.assign(a, w.id, [dee.id]);
    expect((await overview(a, q)).body.funnel.assigned).toBe(4);

    // (d) bob's assignment is removed.
    await refreshAt(NOW);
    const bobs = assigned.find((x) => x.userId === bob.id)!;
    const res = await a.users.trainer.inject({
      method: 'DELETE',
      url: `/api/orgs/${a.id}/assignments/${bobs.id}`,
    });
    expect(res.statusCode, res.body).toBe(204);
    expect((await overview(a, q)).body.funnel.assigned).toBe(3);
  });
});

describe('recall from refreshed rows', () => {
  it('agrees with recall from the tables within the hour, and is that beyond', async () => {
    const b = h.world.b;
    const now = h.clock.now();
    const support = await structureRepo.insertItem(h.db, 'team', b.id, 'Support', now);
    const agent = await structureRepo.insertItem(h.db, 'jobRole', b.id, 'Support agent', now);
    const [p, q] = [await f.freshPersona(b), await f.freshPersona(b)];
    const m1 = await f.publishedModule(b, { title: 'Accounts' }, [{}, {}, {}]);
    const m2 = await f.publishedModule(b, { title: 'Mail' }, [
      { cards: [sampleSingle, sampleSingle] },
      {},
    ]);
    const eve = await f.learner(b, 'Eve', {
      teamId: b.team.id,
      jobRoleId: b.jobRole.id,
      personaId: p,
    });
    const fox = await f.learner(b, 'Fox', { teamId: b.team.id, personaId: q });
    const gus = await f.learner(b, 'Gus', {
      teamId: support.id,
      jobRoleId: agent.id,
      personaId: p,
    });
    const hal = await f.learner(b, 'Hal', { teamId: support.id });
    await f.assign(b, m1.id, [eve.id, fox.id, gus.id]);
    await f.assign(b, m2.id, [eve.id, hal.id]);
    for (const lesson of m1.lessons) await f.lessonProgress(b, eve, lesson.id);
    await f.lessonProgress(b, gus, m1.lessons[0]!.id);
    const cards1 = m1.lessons.flatMap((l) => l.cardIds);
    const cards2 = m2.lessons.flatMap((l) => l.cardIds);
    // Stability S days, last review t days ago; each pair's mean recall well away from the
    // target (0.9), so that no pair is retained by one computation and not the other.
    const memories: [UserFixture, string, number, number, number?][] = [
      [eve, cards1[0]!, 30, 3, 20], // a refresher: first review 20 days ago
      [eve, cards1[1]!, 15, 6],
      [eve, cards1[2]!, 7, 12],
      [eve, cards2[0]!, 2, 0.5],
      [eve, cards2[1]!, 1, 1.5],
      [fox, cards1[0]!, 4, 25],
      [gus, cards1[0]!, 1, 60],
      [gus, cards1[1]!, 30, 12],
      [hal, cards2[0]!, 15, 1.5],
      [hal, cards2[1]!, 7, 6],
      [hal, cards2[2]!, 2, 3],
    ];
    for (const [user, cardId, stability, daysAgo, firstDaysAgo] of memories) {
      await f.remember(b, user.id, cardId, { stability, daysAgo, firstDaysAgo });
    }

    // Every row marked, as a write leaves it: the overview computes them all from the tables.
    await h.db.execute(sql`update dashboard_pairs set as_of = null`);
    const exact = await overview(b);
    expect(exact.body).toMatchObject({ learners: 4, cardsLearnt: 11 });
    expect(exact.body.funnel).toEqual({
      assigned: 5,
      started: 2,
      lessonsDone: 1,
      firstRefresherDone: 1,
      retainedAtTarget: 1,
    });

    expect(await refreshAt(at(-40 * MINUTE))).toBeGreaterThan(0);
    expect(await asOfs(b)).toEqual([at(-40 * MINUTE)]);
    const fromRows = await overview(b);
    expectNear(fromRows.body, exact.body);
    // Read from the rows (recall extrapolated along their slopes), not from the tables.
    expect(fromRows.text).not.toBe(exact.text);

    expect(await refreshAt(at(-3 * HOUR))).toBeGreaterThan(0);
    expect(await asOfs(b)).toEqual([at(-3 * HOUR)]);
    expect((await overview(b)).text).toBe(exact.text);
  });
});

describe('deleting a learner', () => {
  it('removes their rows with their card states, assignments and progress', async () => {
    const a = h.world.a;
    const d = await f.publishedModule(a, { title: 'Deleted' });
    const lesson = d.lessons[0]!;
    const zed = await f.learner(a, 'Zed', { teamId: a.team.id });
    await f.assign(a, d.id, [zed.id]);
    await f.lessonProgress(a, zed, lesson.id);
    await f.answerRight(a, zed, lesson.id);
    // Up to date, so that the deletes' triggers have a row to mark.
    await refreshAt(NOW);
    /** Zed's rows in each table (of dashboard_pairs: those up to date too). */
    const mine = async () => {
      const count = (table: string, and = sql``) =>
        sql`(select count(*)::int from ${sql.identifier(table)}
          where user_id = ${zed.id}::uuid ${and})`;
      const result = await h.db.execute(sql`select ${count('dashboard_pairs')} as pairs,
        ${count('dashboard_pairs', sql`and as_of is not null`)} as fresh,
        ${count('card_states')} as "cardStates", ${count('assignments')} as assignments,
        ${count('lesson_progress')} as progress`);
      return rowsOf(result)[0];
    };
    expect(await mine()).toEqual({
      pairs: 1,
      fresh: 1,
      cardStates: 1,
      assignments: 1,
      progress: 1,
    });
    const before = (await overview(a, `?moduleId=${d.id}`)).body;
    expect(before).toMatchObject({ learners: 1, cardsLearnt: 1 });
    expect(before.funnel).toMatchObject({ assigned: 1, started: 1, lessonsDone: 1 });

    // No route deletes an account: straight in the database, as erasing one would.
    await h.db.delete(users).where(eq(users.id, zed.id));

    expect(await mine()).toEqual({
      pairs: 0,
      fresh: 0,
      cardStates: 0,
      assignments: 0,
      progress: 0,
    });
    const after = (await overview(a, `?moduleId=${d.id}`)).body;
    expect(after).toMatchObject({ learners: 0, cardsLearnt: 0, recallNow: null });
    expect(after.funnel).toMatchObject({ assigned: 0, started: 0, lessonsDone: 0 });
  });
});

type Group = { recall: number | null };
interface Overview {
  recallNow: number | null;
  heatmap: Group[];
  byPersona: Group[];
  byJobRole: Group[];
}

/**
 * `actual` is `exact` with every recall (overall, per cell, persona and job role) within 1e-4,
 * and everything else (counts, funnel, groups) equal.
 */
function expectNear(actual: Overview, exact: Overview) {
  const recalls = (o: Overview) => [
    o.recallNow,
    ...[...o.heatmap, ...o.byPersona, ...o.byJobRole].map((g) => g.recall),
  ];
  const withoutRecall = (o: Overview) => ({
    ...o,
    recallNow: null,
    heatmap: o.heatmap.map((g) => ({ ...g, recall: null })),
    byPersona: o.byPersona.map((g) => ({ ...g, recall: null })),
    byJobRole: o.byJobRole.map((g) => ({ ...g, recall: null })),
  });
  expect(withoutRecall(actual)).toEqual(withoutRecall(exact));
  const [got, want] = [recalls(actual), recalls(exact)];
  expect(want.every((r) => typeof r === 'number')).toBe(true);
  want.forEach((r, i) => expect(Math.abs(got[i]! - r!), `recall ${i}`).toBeLessThan(1e-4));
}
