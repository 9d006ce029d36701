import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../shared/calendar';
import type { Role } from '../../shared/common';
import { jobs, modules, outboxMessages } from '../../server/db/schema';
import * as orgRepo from '../../server/orgs/repository';
import * as structureRepo from '../../server/structure/repository';
import { DAY } from '../helpers/clock';
import {
  ALL_ROLES,
  Caller,
  checkRoute,
  createHarness,
  json,
  type OrgFixture,
  type UserFixture,
} from '../helpers/harness';
import { learningFixtures } from '../helpers/learning';

const h = await createHarness();
const f = learningFixtures(h);
/** Monday 2 March 2026, 10:00 in Paris (the organisations' zone). */
const NOW = '2026-03-02T09:00:00Z';

const homeUrl = (orgId: string) => `/api/orgs/${orgId}/home`;

async function get(user: Caller, url: string) {
  const res = await user.inject({ method: 'GET', url });
  expect(res.statusCode, res.body).toBe(200);
  return json(res);
}
const home = (user: UserFixture, orgId: string) => get(user, homeUrl(orgId));
const dashboard = (user: UserFixture, org: OrgFixture, report: string, query = '') =>
  get(user, `/api/orgs/${org.id}/dashboards/${report}${query}`);
const parts = (body: Record<string, unknown>) =>
  ['admin', 'authoring', 'teams'].filter((p) => body[p] !== null);
const stepsOf = (body: { admin: { steps: { step: string; done: boolean; count: number }[] } }) =>
  Object.fromEntries(body.admin.steps.map((s) => [s.step, [s.done, s.count]]));

/** An organisation with one member per role, a team and a job role, like the harness's. */
async function seedOrg(name: string): Promise<OrgFixture> {
  const org = await orgRepo.insertOrg(h.db, name, h.clock.now());
  const team = await structureRepo.insertItem(h.db, 'team', org.id, 'Sales', h.clock.now());
  const jobRole = await structureRepo.insertItem(h.db, 'jobRole', org.id, 'Rep', h.clock.now());
  const users = {} as Record<Role, UserFixture>;
  for (const role of ALL_ROLES) users[role] = await h.addUser(org.id, [role], `${name} ${role}`);
  return { id: org.id, name, users, team, jobRole };
}

describe('GET /api/orgs/:orgId/home', () => {
  it('answers every member of the organisation, and 404 to another one', async () => {
    await checkRoute(h, {
      request: (org) => ({ method: 'GET', url: homeUrl(org.id) }),
      allow: ALL_ROLES,
      status: 200,
    });
  });

  it('gives each role exactly its parts', async () => {
    const a = h.world.a;
    const expected: Record<Role, string[]> = {
      learner: [],
      // No module yet: an admin has nothing to author.
      admin: ['admin'],
      trainer: ['authoring'],
      manager: ['teams'],
      referent: ['teams'],
    };
    for (const role of ALL_ROLES) {
      expect(parts(await home(a.users[role], a.id)), role).toEqual(expected[role]);
    }
  });

  it("ticks the admin's checklist as teams, job roles and invitations are created", async () => {
    const creator = await h.addUser(null, [], 'Founder');
    const res = await creator.inject({
      method: 'POST',
      url: '/api/orgs',
      payload: { name: 'New' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const orgId = json(res).orgId as string;
    const url = (rest: string) => `/api/orgs/${orgId}${rest}`;
    const personas = (await get(creator, url('/personas'))).items.length;
    expect(personas).toBeGreaterThan(0);

    let body = await home(creator, orgId);
    expect(body.admin.steps.map((s: { step: string }) => s.step)).toEqual([
      'teams',
      'jobRoles',
      'people',
      'personas',
      'tools',
      'publishedModule',
      'learning',
    ]);
    expect(stepsOf(body)).toEqual({
      teams: [false, 0],
      jobRoles: [false, 0],
      people: [false, 0],
      personas: [true, personas],
      tools: [false, 0],
      publishedModule: [false, 0],
      learning: [false, 0],
    });
    expect(body.admin.state).toBeNull();

    const post = async (rest: string, payload: object) => {
      const r = await creator.inject({ method: 'POST', url: url(rest), payload });
      expect(r.statusCode, r.body).toBe(201);
    };
    await post('/teams', { name: 'Sales' });
    expect(stepsOf(await home(creator, orgId)).teams).toEqual([true, 1]);
    await post('/job-roles', { name: 'Sales rep' });
    await post('/job-roles', { name: 'Assistant' });
    body = await home(creator, orgId);
    expect(stepsOf(body).jobRoles).toEqual([true, 2]);
    expect(stepsOf(body).people).toEqual([false, 0]);
    await post('/invitations', { email: 'someone@example.test' });
    body = await home(creator, orgId);
    expect(stepsOf(body).people).toEqual([true, 1]);
    expect(body.admin.steps.filter((s: { done: boolean }) => s.done)).toHaveLength(4);
    expect(body.admin.state).toBeNull();
  });
});

describe('the home over real data', () => {
  /**
   * Organisation C at NOW, target 0.9:
   *
   *   learner  team     module  memory
   *   Ann      Sales    Close   S 2, 18 days ago (overdue)
   *   Bob      Sales    Close   S 2, 10 days ago (overdue)
   *   Cid      Sales    Chat    S 20, 10 days ago (above the target, under it in ~10 days)
   *   Dee      Support  Close   S 2, 18 days ago (overdue)
   *
   * Close targets the job role, Chat the Sales team, Mail nothing; "Old draft" was last edited
   * 20 days ago. C's manager manages Sales, its referent is in Support.
   */
  const w = {} as {
    c: OrgFixture;
    support: { id: string; name: string };
    close: Awaited<ReturnType<typeof f.publishedModule>>;
    chat: Awaited<ReturnType<typeof f.publishedModule>>;
    mail: Awaited<ReturnType<typeof f.publishedModule>>;
    draft: { id: string; title: string };
    names: Record<string, UserFixture>;
  };

  beforeAll(async () => {
    h.clock.set(NOW);
    const c = (w.c = await seedOrg('Org C'));
    w.support = await structureRepo.insertItem(h.db, 'team', c.id, 'Support', h.clock.now());
    await f.freshPersona(c);
    w.close = await f.publishedModule(c, { title: 'Close', jobRoleIds: [c.jobRole.id] });
    w.chat = await f.publishedModule(c, { title: 'Chat', teamIds: [c.team.id] });
    w.mail = await f.publishedModule(c, { title: 'Mail' });
    w.draft = await f.freshModule(c, { title: 'Old draft' });
    await h.db
      .update(modules)
      .set({ updatedAt: new Date(h.clock.now().getTime() - 20 * DAY) })
      .where(eq(modules.id, w.draft.id));
    const sales = { teamId: c.team.id };
    w.names = {
      ann: await f.learner(c, 'Ann', sales),
      bob: await f.learner(c, 'Bob', sales),
      cid: await f.learner(c, 'Cid', sales),
      dee: await f.learner(c, 'Dee', { teamId: w.support.id }),
    };
    const { ann, bob, cid, dee } = w.names;
    await f.assign(c, w.close.id, [ann!.id, bob!.id, dee!.id]);
    await f.assign(c, w.chat.id, [cid!.id]);
    const closeCard = w.close.lessons[0]!.cardIds[0]!;
    await f.remember(c, ann!.id, closeCard, { stability: 2, daysAgo: 18 });
    await f.remember(c, bob!.id, closeCard, { stability: 2, daysAgo: 10 });
    await f.remember(c, dee!.id, closeCard, { stability: 2, daysAgo: 18 });
    await f.remember(c, cid!.id, w.chat.lessons[0]!.cardIds[0]!, { stability: 20, daysAgo: 10 });
    await f.manageTeams(c, c.users.manager.id, [c.team.id]);
    await f.setMembership(c, c.users.referent.id, { teamId: w.support.id });
  });

  it("gives a manager their teams' numbers only, as the dashboards give them", async () => {
    const { c } = w;
    const manager = c.users.manager;
    const { teams } = await home(manager, c.id);
    const overview = await dashboard(manager, c, 'overview');
    const atRisk = await dashboard(manager, c, 'at-risk');
    const sales = await dashboard(manager, c, 'overview', `?teamId=${c.team.id}`);

    expect(teams.recallNow).toBe(overview.recallNow);
    expect(teams.learners).toBe(overview.learners);
    expect(teams.learners).toBe(3);
    expect(teams.members).toBe(3);
    expect(teams.teams).toEqual([
      {
        teamId: c.team.id,
        name: 'Sales',
        members: 3,
        recallNow: sales.recallNow,
        learners: sales.learners,
      },
    ]);
    expect(teams.atRisk.count).toBe(atRisk.items.length);
    expect(teams.atRisk.first.map((p: { name: string }) => p.name)).toEqual(['Ann', 'Bob']);
    expect(teams.atRisk.first[0]).toEqual({
      userId: w.names.ann!.id,
      name: 'Ann',
      teamName: 'Sales',
    });

    // The referent follows Support: Dee only.
    const referent = (await home(c.users.referent, c.id)).teams;
    expect(referent.teams.map((t: { name: string }) => t.name)).toEqual(['Support']);
    expect(referent.atRisk.first.map((p: { name: string }) => p.name)).toEqual(['Dee']);
    expect(referent.members).toBe(2);
  });

  it('says which team × module falls under the target within 14 days, from the forecast', async () => {
    const { c } = w;
    const manager = c.users.manager;
    const { teams } = await home(manager, c.id);
    const forecast = await dashboard(manager, c, 'forecast');
    const chat = forecast.series.find((s: { moduleId: string }) => s.moduleId === w.chat.id);
    expect(chat.crossesTargetOn > forecast.today).toBe(true);
    expect(teams.today).toBe(forecast.today);
    // Close is under the target already: its recall says so, not the forecast.
    expect(teams.crossingSoon).toEqual([
      {
        teamId: c.team.id,
        teamName: 'Sales',
        moduleId: w.chat.id,
        moduleTitle: 'Chat',
        crossesOn: chat.crossesTargetOn,
      },
    ]);
    expect(teams.nextCrossing).toBeNull();
    // Six days earlier, Chat would fall under it in about sixteen days: later than soon.
    h.clock.set(new Date(Date.parse(NOW) - 6 * DAY));
    try {
      const before = new Caller(h.app, await h.signIn(manager.id));
      const later = (await get(before, homeUrl(c.id))).teams;
      const earlier = await get(before, `/api/orgs/${c.id}/dashboards/forecast`);
      const chatThen = earlier.series.find((s: { moduleId: string }) => s.moduleId === w.chat.id);
      expect(later.crossingSoon).toEqual([]);
      expect(later.nextCrossing).toEqual({
        ...teams.crossingSoon[0],
        crossesOn: chatThen.crossesTargetOn,
      });
      expect(chatThen.crossesTargetOn > addDays(earlier.today, 14)).toBe(true);
    } finally {
      h.clock.set(NOW);
    }
  });

  it("lists an author's modules by state and what needs attention", async () => {
    const { c } = w;
    const trainer = c.users.trainer;
    const body = await home(trainer, c.id);
    expect(parts(body)).toEqual(['authoring']);
    const { authoring } = body;
    const close = await dashboard(trainer, c, 'overview', `?moduleId=${w.close.id}`);
    const chat = await dashboard(trainer, c, 'overview', `?moduleId=${w.chat.id}`);
    expect(authoring.drafts.map((d: { title: string }) => d.title)).toEqual(['Old draft']);
    expect(authoring.changed).toEqual([]);
    expect(authoring.published).toEqual([
      { moduleId: w.chat.id, title: 'Chat', recallNow: chat.recallNow, learners: 1 },
      { moduleId: w.close.id, title: 'Close', recallNow: close.recallNow, learners: 3 },
      { moduleId: w.mail.id, title: 'Mail', recallNow: null, learners: 0 },
    ]);
    expect(close.recallNow).toBeLessThan(body.target);
    expect(
      authoring.attention.map((a: { title: string; reason: string }) => [a.title, a.reason]),
    ).toEqual([
      ['Close', 'under-target'],
      ['Old draft', 'stale-draft'],
      ['Mail', 'no-target'],
      ['Old draft', 'no-target'],
    ]);
    expect(authoring.attention[0].recallNow).toBe(close.recallNow);

    // An edit after publishing shows as a change to publish.
    const res = await trainer.inject({
      method: 'PATCH',
      url: f.modules(c, `/${w.mail.id}`),
      payload: { summary: 'Sending mail' },
    });
    expect(res.statusCode, res.body).toBe(200);
    const changed = (await home(trainer, c.id)).authoring.changed;
    expect(changed).toEqual([{ moduleId: w.mail.id, title: 'Mail' }]);
  });

  it("turns an admin's finished checklist into the organisation's state", async () => {
    const { c } = w;
    const admin = c.users.admin;
    const now = h.clock.now().getTime();
    const message = (key: string, status: 'failed' | 'sent', daysAgo: number) => ({
      orgId: c.id,
      toAddress: 'someone@example.test',
      locale: 'en' as const,
      kind: 'reminder' as const,
      key,
      status,
      createdAt: new Date(now - daysAgo * DAY),
    });
    await h.db
      .insert(outboxMessages)
      .values([
        message('home-1', 'failed', 1),
        message('home-2', 'failed', 8),
        message('home-3', 'sent', 1),
      ]);
    const job = (key: string, name: string, daysAgo: number) => ({
      name,
      key,
      orgId: c.id,
      status: 'failed' as const,
      runAt: new Date(now - daysAgo * DAY),
      finishedAt: new Date(now - daysAgo * DAY),
    });
    await h.db
      .insert(jobs)
      .values([
        job('home-j1', 'digest', 2),
        job('home-j2', 'digest', 9),
        job('home-j3', 'mail', 1),
      ]);

    const body = await home(admin, c.id);
    expect(parts(body)).toEqual(['admin', 'authoring']);
    expect(body.admin.steps.every((s: { done: boolean }) => s.done)).toBe(true);
    const overview = await dashboard(admin, c, 'overview');
    const atRisk = await dashboard(admin, c, 'at-risk');
    expect(body.admin.state).toEqual({
      // The five of every role and the four learners.
      members: 9,
      pendingInvitations: 0,
      publishedModules: 3,
      draftModules: 1,
      recallNow: overview.recallNow,
      learners: 4,
      atRisk: atRisk.items.length,
      failedMessages: 1,
      failedJobs: 1,
    });
    expect(atRisk.items.length).toBe(3);
    expect(body.target).toBe(overview.target);
  });

  it('gives a person with two roles both parts', async () => {
    const { c } = w;
    const both = await h.addUser(c.id, ['admin', 'manager'], 'Both');
    await f.manageTeams(c, both.id, [c.team.id]);
    const body = await home(both, c.id);
    expect(parts(body)).toEqual(['admin', 'authoring', 'teams']);
    // As a manager, the team they manage; the whole organisation is the admin's part.
    expect(body.teams.teams.map((t: { name: string }) => t.name)).toEqual(['Sales']);
    expect(body.teams.atRisk.count).toBe(2);
    expect(body.admin.state.atRisk).toBe(3);
  });
});
