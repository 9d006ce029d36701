import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cardStates } from '../../server/db/schema';
import * as structureRepo from '../../server/structure/repository';
import { DAY } from '../helpers/clock';
import {
  ALL_ROLES,
  checkRoute,
  createHarness,
  expectError,
  issuePaths,
  json,
  type OrgFixture,
  type UserFixture,
} from '../helpers/harness';
import { learningFixtures } from '../helpers/learning';

const h = await createHarness();
const f = learningFixtures(h);
/** Monday 2 March 2026, 10:00 in Paris (the organisations' time zone). */
const START = '2026-03-02T09:00:00Z';
const pausesUrl = (org: OrgFixture, rest = '') => `/api/orgs/${org.id}/pauses${rest}`;

let support: { id: string };

beforeAll(async () => {
  // Managers, referents and learners of both organisations are in their organisation's team,
  // and the managers manage it.
  for (const org of [h.world.a, h.world.b]) {
    for (const role of ['manager', 'referent', 'learner'] as const) {
      await f.setMembership(org, org.users[role].id, { teamId: org.team.id });
    }
    await f.manageTeams(org, org.users.manager.id, [org.team.id]);
  }
  support = await structureRepo.insertItem(h.db, 'team', h.world.a.id, 'Support', h.clock.now());
});

beforeEach(() => h.clock.set(START));

/** Distinct dates for each call, so that no two pauses of one person overlap. */
let week = 0;
function nextWeek() {
  week += 1;
  const day = (n: number) => new Date(Date.parse('2026-04-01T00:00:00Z') + n * DAY);
  return {
    startsOn: day(week * 7)
      .toISOString()
      .slice(0, 10),
    endsOn: day(week * 7 + 4)
      .toISOString()
      .slice(0, 10),
  };
}

async function pause(as: UserFixture, org: OrgFixture, body: object) {
  return as.inject({ method: 'POST', url: pausesUrl(org), payload: body });
}

async function created(as: UserFixture, org: OrgFixture, body: object) {
  const res = await pause(as, org, body);
  expect(res.statusCode, res.body).toBe(201);
  return json(res) as { id: string; status: string; startsOn: string; endsOn: string };
}

async function listOf(as: UserFixture, org: OrgFixture, userId?: string) {
  const res = await as.inject({
    method: 'GET',
    url: pausesUrl(org, userId ? `?userId=${userId}` : ''),
  });
  expect(res.statusCode, res.body).toBe(200);
  return json(res).items as { id: string; startsOn: string; endsOn: string; status: string }[];
}

const remove = (as: UserFixture, org: OrgFixture, id: string) =>
  as.inject({ method: 'DELETE', url: pausesUrl(org, `/${id}`) });

describe('pausing refreshers: who may', () => {
  it('any member pauses their own; another organisation’s learner is 404', async () => {
    await checkRoute(h, {
      request: (org, owner) => ({
        method: 'POST',
        url: pausesUrl(org),
        payload: { ...nextWeek(), ...(owner !== org ? { userId: owner.users.learner.id } : {}) },
      }),
      allow: ALL_ROLES,
      status: 201,
      objectInPath: true,
      badInput: (org) => ({
        method: 'POST',
        url: pausesUrl(org),
        payload: { startsOn: '2026-04-10', endsOn: 'soon' },
      }),
    });
  });

  it('any member lists their own; another organisation’s learner is 404', async () => {
    await checkRoute(h, {
      request: (org, owner) => ({
        method: 'GET',
        url: pausesUrl(org, owner !== org ? `?userId=${owner.users.learner.id}` : ''),
      }),
      allow: ALL_ROLES,
      status: 200,
      objectInPath: true,
      badInput: (org) => ({ method: 'GET', url: pausesUrl(org, '?userId=nope') }),
    });
  });

  it('a manager pauses their team’s members, an admin anyone; nobody else anyone else', async () => {
    const { a } = h.world;
    const outsider = await h.addUser(a.id, ['learner']);
    await f.setMembership(a, outsider.id, { teamId: support.id });
    const teammate = a.users.learner;

    const byManager = await created(a.users.manager, a, { ...nextWeek(), userId: teammate.id });
    expect(byManager).toMatchObject({
      userId: teammate.id,
      status: 'upcoming',
      createdBy: { id: a.users.manager.id, name: expect.any(String) },
    });
    expectError(await pause(a.users.manager, a, { ...nextWeek(), userId: outsider.id }), 403);
    expectError(await pause(a.users.referent, a, { ...nextWeek(), userId: teammate.id }), 403);
    expectError(await pause(a.users.trainer, a, { ...nextWeek(), userId: teammate.id }), 403);
    expectError(await pause(teammate, a, { ...nextWeek(), userId: outsider.id }), 403);
    await created(a.users.admin, a, { ...nextWeek(), userId: outsider.id });

    // The learner sees the pause their manager set; the outsider's stay theirs.
    expect((await listOf(teammate, a)).map((p) => p.id)).toContain(byManager.id);
    expect(await listOf(a.users.manager, a, teammate.id)).toEqual(await listOf(teammate, a));
    expectError(
      await teammate.inject({ method: 'GET', url: pausesUrl(a, `?userId=${outsider.id}`) }),
      403,
    );
    // Someone else's pause out of one's scope cannot even be found.
    expectError(await remove(a.users.referent, a, byManager.id), 404, 'NOT_FOUND');
    expectError(await remove(h.world.b.users.admin, a, byManager.id), 404, 'NOT_FOUND');
    const [outsiders] = await listOf(a.users.admin, a, outsider.id);
    expectError(await remove(a.users.manager, a, outsiders!.id), 404, 'NOT_FOUND');
    expect((await remove(a.users.manager, a, byManager.id)).statusCode).toBe(204);
  });

  it('deleting: another organisation’s pause is 404, a bad id 400, no session 401', async () => {
    const { a, b } = h.world;
    const theirs = await created(b.users.learner, b, nextWeek());
    expectError(await remove(a.users.admin, a, theirs.id), 404, 'NOT_FOUND');
    expectError(await remove(b.users.admin, a, theirs.id), 404, 'NOT_FOUND');
    expectError(await remove(a.users.admin, a, 'nope'), 400, 'VALIDATION_FAILED');
    expectError(await remove(a.users.admin, a, randomUUID()), 404, 'NOT_FOUND');
    expectError(await h.anon.inject({ method: 'DELETE', url: pausesUrl(a, `/${theirs.id}`) }), 401);
    // Each role removes its own.
    for (const role of ALL_ROLES) {
      const mine = await created(a.users[role], a, nextWeek());
      expect((await remove(a.users[role], a, mine.id)).statusCode).toBe(204);
    }
  });
});

describe('pausing refreshers: the dates', () => {
  it('starts today or later, ends on or after its start, lasts at most 92 days', async () => {
    const { a } = h.world;
    const me = await h.addUser(a.id, ['learner']);
    const fails = async (body: object, path: string) => {
      const err = expectError(await pause(me, a, body), 400, 'VALIDATION_FAILED');
      expect(issuePaths(err)).toEqual([`body.${path}`]);
    };
    await fails({ startsOn: '2026-03-01', endsOn: '2026-03-05' }, 'startsOn');
    await fails({ startsOn: '2026-03-10', endsOn: '2026-03-09' }, 'endsOn');
    await fails({ startsOn: '2026-03-02', endsOn: '2026-06-02' }, 'endsOn');
    await fails({ startsOn: '2026-02-30', endsOn: '2026-03-09' }, 'startsOn');
    // 92 days, today included, is fine; a one-day pause too.
    await created(me, a, { startsOn: '2026-03-02', endsOn: '2026-06-01' });
    // A day shared with another pause is a conflict.
    const overlap = await pause(me, a, { startsOn: '2026-06-01', endsOn: '2026-06-03' });
    expect(expectError(overlap, 409, 'CONFLICT').message).toBe(
      'This overlaps the pause from 2026-03-02 to 2026-06-01.',
    );
    await created(me, a, { startsOn: '2026-06-02', endsOn: '2026-06-02' });
  });

  it('cancel an upcoming pause, end an active one today; a pause that is over stays', async () => {
    const { a } = h.world;
    const me = await h.addUser(a.id, ['learner']);
    const soon = await created(me, a, { startsOn: '2026-03-04', endsOn: '2026-03-06' });
    const holiday = await created(me, a, { startsOn: '2026-03-09', endsOn: '2026-03-20' });
    const today = await created(me, a, { startsOn: '2026-03-02', endsOn: '2026-03-03' });
    expect([soon.status, holiday.status, today.status]).toEqual(['upcoming', 'upcoming', 'active']);

    // Upcoming: gone. Active since today: gone too (refreshers come again today).
    expect((await remove(me, a, soon.id)).statusCode).toBe(204);
    expect((await remove(me, a, today.id)).statusCode).toBe(204);
    expect(await listOf(me, a)).toEqual([expect.objectContaining({ id: holiday.id })]);

    // Back early, on Thursday 12 March: the pause ends the day before, and is over.
    h.clock.set('2026-03-12T07:00:00Z');
    expect((await listOf(me, a))[0]!.status).toBe('active');
    expect((await remove(me, a, holiday.id)).statusCode).toBe(204);
    expect(await listOf(me, a)).toEqual([
      expect.objectContaining({
        id: holiday.id,
        startsOn: '2026-03-09',
        endsOn: '2026-03-11',
        status: 'over',
      }),
    ]);
    expect(expectError(await remove(me, a, holiday.id), 409, 'CONFLICT').message).toBe(
      'This pause is over: it stays in the history.',
    );
  });
});

describe('pausing refreshers: what the learner gets', () => {
  /**
   * Cards learnt in one module, due (without pauses) on Wednesday 4 March (early) and on
   * Tuesday 10 March (late); a week's holiday from Tuesday 3 to Monday 9 March included.
   */
  async function learnerWithCards() {
    const { a } = h.world;
    const learner = await h.addUser(a.id, ['learner']);
    const trueOrFalse = {
      kind: 'truefalse' as const,
      question: 'A call is logged in the customer timeline.',
      answer: true,
      explanation: '',
    };
    const module = await f.publishedModule(a, { title: 'Calls' }, [
      {},
      {},
      { cards: [trueOrFalse] },
    ]);
    await f.assign(a, module.id, [learner.id]);
    const [early, late, other] = module.lessons.flatMap((l) => l.cardIds) as [
      string,
      string,
      string,
    ];
    await f.remember(a, learner.id, early, {
      stability: 5,
      daysAgo: 3,
      due: new Date('2026-03-04T09:00:00Z'),
    });
    await f.remember(a, learner.id, late, {
      stability: 10,
      daysAgo: 2,
      due: new Date('2026-03-10T09:00:00Z'),
    });
    return { learner, module, early, late, other };
  }
  const today = async (as: UserFixture) => {
    const res = await as.inject({ method: 'GET', url: `/api/orgs/${h.world.a.id}/me/today` });
    expect(res.statusCode, res.body).toBe(200);
    return json(res);
  };
  const ids = (list: { id: string }[]) => list.map((c) => c.id);

  it('nothing comes during the pause, and the cards come back a week later, not all at once', async () => {
    const { a } = h.world;
    const { learner, early, late } = await learnerWithCards();
    await created(learner, a, { startsOn: '2026-03-03', endsOn: '2026-03-09' });

    // Monday 2 March, the day before: Today says what is coming.
    h.clock.set('2026-03-02T10:00:00Z');
    let t = await today(learner);
    expect(t.pausedUntil).toBeNull();
    expect(t.nextPause).toEqual({ startsOn: '2026-03-03', endsOn: '2026-03-09' });

    // Wednesday 4 March, on holiday: "early" would have been due today.
    h.clock.set('2026-03-04T10:00:00Z');
    t = await today(learner);
    expect(t.pausedUntil).toBe('2026-03-09');
    expect(t.nextPause).toBeNull();
    expect(t.refreshers).toEqual([]);
    expect(t.dueCount).toBe(0);
    // Each card seven days later (the pause's length): "early" on Wednesday 11 March.
    expect(t.nextDueAt).toBe('2026-03-11T09:00:00.000Z');

    // Back on Tuesday 10 March: without the pause, both cards would be due at once.
    h.clock.set('2026-03-10T08:00:00Z');
    t = await today(learner);
    expect(t.pausedUntil).toBeNull();
    expect(t.refreshers).toEqual([]);
    h.clock.set('2026-03-11T08:00:00Z');
    expect(ids((await today(learner)).refreshers)).toEqual([early]);
    h.clock.set('2026-03-17T08:00:00Z');
    expect(ids((await today(learner)).refreshers)).toEqual([early, late]);

    // The stored memory is FSRS's own (its review log still replays to it): the shift is read.
    const stored = await h.db
      .select({ due: cardStates.due })
      .from(cardStates)
      .where(and(eq(cardStates.userId, learner.id), eq(cardStates.cardId, early)));
    expect(stored[0]!.due.toISOString()).toBe('2026-03-04T09:00:00.000Z');
  });

  it('my modules show the next refresher after the pause', async () => {
    const { a } = h.world;
    const { learner, module } = await learnerWithCards();
    await created(learner, a, { startsOn: '2026-03-03', endsOn: '2026-03-09' });
    const res = await learner.inject({ method: 'GET', url: `/api/orgs/${a.id}/me/modules` });
    expect(json(res).items).toEqual([
      expect.objectContaining({ moduleId: module.id, nextDueAt: '2026-03-11T09:00:00.000Z' }),
    ]);
  });

  it('a card answered during the pause is not pushed back: the learner chose to go on', async () => {
    const { a } = h.world;
    const { learner, other } = await learnerWithCards();
    await created(learner, a, { startsOn: '2026-03-02', endsOn: '2026-03-09' });
    h.clock.set('2026-03-03T09:00:00Z');
    const res = await learner.inject({
      method: 'POST',
      url: `/api/orgs/${a.id}/reviews`,
      payload: {
        id: randomUUID(),
        cardId: other,
        answer: { kind: 'truefalse', value: true },
        durationMs: 8000,
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    const { due } = json(res) as { due: string };
    // After the pause, it is due on the day FSRS said, not a week later.
    h.clock.set('2026-03-10T08:00:00Z');
    const t = await today(learner);
    expect(t.pausedUntil).toBeNull();
    expect(due < '2026-03-10').toBe(true);
    expect(ids(t.refreshers)).toEqual([other]);
  });
});
