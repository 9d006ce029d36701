import { and, eq } from 'drizzle-orm';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobs, memberships, outboxMessages, users } from '../../server/db/schema';
import { percent } from '../../server/mail/templates/digest';
import * as structureRepo from '../../server/structure/repository';
import { DAY } from '../helpers/clock';
import { json, type OrgFixture, type UserFixture, createHarness } from '../helpers/harness';
import { learningFixtures } from '../helpers/learning';
import { logAnswer } from '../helpers/review-log';
import { startSmtp } from '../helpers/smtp';

const smtp = await startSmtp();
afterAll(() => smtp.close());
const h = await createHarness({
  config: { smtp: { url: smtp.url, from: 'Rappel <rappel@example.test>' } },
});
const f = learningFixtures(h);

/**
 * Org A (Paris, target 0.9) on Monday 2 March 2026:
 *
 *   Sales    Ann, Bob       Mail: one card S 2 t 18 (overdue); Chat: S 30 t 25 (under the
 *                           target within days)
 *   Support  Cat … Fay      Mail: overdue
 *   Empty    nobody
 *
 * A's manager manages Sales, Mo manages Empty, Gone managed Sales and left; Tess, a French
 * trainer, opted in for the whole organisation; A's admin too, then turned every channel off;
 * A's own trainer did not. Org B (New York): Zed in its Sales, overdue,
 * managed by B's manager.
 */
const w = {} as {
  mail: Module;
  chat: Module;
  people: Record<string, UserFixture>;
  mo: UserFixture;
  gone: UserFixture;
  tess: UserFixture;
  zed: UserFixture;
};
const MONDAY_0600_PARIS = '2026-03-02T05:00:00Z';
const MONDAY_0700_PARIS = '2026-03-02T06:00:00Z';

/** Runs every job due now, also those the jobs themselves queue (a digest, then its mail). */
async function drain() {
  await h.app.jobs.tick();
  while ((await h.app.jobs.runDue()) > 0);
}

const isDigest = (m: ParsedMail) => /summary|Le point de la semaine/.test(m.subject ?? '');
const digestsTo = (user: UserFixture) =>
  smtp.messages.filter((m, i) => isDigest(m) && smtp.envelopes[i]!.to.includes(user.email));

/** The params the last digest of `user` was rendered from (what the outbox keeps). */
async function digestParams(user: UserFixture) {
  const rows = await h.db
    .select({ params: outboxMessages.params, createdAt: outboxMessages.createdAt })
    .from(outboxMessages)
    .where(and(eq(outboxMessages.userId, user.id), eq(outboxMessages.kind, 'digest')))
    .orderBy(outboxMessages.createdAt);
  return rows.at(-1)!.params as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

async function api(user: UserFixture, url: string) {
  const res = await user.inject({ method: 'GET', url });
  expect(res.statusCode, res.body).toBe(200);
  return json(res);
}

const dashboards = (org: OrgFixture) => `/api/orgs/${org.id}/dashboards`;
const hrefs = (html: string) =>
  [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
const path = (url: string) => new URL(url).pathname + new URL(url).search;

type Module = Awaited<ReturnType<typeof f.publishedModule>>;

/** A learner of `teamId` whose one card of `module` was answered 18 days ago, due after 2. */
async function overdueLearner(org: OrgFixture, name: string, teamId: string, module: Module) {
  const user = await f.learner(org, name, { teamId });
  await f.assign(org, module.id, [user.id]);
  const cardId = module.lessons[0]!.cardIds[0]!;
  await f.remember(org, user.id, cardId, { stability: 2, daysAgo: 18 });
  await logAnswer(
    h.db,
    { orgId: org.id, userId: user.id, cardId, moduleId: module.id },
    { at: new Date(h.clock.now().getTime() - 18 * DAY), stability: 2, scheduledDays: 2 },
  );
  return user;
}

beforeAll(async () => {
  h.clock.set(MONDAY_0600_PARIS);
  const { a, b } = h.world;
  const support = await structureRepo.insertItem(h.db, 'team', a.id, 'Support', h.clock.now());
  const empty = await structureRepo.insertItem(h.db, 'team', a.id, 'Empty', h.clock.now());
  w.mail = await f.publishedModule(a, { title: 'Mail' });
  w.chat = await f.publishedModule(a, { title: 'Chat' });
  w.people = {};
  for (const name of ['Ann', 'Bob']) {
    w.people[name] = await overdueLearner(a, name, a.team.id, w.mail);
  }
  for (const name of ['Cat', 'Dan', 'Eve', 'Fay']) {
    w.people[name] = await overdueLearner(a, name, support.id, w.mail);
  }
  await f.assign(a, w.chat.id, [w.people.Ann!.id, w.people.Bob!.id]);
  for (const name of ['Ann', 'Bob']) {
    const cardId = w.chat.lessons[0]!.cardIds[0]!;
    await f.remember(a, w.people[name]!.id, cardId, { stability: 30, daysAgo: 25 });
  }
  await f.manageTeams(a, a.users.manager.id, [a.team.id]);
  w.gone = await h.addUser(a.id, ['manager'], 'Gone');
  await f.manageTeams(a, w.gone.id, [a.team.id]);
  await h.db
    .update(memberships)
    .set({ deactivatedAt: h.clock.now() })
    .where(and(eq(memberships.orgId, a.id), eq(memberships.userId, w.gone.id)));
  // A's admin takes the whole-organisation digest, but on no channel at all.
  for (const [url, payload] of [
    [`/api/orgs/${a.id}/me/digest`, { optIn: true }],
    ['/api/me/notifications', { channels: { digest: [] } }],
  ] as const) {
    const res = await a.users.admin.inject({ method: 'PUT', url, payload });
    expect(res.statusCode, res.body).toBe(200);
  }
  w.mo = await h.addUser(a.id, ['manager'], 'Mo');
  await f.manageTeams(a, w.mo.id, [empty.id]);
  w.tess = await h.addUser(a.id, ['trainer'], 'Tess');
  await h.db.update(users).set({ locale: 'fr' }).where(eq(users.id, w.tess.id));
  const optIn = await w.tess.inject({
    method: 'PUT',
    url: `/api/orgs/${a.id}/me/digest`,
    payload: { optIn: true },
  });
  expect(optIn.statusCode, optIn.body).toBe(200);

  await f.learningSettings(b, { timeZone: 'America/New_York' });
  const mailB = await f.publishedModule(b, { title: 'Mail B' });
  w.zed = await overdueLearner(b, 'Zed', b.team.id, mailB);
  await f.manageTeams(b, b.users.manager.id, [b.team.id]);
});

describe('the weekly digest', () => {
  it('waits for 07:00 on Monday in the organisation’s zone', async () => {
    await drain();
    const queued = await h.db.select().from(jobs).where(eq(jobs.name, 'digest'));
    expect(queued).toEqual([]);
    expect(smtp.messages.filter(isDigest)).toEqual([]);
  });

  it('gives a manager on Monday their teams’ figures, as their dashboards give them', async () => {
    h.clock.set(MONDAY_0700_PARIS);
    await drain();
    const manager = h.world.a.users.manager;
    const [mail] = digestsTo(manager);
    expect(digestsTo(manager)).toHaveLength(1);
    expect(digestsTo(w.gone)).toEqual([]);

    const overview = await api(manager, `${dashboards(h.world.a)}/overview`);
    const atRisk = await api(manager, `${dashboards(h.world.a)}/at-risk`);
    const forecast = await api(manager, `${dashboards(h.world.a)}/forecast`);
    const params = await digestParams(manager);
    expect(params.recallNow).toBe(overview.recallNow);
    expect(params.learners).toBe(overview.learners);
    expect(params.teams).toEqual(['Sales']);
    expect(params.atRisk.map((p: { name: string }) => p.name)).toEqual(
      atRisk.items.map((p: { name: string }) => p.name),
    );
    expect(atRisk.items.map((p: { name: string }) => p.name)).toEqual(['Ann', 'Bob']);
    const chat = forecast.series.find((s: { moduleTitle: string }) => s.moduleTitle === 'Chat');
    expect(chat.crossesTargetOn > forecast.today).toBe(true);
    expect(params.crossing).toContainEqual(
      expect.objectContaining({
        moduleTitle: 'Chat',
        on: chat.crossesTargetOn,
        alreadyUnder: false,
      }),
    );
    expect(params.crossing).toContainEqual(
      expect.objectContaining({ moduleTitle: 'Mail', alreadyUnder: true }),
    );

    // What the manager reads: both parts, their people only, the figures and working links.
    for (const part of [mail!.text!, mail!.html as string]) {
      expect(part).toContain('Ann');
      expect(part).toContain('Bob');
      for (const other of ['Cat', 'Dan', 'Eve', 'Fay', 'Zed']) expect(part).not.toContain(other);
      expect(part).toContain(percent(overview.recallNow, 'en', overview.target));
    }
    expect(mail!.html).toMatch(/<th scope="col"[^>]*>Figure<\/th>/);
    const unsubscribe = mail!.headerLines.find((l) => l.key === 'list-unsubscribe');
    expect(unsubscribe?.line.replace(/\r\n\s+/g, ' ')).toMatch(
      /^List-Unsubscribe: <http:\/\/.+\/api\/unsubscribe\/.+>$/,
    );
    const links = hrefs(mail!.html as string);
    for (const person of [w.people.Ann!, w.people.Bob!]) {
      const link = links.find((l) => l.includes(`/dashboards/learners/${person.id}`))!;
      expect(mail!.text).toContain(link);
      const page = await manager.inject({ method: 'GET', url: path(link) });
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toMatch(/text\/html/);
      const learner = await api(manager, `${dashboards(h.world.a)}/learners/${person.id}`);
      expect(learner.learner.name).toBe(person.name);
    }
    expect(links).toContain(`${new URL(links[0]!).origin}/o/${h.world.a.id}/dashboards`);
  });

  it('sends a short one to a manager whose teams have nothing learnt yet', async () => {
    const [mail] = digestsTo(w.mo);
    expect(mail!.text).toContain('Nobody in your teams has learnt a card yet');
    expect(mail!.text).not.toMatch(/Ann|Bob|Cat/);
  });

  it('gives the whole organisation to a trainer who opted in, in their language, top five', async () => {
    expect(digestsTo(h.world.a.users.trainer)).toEqual([]);
    const admin = h.world.a.users.admin;
    expect(digestsTo(admin)).toEqual([]);
    const adminJob = await h.db
      .select({ status: jobs.status })
      .from(jobs)
      .where(eq(jobs.key, `digest:${h.world.a.id}:${admin.id}:2026-W10`));
    expect(adminJob).toEqual([{ status: 'done' }]);
    const adminOutbox = await h.db
      .select()
      .from(outboxMessages)
      .where(eq(outboxMessages.userId, admin.id));
    expect(adminOutbox).toEqual([]);
    const [mail] = digestsTo(w.tess);
    expect(mail!.subject).toContain('Le point de la semaine');
    const links = hrefs(mail!.html as string);
    for (const name of ['Ann', 'Bob', 'Cat', 'Dan', 'Eve']) {
      expect(links.some((l) => l.endsWith(`/learners/${w.people[name]!.id}?from=at-risk`))).toBe(
        true,
      );
    }
    expect(links.some((l) => l.includes(w.people.Fay!.id))).toBe(false);
    expect(mail!.text).toContain('Et 1 autre.');
    expect(mail!.text).not.toContain('Zed');
    const overview = await api(w.tess, `${dashboards(h.world.a)}/overview`);
    expect((await digestParams(w.tess)).recallNow).toBe(overview.recallNow);
  });

  it('reaches another organisation in its own morning, with its own people only', async () => {
    const managerB = h.world.b.users.manager;
    expect(digestsTo(managerB)).toEqual([]);
    h.clock.set('2026-03-02T12:00:00Z');
    await drain();
    const [mail] = digestsTo(managerB);
    expect(mail!.text).toContain('Zed');
    for (const other of ['Ann', 'Bob', 'Cat']) expect(mail!.text).not.toContain(other);
  });

  it('comes once a week: none on Tuesday, the next on Monday with what changed', async () => {
    const { a } = h.world;
    const manager = a.users.manager;
    const first = await digestParams(manager);
    // Tuesday: Ann answers her overdue refresher and finishes a lesson; no second digest.
    h.clock.set('2026-03-03T09:00:00Z');
    await f.answerRight(a, w.people.Ann!, w.mail.lessons[0]!.id);
    await f.lessonProgress(a, w.people.Ann!, w.chat.lessons[0]!.id);
    await drain();
    expect(digestsTo(manager)).toHaveLength(1);
    // Mo would rather read it in the app from now on.
    const channels = await w.mo.inject({
      method: 'PUT',
      url: '/api/me/notifications',
      payload: { channels: { digest: ['in-app'] } },
    });
    expect(channels.statusCode, channels.body).toBe(200);
    // Wednesday: Gus joins Sales, already behind.
    h.clock.set('2026-03-04T09:00:00Z');
    w.people.Gus = await overdueLearner(a, 'Gus', a.team.id, w.mail);
    await drain();
    h.clock.set('2026-03-09T06:00:00Z');
    await drain();
    expect(digestsTo(manager)).toHaveLength(2);
    expect(digestsTo(w.tess)).toHaveLength(2);
    expect(digestsTo(w.mo)).toHaveLength(1);
    const inbox = await api(w.mo, `/api/orgs/${a.id}/notifications`);
    expect(inbox.items).toEqual([
      expect.objectContaining({ kind: 'digest', link: `/o/${a.id}/dashboards` }),
    ]);
    expect(inbox.items[0].params).toMatchObject({
      orgName: 'Org A',
      week: '2026-W11',
      learners: 0,
    });
    const page = await w.mo.inject({ method: 'GET', url: inbox.items[0].link });
    expect(page.statusCode).toBe(200);

    const params = await digestParams(manager);
    const retention = await api(manager, `${dashboards(a)}/true-retention?period=week`);
    const week = retention.rows.find(
      (r: { periodStart: string }) => r.periodStart === '2026-03-02',
    );
    expect(week.all.reviews).toBe(1);
    expect(params.lastWeek).toEqual({
      lessonsCompleted: 1,
      refreshers: week.all.reviews,
      refreshersPassed: week.all.passed,
    });
    expect(params.recallLastWeek).toBe(first.recallNow);
    expect(params.newlyAtRisk).toBe(1);
    // Ann's refresher, answered on Tuesday, is due again by now: she is at risk still, not anew.
    const atRisk = await api(manager, `${dashboards(a)}/at-risk`);
    expect(params.atRisk.map((p: { name: string }) => p.name)).toEqual(
      atRisk.items.map((p: { name: string }) => p.name),
    );
    expect(params.atRisk.map((p: { name: string }) => p.name)).toContain('Gus');
    const mail = digestsTo(manager)[1]!;
    expect(mail.text).toContain(`People at risk: ${atRisk.items.length} · 1 new`);
    expect(mail.text).toContain('Lessons finished last week: 1 · +1 on the week before');
    expect(mail.text).toContain(
      'Refreshers answered last week: 1 (100% right) · +1 on the week before',
    );
    const points = Math.round((params.recallNow - first.recallNow) * 100);
    expect(mail.text).toMatch(
      new RegExp(
        `Predicted recall today: \\d+% · ${points > 0 ? '\\+' : '−'}${Math.abs(points)} points?`,
      ),
    );
  });
});
