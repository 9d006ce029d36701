import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { cardStates } from '../../server/db/schema';
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
import { learningFixtures } from '../helpers/learning';

const h = await createHarness();
const f = learningFixtures(h);
// The harness's sessions start at its clock's date: the fixtures keep to it.
const NOW = '2026-03-02T09:00:00Z';
const overviewUrl = (org: OrgFixture, query = '') =>
  `/api/orgs/${org.id}/dashboards/overview${query}`;

async function overview(user: UserFixture, org: OrgFixture, query = '') {
  const res = await user.inject({ method: 'GET', url: overviewUrl(org, query) });
  expect(res.statusCode, res.body).toBe(200);
  return { body: json(res), text: res.body };
}

/**
 * Organisation A, at NOW, with the organisation's target of 0.9:
 *
 *   team     job role        persona  learner
 *   Sales    Sales rep       P        ann
 *   Sales    —               —        bob
 *   Support  Support agent   P        cat
 *   Support  —               P        dan
 *
 * "Accounts" has lessons La, Lb and Lq (Lq only for persona Q); "Mail" has lesson Lm. Assigned:
 * Accounts to ann, bob, cat; Mail to ann, cat, dan, and to bob opening tomorrow.
 */
const w = {} as {
  support: { id: string; name: string };
  supportAgent: { id: string; name: string };
  p: string;
  accounts: Awaited<ReturnType<typeof f.publishedModule>>;
  mail: Awaited<ReturnType<typeof f.publishedModule>>;
  ann: UserFixture;
  bob: UserFixture;
  cat: UserFixture;
  dan: UserFixture;
};

/** An answer to `cardId` recorded `daysAgo` days before now (only the log: memory is set apart). */
async function logReview(org: OrgFixture, user: UserFixture, cardId: string, daysAgo: number) {
  const [state] = await h.db.select().from(cardStates).where(eq(cardStates.cardId, cardId));
  const at = new Date(h.clock.now().getTime() - daysAgo * DAY);
  const card = { orgId: org.id, userId: user.id, cardId, moduleId: state!.moduleId };
  await logAnswer(h.db, card, { at, stability: 10, scheduledDays: 10 });
}

beforeAll(async () => {
  h.clock.set(NOW);
  const a = h.world.a;
  const now = h.clock.now();
  w.support = await structureRepo.insertItem(h.db, 'team', a.id, 'Support', now);
  w.supportAgent = await structureRepo.insertItem(h.db, 'jobRole', a.id, 'Support agent', now);
  w.p = await f.freshPersona(a);
  const q = await f.freshPersona(a);
  w.accounts = await f.publishedModule(a, { title: 'Accounts' }, [{}, {}, { personaIds: [q] }]);
  w.mail = await f.publishedModule(a, { title: 'Mail' });
  w.ann = await f.learner(a, 'Ann', { teamId: a.team.id, jobRoleId: a.jobRole.id, personaId: w.p });
  w.bob = await f.learner(a, 'Bob', { teamId: a.team.id });
  w.cat = await f.learner(a, 'Cat', {
    teamId: w.support.id,
    jobRoleId: w.supportAgent.id,
    personaId: w.p,
  });
  w.dan = await f.learner(a, 'Dan', { teamId: w.support.id, personaId: w.p });
  await f.assign(a, w.accounts.id, [w.ann.id, w.bob.id, w.cat.id]);
  await f.assign(a, w.mail.id, [w.ann.id, w.cat.id, w.dan.id]);
  const tomorrow = new Date(now.getTime() + DAY).toISOString();
  await f.assign(a, w.mail.id, [w.bob.id], { opensAt: tomorrow });

  const [la, lb] = w.accounts.lessons;
  const [lm] = w.mail.lessons;
  // Memory: stability S days, last review t days ago.
  await f.remember(a, w.ann.id, la!.cardIds[0]!, { stability: 10, daysAgo: 10 });
  await f.remember(a, w.ann.id, lb!.cardIds[0]!, { stability: 10, daysAgo: 0 });
  await f.remember(a, w.ann.id, lm!.cardIds[0]!, { stability: 4, daysAgo: 12 });
  await f.remember(a, w.bob.id, la!.cardIds[0]!, { stability: 2, daysAgo: 18 });
  await f.remember(a, w.cat.id, la!.cardIds[0]!, { stability: 20, daysAgo: 10 });
  await f.remember(a, w.cat.id, lm!.cardIds[0]!, { stability: 1, daysAgo: 1 });

  // Lessons: ann finished what persona P sees of both modules (Lq is not for P); bob read La
  // only; cat finished Accounts and opened Mail; dan has not started.
  for (const lesson of [la!, lb!, lm!]) await f.lessonProgress(a, w.ann, lesson.id);
  await f.lessonProgress(a, w.bob, la!.id);
  for (const lesson of [la!, lb!]) await f.lessonProgress(a, w.cat, lesson.id);
  await f.lessonProgress(a, w.cat, lm!.id, false);

  // Review history: ann came back to La's card 2 days after its first review and to Lm's card
  // exactly a day after; cat only retried La's card within the same session.
  await logReview(a, w.ann, la!.cardIds[0]!, 12);
  await logReview(a, w.ann, la!.cardIds[0]!, 10);
  await logReview(a, w.ann, lm!.cardIds[0]!, 13);
  await logReview(a, w.ann, lm!.cardIds[0]!, 12);
  await logReview(a, w.cat, la!.cardIds[0]!, 10 + 1 / 24);
  await logReview(a, w.cat, la!.cardIds[0]!, 10);
});

// logReview writes the log apart from the memory: each memory's first review is then its log's
// earliest answer, as recording the answers (or migration 0007 over an existing log) makes it.
beforeAll(async () => {
  await h.db.execute(sql`update card_states cs set first_review = f.first_review
    from (select user_id, card_id, min(reviewed_at) as first_review
      from review_logs group by user_id, card_id) f
    where f.user_id = cs.user_id and f.card_id = cs.card_id`);
});

/*
 * Expected recall, worked out by hand: factor = 0.9^(-1/0.1542) - 1 = 0.98035 and
 * R(t, S) = (1 + 0.98035·t/S)^-0.1542, so by t/S: 0 → 1; 0.5 → 1.49017^-0.1542 = 0.94034;
 * 1 → 0.9; 3 → 3.94104^-0.1542 = 0.80939; 9 → 9.82312^-0.1542 = 0.70306.
 *
 *   ann  Accounts La  S 10, t 10   0.9
 *   ann  Accounts Lb  S 10, t 0    1
 *   ann  Mail     Lm  S 4,  t 12   0.80939
 *   bob  Accounts La  S 2,  t 18   0.70306
 *   cat  Accounts La  S 20, t 10   0.94034
 *   cat  Mail     Lm  S 1,  t 1    0.9
 */
const R = { ann: [0.9, 1, 0.80939], bob: [0.70306], cat: [0.94034, 0.9] };
const mean = (...xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const close = (x: number) => expect.closeTo(x, 4);

describe('access', () => {
  it('admins, trainers, managers and referents read the overview; learners get 403', async () => {
    await checkRoute(h, {
      request: (org) => ({ method: 'GET', url: overviewUrl(org) }),
      allow: STAFF,
      status: 200,
      badInput: (org) => ({ method: 'GET', url: overviewUrl(org, '?teamId=sales') }),
    });
  });

  it('refuses unknown filters with the one error shape', async () => {
    const res = await h.world.a.users.admin.inject({
      method: 'GET',
      url: overviewUrl(h.world.a, '?period=week'),
    });
    expectError(res, 400, 'VALIDATION_FAILED');
  });
});

/**
 * The overview reads one dashboard_pairs row per learner × module (server/dashboards/overview/
 * pairs-repository.ts): as the fixtures' writes left them (every row marked, so computed from the
 * tables), as the job refreshed them 40 minutes ago (recall extrapolated within the hour), and
 * as it left them 3 hours ago (too old: computed from the tables again). Each gives the numbers
 * worked out by hand.
 */
const rowStates = [
  { rows: 'marked by the writes', refreshedBefore: null },
  { rows: 'refreshed 40 minutes before', refreshedBefore: 40 * 60 * 1000 },
  { rows: 'refreshed 3 hours before', refreshedBefore: 3 * HOUR },
];

describe.each(rowStates)('with the learner × module rows $rows', ({ refreshedBefore }) => {
  beforeAll(async () => {
    if (refreshedBefore === null) return;
    h.clock.set(new Date(new Date(NOW).getTime() - refreshedBefore));
    try {
      expect(await h.app.refreshPairs()).toBeGreaterThan(0);
    } finally {
      h.clock.set(NOW);
    }
  });

  describe('overview of the whole organisation', () => {
    it('gives mean recall now over every learnt card, against the target', async () => {
      const { body } = await overview(h.world.a.users.admin, h.world.a);
      // (0.9 + 1 + 0.80939 + 0.70306 + 0.94034 + 0.9) / 6 = 5.25279 / 6
      expect(body).toMatchObject({
        target: 0.9,
        recallNow: close(0.875465),
        learners: 3,
        cardsLearnt: 6,
      });
    });

    it('gives a team × module heatmap, by team name then module title', async () => {
      const { body } = await overview(h.world.a.users.trainer, h.world.a);
      const a = h.world.a;
      expect(body.heatmap).toEqual([
        // ann's two Accounts cards and bob's one: (0.9 + 1 + 0.70306) / 3
        cell(a.team, w.accounts, mean(...R.ann.slice(0, 2), ...R.bob), 2, 3),
        cell(a.team, w.mail, R.ann[2]!, 1, 1),
        cell(w.support, w.accounts, R.cat[0]!, 1, 1),
        cell(w.support, w.mail, R.cat[1]!, 1, 1),
      ]);
    });

    it('breaks recall down by persona and by job role, people without one last', async () => {
      const { body } = await overview(h.world.a.users.admin, h.world.a);
      expect(body.byPersona).toEqual([
        // ann and cat: (0.9 + 1 + 0.80939 + 0.94034 + 0.9) / 5 = 0.909946
        {
          personaId: w.p,
          name: expect.any(String),
          recall: close(0.909946),
          learners: 2,
          cards: 5,
        },
        { personaId: null, name: null, recall: close(0.70306), learners: 1, cards: 1 },
      ]);
      expect(body.byJobRole).toEqual([
        // ann: (0.9 + 1 + 0.80939) / 3; cat: (0.94034 + 0.9) / 2
        { jobRoleId: h.world.a.jobRole.id, name: 'Sales rep', ...group(0.90313, 1, 3) },
        { jobRoleId: w.supportAgent.id, name: 'Support agent', ...group(0.92017, 1, 2) },
        { jobRoleId: null, name: null, ...group(0.70306, 1, 1) },
      ]);
    });

    it('counts the funnel in learner × module pairs, each stage within the one before', async () => {
      const { body } = await overview(h.world.a.users.admin, h.world.a);
      expect(body.funnel).toEqual({
        // ann, bob, cat × Accounts and ann, cat, dan × Mail; bob's Mail opens tomorrow.
        assigned: 6,
        // all but dan's Mail.
        started: 5,
        // ann's Accounts (Lq is not for persona P) and Mail, cat's Accounts; not bob's (La only).
        lessonsDone: 3,
        // ann's two modules (2 days, then exactly 1 day after the first review); cat's retry
        // an hour after the first answer is not a refresher.
        firstRefresherDone: 2,
        // ann's Accounts at (0.9 + 1) / 2 = 0.95; her Mail is at 0.80939, under 0.9.
        retainedAtTarget: 1,
      });
    });
  });

  describe('filters', () => {
    it('narrows to a team, a module, a persona or a job role', async () => {
      const admin = h.world.a.users.admin;
      const a = h.world.a;
      const support = (await overview(admin, a, `?teamId=${w.support.id}`)).body;
      expect(support.recallNow).toBeCloseTo(mean(...R.cat), 4); // 0.92017
      expect(support.heatmap.map((c: { teamId: string }) => c.teamId)).toEqual([
        w.support.id,
        w.support.id,
      ]);
      // cat × Accounts and Mail, dan × Mail; only cat's Accounts is done, with no refresher.
      expect(support.funnel).toEqual({
        assigned: 3,
        started: 2,
        lessonsDone: 1,
        firstRefresherDone: 0,
        retainedAtTarget: 0,
      });
      const mail = (await overview(admin, a, `?moduleId=${w.mail.id}`)).body;
      expect(mail).toMatchObject({ recallNow: close(mean(R.ann[2]!, R.cat[1]!)), cardsLearnt: 2 });
      expect(mail.funnel.assigned).toBe(3);
      const p = (await overview(admin, a, `?personaId=${w.p}`)).body;
      expect(p).toMatchObject({ recallNow: close(0.909946), learners: 2 });
      const rep = (await overview(admin, a, `?jobRoleId=${a.jobRole.id}`)).body;
      expect(rep).toMatchObject({ recallNow: close(0.90313), learners: 1, cardsLearnt: 3 });
    });

    it("gives empty numbers for another organisation's team, never its own", async () => {
      const { body } = await overview(
        h.world.a.users.admin,
        h.world.a,
        `?teamId=${h.world.b.team.id}`,
      );
      expect(body).toEqual(empty());
    });
  });
});

describe('scope', () => {
  it('shows a manager the teams they manage only, and nothing of the others', async () => {
    const a = h.world.a;
    const manager = a.users.manager;
    await f.manageTeams(a, manager.id, [w.support.id]);
    const { body } = await overview(manager, a);
    expect(body).toMatchObject({ recallNow: close(mean(...R.cat)), learners: 1, cardsLearnt: 2 });
    expect(body.heatmap).toEqual([
      cell(w.support, w.accounts, R.cat[0]!, 1, 1),
      cell(w.support, w.mail, R.cat[1]!, 1, 1),
    ]);
    expect(body.funnel.assigned).toBe(3);
    const asking = await overview(manager, a, `?teamId=${a.team.id}`);
    expect(asking.body).toEqual(empty());
  });

  it("shows a referent their own team's numbers", async () => {
    const a = h.world.a;
    // Through the API, as an admin does it, so the referent's signed-in membership follows.
    const res = await a.users.admin.inject({
      method: 'PATCH',
      url: `/api/orgs/${a.id}/members/${a.users.referent.id}`,
      payload: { teamId: a.team.id },
    });
    expect(res.statusCode, res.body).toBe(200);
    const { body } = await overview(a.users.referent, a);
    // ann's three cards and bob's one: (0.9 + 1 + 0.80939 + 0.70306) / 4
    expect(body).toMatchObject({ recallNow: close(0.853113), learners: 2, cardsLearnt: 4 });
    expect(body.heatmap.map((c: { teamId: string }) => c.teamId)).toEqual([a.team.id, a.team.id]);
  });

  it('shows a manager who manages no team an empty scope, with the target', async () => {
    const b = h.world.b;
    expect((await overview(b.users.manager, b)).body).toEqual(empty());
  });
});

describe('isolation', () => {
  it("leaves the overview byte-identical when another organisation's memory goes to extremes", async () => {
    const [a, b] = [h.world.a, h.world.b];
    const module = await f.publishedModule(b, { title: 'Accounts' });
    const them = await h.addUser(b.id, ['learner'], 'Eve');
    await f.setMembership(b, them.id, { teamId: b.team.id });
    await f.assign(b, module.id, [them.id]);
    await f.remember(b, them.id, module.lessons[0]!.cardIds[0]!, { stability: 10, daysAgo: 3 });
    const before = await Promise.all(
      ['', `?moduleId=${w.accounts.id}`].map(
        async (q) => (await overview(a.users.admin, a, q)).text,
      ),
    );
    await h.db
      .update(cardStates)
      .set({ stability: 0.01, lastReview: new Date('2020-01-01T00:00:00Z') })
      .where(eq(cardStates.orgId, b.id));
    const after = await Promise.all(
      ['', `?moduleId=${w.accounts.id}`].map(
        async (q) => (await overview(a.users.admin, a, q)).text,
      ),
    );
    expect(after).toEqual(before);
    // The change did reach organisation B's own overview.
    expect((await overview(b.users.admin, b)).body.recallNow).toBeLessThan(0.5);
  });
});

describe('first refresher from recorded answers', () => {
  it('counts a pair once an answer comes a day or more after its first one', async () => {
    const b = h.world.b;
    const module = await f.publishedModule(b, { title: 'Refreshers' });
    const fay = await f.learner(b, 'Fay', { teamId: b.team.id });
    await f.assign(b, module.id, [fay.id]);
    const lesson = module.lessons[0]!;
    await f.lessonProgress(b, fay, lesson.id);
    const answer = () => f.answerRight(b, fay, lesson.id);
    const refreshed = async () =>
      (await overview(b.users.admin, b, `?moduleId=${module.id}`)).body.funnel;
    try {
      await answer();
      expect(await refreshed()).toMatchObject({ lessonsDone: 1, firstRefresherDone: 0 });
      h.clock.advance(DAY - HOUR);
      await answer();
      expect((await refreshed()).firstRefresherDone).toBe(0);
      h.clock.advance(HOUR);
      await answer();
      expect((await refreshed()).firstRefresherDone).toBe(1);
    } finally {
      h.clock.set(NOW);
    }
  });
});

describe('lessons limited to some personas', () => {
  it("counts a learner's lessons done against what their persona sees", async () => {
    const b = h.world.b;
    const q = await f.freshPersona(b);
    const module = await f.publishedModule(b, { title: 'Limited' }, [{}, { personaIds: [q] }]);
    const [open, limited] = module.lessons;
    // Quinn (persona Q) read both lessons, Quentin (Q) the open one only; Paul, with no
    // persona, sees the open lesson only and read it.
    const quinn = await f.learner(b, 'Quinn', { teamId: b.team.id, personaId: q });
    const quentin = await f.learner(b, 'Quentin', { teamId: b.team.id, personaId: q });
    const paul = await f.learner(b, 'Paul', { teamId: b.team.id });
    await f.assign(b, module.id, [quinn.id, quentin.id, paul.id]);
    for (const lesson of [open!, limited!]) await f.lessonProgress(b, quinn, lesson.id);
    await f.lessonProgress(b, quentin, open!.id);
    await f.lessonProgress(b, paul, open!.id);
    const { funnel } = (await overview(b.users.admin, b, `?moduleId=${module.id}`)).body;
    expect(funnel).toMatchObject({ assigned: 3, started: 3, lessonsDone: 2 });
    // A persona filter keeps Q's learners only: Quinn has done hers, Quentin has not.
    const onlyQ = (await overview(b.users.admin, b, `?moduleId=${module.id}&personaId=${q}`)).body
      .funnel;
    expect(onlyQ).toMatchObject({ assigned: 2, started: 2, lessonsDone: 1 });
  });
});

function group(recall: number, learners: number, cards: number) {
  return { recall: close(recall), learners, cards };
}

function cell(
  team: { id: string; name: string },
  module: { id: string; title: string },
  recall: number,
  learners: number,
  cards: number,
) {
  return {
    teamId: team.id,
    teamName: team.name,
    moduleId: module.id,
    moduleTitle: module.title,
    ...group(recall, learners, cards),
  };
}

function empty() {
  return {
    target: 0.9,
    recallNow: null,
    learners: 0,
    cardsLearnt: 0,
    heatmap: [],
    byPersona: [],
    byJobRole: [],
    funnel: {
      assigned: 0,
      started: 0,
      lessonsDone: 0,
      firstRefresherDone: 0,
      retainedAtTarget: 0,
    },
  };
}

describe('names in the order people read them', () => {
  it('lists "Team 2" before "Team 10" and "Module 2" before "Module 10", accents with their letter', async () => {
    const b = h.world.b;
    const now = h.clock.now();
    // A persona of their own keeps these people apart from the other tests of organisation B.
    const z = await f.freshPersona(b);
    const teams = [];
    for (const name of ['Team 10', 'Équipe mobile', 'Team 2']) {
      teams.push(await structureRepo.insertItem(h.db, 'team', b.id, name, now));
    }
    const modules = [];
    for (const title of ['Module 10', 'Module 2']) {
      modules.push(await f.publishedModule(b, { title }));
    }
    for (const team of teams) {
      const learner = await f.learner(b, `Learner of ${team.name}`, {
        teamId: team.id,
        personaId: z,
      });
      for (const module of modules) {
        await f.assign(b, module.id, [learner.id]);
        await f.remember(b, learner.id, module.lessons[0]!.cardIds[0]!, {
          stability: 10,
          daysAgo: 1,
        });
      }
    }
    const { heatmap } = (await overview(b.users.admin, b, `?personaId=${z}`)).body;
    expect(heatmap).toMatchObject(
      ['Équipe mobile', 'Team 2', 'Team 10'].flatMap((teamName) =>
        ['Module 2', 'Module 10'].map((moduleTitle) => ({ teamName, moduleTitle })),
      ),
    );
  });
});
