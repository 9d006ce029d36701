import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { memberships } from '../../server/db/schema';
import * as structureRepo from '../../server/structure/repository';
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
import * as toolRepo from '../../server/tools/repository';

const h = await createHarness();
const f = learningFixtures(h);
/** Monday 2 March 2026, 10:00 in Paris (the organisations' zone). */
const NOW = '2026-03-02T09:00:00Z';
const peopleUrl = (org: OrgFixture, query = '') => `/api/orgs/${org.id}/dashboards/people${query}`;
const catalogueUrl = (org: OrgFixture, query = '') => `/api/orgs/${org.id}/catalogue${query}`;

async function get(user: UserFixture, url: string) {
  const res = await user.inject({ method: 'GET', url });
  expect(res.statusCode, res.body).toBe(200);
  return json(res);
}
const people = (user: UserFixture, org: OrgFixture, query = '') => get(user, peopleUrl(org, query));
const names = (body: { items: { name: string }[] }) => body.items.map((i) => i.name);
const close = (x: number) => expect.closeTo(x, 5);

type Module = Awaited<ReturnType<typeof f.publishedModule>>;
const card = (module: Module, lesson = 0, n = 0) => ({
  moduleId: module.id,
  cardId: module.lessons[lesson]!.cardIds[n]!,
});

/**
 * Organisation A at NOW, target 0.9:
 *
 *   learner  team     modules (opened)            memory
 *   Ann      Sales    Close (critical)            c1 S 10 t 30 (overdue since 10 Feb), c2 S 10 t 5
 *                     (Mail opens tomorrow)       Close lesson 1 done today
 *   Bob      Sales    Mail                        m1 S 60 t 30; answered on 27 Feb
 *   Cat      Support  Close                       nothing yet
 *   Frank    —        Mail                        m1 S 2 t 18 (overdue), on a pause until 6 Mar
 *   Eve      Sales    Mail, deactivated
 *
 * Close has lessons L1, L2 and L3 (L3 only for persona Q; Ann is P, Cat has none).
 */
const w = {} as {
  support: { id: string; name: string };
  close: Module;
  mail: Module;
  ann: UserFixture;
  bob: UserFixture;
  cat: UserFixture;
  frank: UserFixture;
  eve: UserFixture;
};

beforeAll(async () => {
  h.clock.set(NOW);
  const a = h.world.a;
  w.support = await structureRepo.insertItem(h.db, 'team', a.id, 'Support', h.clock.now());
  const p = await f.freshPersona(a);
  const q = await f.freshPersona(a);
  w.close = await f.publishedModule(a, { title: 'Close', criticality: 'critical' }, [
    {},
    {},
    { personaIds: [q] },
  ]);
  w.mail = await f.publishedModule(a, { title: 'Mail' }, [
    { cards: [sampleSingle, sampleSingle, sampleSingle] },
  ]);
  const sales = { teamId: a.team.id };
  w.ann = await f.learner(a, 'Ann', { ...sales, jobRoleId: a.jobRole.id, personaId: p });
  w.bob = await f.learner(a, 'Bob', sales);
  w.cat = await f.learner(a, 'Cat', { teamId: w.support.id });
  w.frank = await f.learner(a, 'Frank', {});
  w.eve = await f.learner(a, 'Eve', sales);
  await f.assign(a, w.close.id, [w.ann.id, w.cat.id]);
  await f.assign(a, w.mail.id, [w.bob.id, w.frank.id, w.eve.id]);
  const tomorrow = new Date(h.clock.now().getTime() + 86_400_000).toISOString();
  await f.assign(a, w.mail.id, [w.ann.id], { opensAt: tomorrow });

  await f.remember(a, w.ann.id, card(w.close, 0).cardId, { stability: 10, daysAgo: 30 });
  await f.remember(a, w.ann.id, card(w.close, 1).cardId, { stability: 10, daysAgo: 5 });
  await f.remember(a, w.bob.id, card(w.mail).cardId, { stability: 60, daysAgo: 30 });
  await f.remember(a, w.frank.id, card(w.mail).cardId, { stability: 2, daysAgo: 18 });
  await f.remember(a, w.eve.id, card(w.mail).cardId, { stability: 2, daysAgo: 18 });
  await f.lessonProgress(a, w.ann, w.close.lessons[0]!.id);
  const at = new Date('2026-02-27T09:00:00Z');
  await logAnswer(
    h.db,
    { orgId: a.id, userId: w.bob.id, ...card(w.mail) },
    { at, rating: 3, stability: 60, scheduledDays: 60, due: new Date('2026-04-28T09:00:00Z') },
  );
  const pause = await a.users.admin.inject({
    method: 'POST',
    url: `/api/orgs/${a.id}/pauses`,
    payload: { userId: w.frank.id, startsOn: '2026-03-02', endsOn: '2026-03-06' },
  });
  expect(pause.statusCode, pause.body).toBe(201);
  await h.db
    .update(memberships)
    .set({ deactivatedAt: h.clock.now() })
    .where(and(eq(memberships.orgId, a.id), eq(memberships.userId, w.eve.id)));
  // The referent is in Sales (through the API, so the signed-in membership follows).
  const res = await a.users.admin.inject({
    method: 'PATCH',
    url: `/api/orgs/${a.id}/members/${a.users.referent.id}`,
    payload: { teamId: a.team.id },
  });
  expect(res.statusCode, res.body).toBe(200);
  await f.manageTeams(a, a.users.manager.id, [w.support.id]);
});

/*
 * By hand: R(t, S) = (1 + 0.98035·t/S)^-0.1542; t/S 3 → 0.80939, 0.5 → 0.94034, 9 → 0.70306.
 *   Ann  (0.80939 + 0.94034) / 2 = 0.874866, Close under 0.9 by 0.025134: risk 1 + 2.5134
 *   Bob  0.94034; Frank 0.70306, overdue but paused: not at risk.
 */
const ANN = {
  userId: expect.any(String),
  name: 'Ann',
  teamName: 'Sales',
  jobRoleName: 'Sales rep',
  recall: close(0.874866),
  // Close: L1 and L2 for her persona, L1 done; Mail is not open yet.
  lessonsDone: 1,
  lessonsTotal: 2,
  lastActiveAt: '2026-03-02T09:00:00.000Z',
  overdueCards: 1,
  atRisk: true,
  risk: close(3.51338),
  pausedUntil: null,
};

describe('people of the scope', () => {
  it('admins, trainers, managers and referents read it; learners get 403; bad filters 400', async () => {
    await checkRoute(h, {
      request: (org) => ({ method: 'GET', url: peopleUrl(org) }),
      allow: STAFF,
      status: 200,
      badInput: (org) => ({ method: 'GET', url: peopleUrl(org, '?teamId=sales') }),
    });
    const admin = h.world.a.users.admin;
    for (const query of ['?sort=name', '?moduleId=', '?jobRoleId=1']) {
      expectError(
        await admin.inject({ method: 'GET', url: peopleUrl(h.world.a, query) }),
        400,
        'VALIDATION_FAILED',
      );
    }
  });

  it('lists every active person of the scope by name, at risk or not', async () => {
    const a = h.world.a;
    const body = await people(a.users.admin, a);
    expect(body.target).toBe(0.9);
    // The staff of the fixture have no team, so a whole-organisation scope holds them too.
    const learners = body.items.filter((i: { name: string }) => !i.name.startsWith('Org A'));
    expect(learners).toEqual([
      { ...ANN, userId: w.ann.id, teamId: a.team.id },
      {
        userId: w.bob.id,
        name: 'Bob',
        teamId: a.team.id,
        teamName: 'Sales',
        jobRoleName: null,
        recall: close(0.940344),
        lessonsDone: 0,
        lessonsTotal: 1,
        lastActiveAt: '2026-02-27T09:00:00.000Z',
        overdueCards: 0,
        atRisk: false,
        risk: 0,
        pausedUntil: null,
      },
      {
        userId: w.cat.id,
        name: 'Cat',
        teamId: w.support.id,
        teamName: 'Support',
        jobRoleName: null,
        recall: null,
        lessonsDone: 0,
        lessonsTotal: 2,
        lastActiveAt: null,
        overdueCards: 0,
        atRisk: false,
        risk: 0,
        pausedUntil: null,
      },
      {
        userId: w.frank.id,
        name: 'Frank',
        teamId: null,
        teamName: null,
        jobRoleName: null,
        recall: close(0.703064),
        lessonsDone: 0,
        lessonsTotal: 1,
        lastActiveAt: null,
        overdueCards: 0,
        atRisk: false,
        risk: 0,
        pausedUntil: '2026-03-06',
      },
    ]);
    // Eve is deactivated.
    expect(names(body)).not.toContain('Eve');
  });

  it('with a team and a module, gives the people of that heatmap cell with their recall', async () => {
    const a = h.world.a;
    const admin = a.users.admin;
    const cell = await people(admin, a, `?teamId=${a.team.id}&moduleId=${w.close.id}`);
    expect(cell.items).toEqual([{ ...ANN, userId: w.ann.id, teamId: a.team.id }]);
    // Mail in Sales: Bob; Ann's Mail opens tomorrow and she learnt none of it yet.
    const mail = await people(admin, a, `?teamId=${a.team.id}&moduleId=${w.mail.id}`);
    expect(names(mail)).toEqual(['Bob']);
    // Someone assigned who has learnt nothing yet is in the cell's list (not in its numbers).
    const support = await people(admin, a, `?teamId=${w.support.id}&moduleId=${w.close.id}`);
    expect(support.items).toEqual([expect.objectContaining({ name: 'Cat', recall: null })]);
    expect(names(await people(admin, a, '?teamId=none&moduleId=' + w.mail.id))).toEqual(['Frank']);
    expect(names(await people(admin, a, `?jobRoleId=${a.jobRole.id}`))).toEqual(['Ann']);
  });

  it('says of each person what their learner page and the at-risk list say', async () => {
    const a = h.world.a;
    const admin = a.users.admin;
    const { items } = await people(admin, a);
    const atRisk = await get(admin, `/api/orgs/${a.id}/dashboards/at-risk`);
    expect(
      items.filter((i: { atRisk: boolean }) => i.atRisk).map((i: { userId: string }) => i.userId),
    ).toEqual(atRisk.items.map((i: { userId: string }) => i.userId));
    for (const person of items) {
      const drill = await get(admin, `/api/orgs/${a.id}/dashboards/learners/${person.userId}`);
      type M = { lessonsDone: number; lessonsTotal: number; overdueCards: number };
      const sum = (key: keyof M) => drill.modules.reduce((s: number, x: M) => s + x[key], 0);
      expect(person.lessonsDone).toBe(sum('lessonsDone'));
      expect(person.lessonsTotal).toBe(sum('lessonsTotal'));
      expect(person.overdueCards).toBe(sum('overdueCards'));
      type R = { recall: number | null; cardsLearnt: number };
      const learnt = drill.modules.filter((x: R) => x.recall !== null);
      const cards = learnt.reduce((s: number, x: R) => s + x.cardsLearnt, 0);
      const mean = learnt.reduce((s: number, x: R) => s + x.recall! * x.cardsLearnt, 0) / cards;
      expect(person.recall).toEqual(cards ? close(mean) : null);
      expect(person.pausedUntil).toBe(
        drill.pauses.find((x: { status: string }) => x.status === 'active')?.endsOn ?? null,
      );
      const listed = atRisk.items.find((i: { userId: string }) => i.userId === person.userId);
      if (listed)
        expect(person).toMatchObject({ risk: close(listed.risk), recall: close(listed.recall) });
    }
  });

  it('shows a manager the teams they manage, a referent their own team', async () => {
    const a = h.world.a;
    expect(names(await people(a.users.manager, a))).toEqual(['Cat']);
    expect((await people(a.users.manager, a, `?teamId=${a.team.id}`)).items).toEqual([]);
    expect((await people(a.users.manager, a, '?teamId=none')).items).toEqual([]);
    expect(names(await people(a.users.referent, a))).toEqual(['Ann', 'Bob', a.users.referent.name]);
    const b = h.world.b;
    // A manager of no team sees nobody; another organisation's team narrows to nobody.
    expect(await people(b.users.manager, b)).toEqual({ target: 0.9, items: [] });
    expect((await people(b.users.admin, b, `?teamId=${a.team.id}`)).items).toEqual([]);
    expect(names(await people(b.users.admin, b))).not.toContain('Ann');
  });
});

describe('catalogue', () => {
  it('admins, trainers, managers and referents read it; learners get 403', async () => {
    await checkRoute(h, {
      request: (org) => ({ method: 'GET', url: catalogueUrl(org) }),
      allow: STAFF,
      status: 200,
      badInput: (org) => ({ method: 'GET', url: catalogueUrl(org, '?toolId=crm') }),
    });
    expectError(
      await h.world.a.users.manager.inject({
        method: 'GET',
        url: catalogueUrl(h.world.a, '?status=draft'),
      }),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('lists published modules by title as published, without drafts, archives or answers', async () => {
    const a = h.world.a;
    const tool = await toolRepo.insertTool(
      h.db,
      a.id,
      { name: 'CRM', description: null },
      h.clock.now(),
    );
    const targeted = await f.publishedModule(a, {
      title: 'CRM 2: calls',
      summary: 'Log a call in the CRM.',
      toolId: tool.id,
      estimatedMinutes: 12,
      jobRoleIds: [a.jobRole.id],
      teamIds: [w.support.id, a.team.id],
    });
    // The working copy changes after publication: the catalogue shows what learners get.
    const patch = await a.users.trainer.inject({
      method: 'PATCH',
      url: `/api/orgs/${a.id}/modules/${targeted.id}`,
      payload: { title: 'CRM 2: calls (new)', summary: 'Not yet published' },
    });
    expect(patch.statusCode, patch.body).toBe(200);
    await f.freshModule(a, { title: 'A draft', toolId: tool.id });
    const archived = await f.publishedModule(a, { title: 'Old CRM', toolId: tool.id });
    const archive = await a.users.trainer.inject({
      method: 'PATCH',
      url: `/api/orgs/${a.id}/modules/${archived.id}`,
      payload: { status: 'archived' },
    });
    expect(archive.statusCode, archive.body).toBe(200);
    await f.publishedModule(a, { title: 'CRM 10: quotes', toolId: tool.id });

    const res = await a.users.manager.inject({ method: 'GET', url: catalogueUrl(a) });
    expect(res.statusCode, res.body).toBe(200);
    const { items } = json(res);
    expect(items.map((i: { title: string }) => i.title)).toEqual(
      expect.arrayContaining(['Close', 'Mail', 'CRM 2: calls', 'CRM 10: quotes']),
    );
    const ofTool = json(
      await a.users.referent.inject({ method: 'GET', url: catalogueUrl(a, `?toolId=${tool.id}`) }),
    );
    // By title as people read them: "CRM 2" before "CRM 10".
    expect(ofTool.items).toEqual([
      {
        id: targeted.id,
        title: 'CRM 2: calls',
        summary: 'Log a call in the CRM.',
        toolId: tool.id,
        toolName: tool.name,
        processName: null,
        criticality: 'normal',
        estimatedMinutes: 12,
        lessonCount: 1,
        jobRoles: [{ id: a.jobRole.id, name: 'Sales rep' }],
        teams: [
          { id: a.team.id, name: 'Sales' },
          { id: w.support.id, name: 'Support' },
        ],
        publishedAt: '2026-03-02T09:00:00.000Z',
      },
      expect.objectContaining({ title: 'CRM 10: quotes', lessonCount: 1, teams: [] }),
    ]);
    // No card content, let alone which option is right.
    expect(res.body).not.toMatch(/"correct"|"options"|"cards"/);
    // Another organisation's catalogue holds none of these.
    const theirs = json(
      await h.world.b.users.admin.inject({ method: 'GET', url: catalogueUrl(h.world.b) }),
    );
    expect(theirs.items.map((i: { id: string }) => i.id)).not.toContain(targeted.id);
    expect(
      (
        await h.world.b.users.admin.inject({
          method: 'GET',
          url: catalogueUrl(h.world.b, `?toolId=${tool.id}`),
        })
      ).json().items,
    ).toEqual([]);
  });

  it('a manager assigns a catalogue module to their people, and only to them', async () => {
    const a = h.world.a;
    const { items } = await get(a.users.manager, catalogueUrl(a));
    const mail = items.find((i: { title: string }) => i.title === 'Mail');
    const res = await a.users.manager.inject({
      method: 'POST',
      url: `/api/orgs/${a.id}/assignments`,
      payload: { moduleId: mail.id, userIds: [w.cat.id], opensAt: '2026-03-09T07:00:00.000Z' },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(json(res).items).toEqual([
      expect.objectContaining({
        userId: w.cat.id,
        reason: 'manual',
        opensAt: '2026-03-09T07:00:00.000Z',
      }),
    ]);
    // Not open yet: Cat's progress still counts Close only.
    expect((await people(a.users.manager, a)).items[0]).toMatchObject({
      name: 'Cat',
      lessonsTotal: 2,
    });
    const outside = await a.users.manager.inject({
      method: 'POST',
      url: `/api/orgs/${a.id}/assignments`,
      payload: { moduleId: mail.id, userIds: [w.ann.id] },
    });
    expectError(outside, 403, 'FORBIDDEN');
  });
});
