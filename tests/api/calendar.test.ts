import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { reviewLogs } from '../../server/db/schema';
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
import { learningFixtures, rightAnswer } from '../helpers/learning';

const h = await createHarness();
/** Monday 2 March 2026, 10:00 in Paris (the organisations' time zone). */
const NOW = '2026-03-02T09:00:00Z';
const url = (org: OrgFixture, rest = '') => `/api/orgs/${org.id}/calendar${rest}`;
const france = { country: 'FR', region: null, workingWeekdays: [1, 2, 3, 4, 5] };

beforeEach(() => h.clock.set(NOW));

async function addClosure(org: OrgFixture, body: object) {
  const res = await org.users.admin.inject({
    method: 'POST',
    url: url(org, '/closures'),
    payload: body,
  });
  expect(res.statusCode, res.body).toBe(201);
  return json(res) as { id: string; startsOn: string; endsOn: string; label: string };
}

async function daysOff(org: OrgFixture, query: string) {
  const res = await org.users.learner.inject({ method: 'GET', url: url(org, `/days${query}`) });
  expect(res.statusCode, res.body).toBe(200);
  return json(res) as {
    from: string;
    to: string;
    workingWeekdays: number[];
    days: { date: string; reason: { kind: string; name?: string; label?: string } }[];
  };
}

describe('the calendar routes: who may', () => {
  it('every member reads the settings', async () => {
    await checkRoute(h, {
      request: (org) => ({ method: 'GET', url: url(org) }),
      allow: ALL_ROLES,
      status: 200,
    });
  });

  it('admins set them', async () => {
    await checkRoute(h, {
      request: (org) => ({ method: 'PUT', url: url(org), payload: france }),
      allow: ['admin'],
      status: 200,
      badInput: (org) => ({
        method: 'PUT',
        url: url(org),
        payload: { ...france, workingWeekdays: [0, 8] },
      }),
    });
  });

  it('every member reads the days off', async () => {
    await checkRoute(h, {
      request: (org) => ({ method: 'GET', url: url(org, '/days?months=1') }),
      allow: ALL_ROLES,
      status: 200,
      badInput: (org) => ({ method: 'GET', url: url(org, '/days?months=99') }),
    });
  });

  it('admins add closures', async () => {
    await checkRoute(h, {
      request: (org) => ({
        method: 'POST',
        url: url(org, '/closures'),
        payload: { startsOn: '2026-12-24', label: 'Réveillon' },
      }),
      allow: ['admin'],
      status: 201,
      badInput: (org) => ({
        method: 'POST',
        url: url(org, '/closures'),
        payload: { startsOn: '2026-08-10', endsOn: '2026-08-01', label: 'Backwards' },
      }),
    });
  });

  it('admins remove closures; another organisation’s is 404', async () => {
    await checkRoute(h, {
      request: async (org, owner) => {
        const closure = await addClosure(owner, { startsOn: '2026-11-02', label: 'Pont' });
        return { method: 'DELETE', url: url(org, `/closures/${closure.id}`) };
      },
      allow: ['admin'],
      status: 204,
      objectInPath: true,
      badInput: (org) => ({ method: 'DELETE', url: url(org, '/closures/nope') }),
    });
  });

  it('any signed-in person lists the countries; nobody signed out', async () => {
    const res = await h.world.b.users.learner.inject({
      method: 'GET',
      url: '/api/calendar/countries?locale=fr',
    });
    expect(res.statusCode, res.body).toBe(200);
    const { items } = json(res) as { items: { code: string; name: string; regions: object[] }[] };
    expect(items.find((c) => c.code === 'FR')?.name).toBe('France');
    expect(items.find((c) => c.code === 'DE')).toMatchObject({
      name: 'Allemagne',
      regions: expect.arrayContaining([{ code: 'BY', name: expect.any(String) }]),
    });
    expectError(await h.anon.inject({ method: 'GET', url: '/api/calendar/countries' }), 401);
    expectError(
      await h.world.a.users.admin.inject({
        method: 'GET',
        url: '/api/calendar/countries?locale=de',
      }),
      400,
      'VALIDATION_FAILED',
    );
  });
});

describe('the calendar', () => {
  it('starts as France, Monday to Friday, in the organisation’s zone', async () => {
    const res = await h.world.b.users.learner.inject({ method: 'GET', url: url(h.world.b) });
    expect(json(res)).toMatchObject({ ...france, timeZone: 'Europe/Paris' });
  });

  it('lists public holidays, week ends and closures with their names', async () => {
    const { a } = h.world;
    await addClosure(a, { startsOn: '2026-07-27', endsOn: '2026-08-07', label: 'Fermeture' });
    const res = await daysOff(a, '?from=2026-04-30&months=1&locale=fr');
    expect(res).toMatchObject({ from: '2026-04-30', to: '2026-05-29' });
    expect(res.days.slice(0, 3)).toEqual([
      { date: '2026-05-01', reason: { kind: 'holiday', name: 'Fête du travail' } },
      { date: '2026-05-02', reason: { kind: 'weekend' } },
      { date: '2026-05-03', reason: { kind: 'weekend' } },
    ]);
    // A closure across a month end; holiday names in the caller's language by default.
    const summer = await daysOff(a, '?from=2026-07-14&months=1');
    expect(summer.days[0]).toEqual({
      date: '2026-07-14',
      reason: { kind: 'holiday', name: 'Bastille Day' },
    });
    const closed = summer.days.filter((d) => d.reason.kind === 'closure').map((d) => d.date);
    // The week end inside the closure is named as the closure.
    expect(closed).toEqual([
      ...['2026-07-27', '2026-07-28', '2026-07-29', '2026-07-30', '2026-07-31', '2026-08-01'],
      ...['2026-08-02', '2026-08-03', '2026-08-04', '2026-08-05', '2026-08-06', '2026-08-07'],
    ]);
    // Twelve months from today by default.
    expect(await daysOff(a, '')).toMatchObject({ from: '2026-03-02', to: '2027-03-01' });
  });

  it('an admin moves the organisation to Bavaria with a Tuesday–Saturday week', async () => {
    const { b } = h.world;
    const res = await b.users.admin.inject({
      method: 'PUT',
      url: url(b),
      payload: { country: 'de', region: 'by', workingWeekdays: [6, 2, 3, 4, 5] },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(json(res)).toMatchObject({
      country: 'DE',
      region: 'BY',
      workingWeekdays: [2, 3, 4, 5, 6],
    });
    const june = await daysOff(b, '?from=2026-06-01&months=1');
    expect(june.workingWeekdays).toEqual([2, 3, 4, 5, 6]);
    // Corpus Christi (Thursday 4 June) is a Bavarian holiday; Sundays and Mondays are off.
    expect(june.days.slice(0, 3)).toEqual([
      { date: '2026-06-01', reason: { kind: 'weekend' } },
      { date: '2026-06-04', reason: { kind: 'holiday', name: 'Corpus Christi' } },
      { date: '2026-06-07', reason: { kind: 'weekend' } },
    ]);
    await b.users.admin.inject({ method: 'PUT', url: url(b), payload: france });
  });

  it('refuses unknown countries and regions, and a week without working days', async () => {
    const admin = h.world.a.users.admin;
    const put = (payload: object) => admin.inject({ method: 'PUT', url: url(h.world.a), payload });
    const cases: [object, string][] = [
      [{ ...france, country: 'ZZ' }, 'body.country'],
      [{ ...france, region: 'XX' }, 'body.region'],
      [{ ...france, workingWeekdays: [] }, 'body.workingWeekdays'],
      [{ ...france, workingWeekdays: [1, 1] }, 'body.workingWeekdays'],
    ];
    for (const [payload, path] of cases) {
      expect(issuePaths(expectError(await put(payload), 400, 'VALIDATION_FAILED'))).toContain(path);
    }
  });

  it('closures: one day or a range, at most a year, listed until they are over', async () => {
    const { b } = h.world;
    const one = await addClosure(b, { startsOn: '2026-05-15', label: 'Pont de l’Ascension' });
    expect(one).toMatchObject({ startsOn: '2026-05-15', endsOn: '2026-05-15' });
    const past = await addClosure(b, { startsOn: '2026-01-02', label: 'Over' });
    const tooLong = await b.users.admin.inject({
      method: 'POST',
      url: url(b, '/closures'),
      payload: { startsOn: '2026-01-01', endsOn: '2027-06-01', label: 'Forever' },
    });
    expect(issuePaths(expectError(tooLong, 400))).toContain('body.endsOn');
    const listed = json(await b.users.learner.inject({ method: 'GET', url: url(b) })).closures;
    const ids = listed.map((c: { id: string }) => c.id);
    expect(ids).toContain(one.id);
    expect(ids).not.toContain(past.id);
    const gone = await b.users.admin.inject({
      method: 'DELETE',
      url: url(b, `/closures/${one.id}`),
    });
    expect(gone.statusCode).toBe(204);
    const again = await b.users.admin.inject({
      method: 'DELETE',
      url: url(b, `/closures/${one.id}`),
    });
    expectError(again, 404, 'NOT_FOUND');
  });

  it('the next uses of a process follow the calendar', async () => {
    const { a } = h.world;
    const author = a.users.trainer;
    const tool = json(
      await author.inject({
        method: 'POST',
        url: `/api/orgs/${a.id}/tools`,
        payload: { name: 'ERP' },
      }),
    );
    const process = json(
      await author.inject({
        method: 'POST',
        url: `/api/orgs/${a.id}/tools/${tool.id}/processes`,
        payload: {
          name: 'Ouverture du mois',
          nextUse: { kind: 'rule', rule: 'first-working-day-of-month' },
        },
      }),
    );
    const res = await author.inject({
      method: 'GET',
      url: `/api/orgs/${a.id}/processes/${process.id}/next-uses?from=2026-04-15&count=2`,
    });
    // From 15 April: 1 May 2026 is a holiday on a Friday, so May opens on Monday 4.
    expect(json(res)).toEqual({ dates: ['2026-05-04', '2026-06-01'] });
  });
});

describe('an answer’s anchored refresher reads the organisation’s calendar', () => {
  it('a closure in the days before the use moves its refresher earlier', async () => {
    const { a } = h.world;
    const l = learningFixtures(h);
    const tool = await l.freshTool(a);
    const processRes = await a.users.trainer.inject({
      method: 'POST',
      url: `/api/orgs/${a.id}/tools/${tool.id}/processes`,
      payload: {
        name: 'Month opening',
        nextUse: { kind: 'rule', rule: 'first-working-day-of-month' },
      },
    });
    expect(processRes.statusCode, processRes.body).toBe(201);
    const module = await l.publishedModule(a, { toolId: tool.id, processId: json(processRes).id });
    const lesson = await a.users.trainer.inject({
      method: 'GET',
      url: `/api/orgs/${a.id}/lessons/${module.lessons[0]!.id}`,
    });
    const [card] = json(lesson).cards;
    const answer = async (learner: UserFixture) => {
      const res = await learner.inject({
        method: 'POST',
        url: `/api/orgs/${a.id}/reviews`,
        payload: rightAnswer(card, card.effectiveExpectedSeconds * 1000),
      });
      expect(res.statusCode, res.body).toBe(200);
      return json(res) as { due: string; scheduledDays: number };
    };

    // Monday 16 March 2026, 09:00 in Paris; new people, signed in now.
    h.clock.set('2026-03-16T08:00:00Z');
    const trainer = await h.addUser(a.id, ['trainer']);
    const admin = await h.addUser(a.id, ['admin']);
    const [open, closed] = [await h.addUser(a.id, ['learner']), await h.addUser(a.id, ['learner'])];
    await l.assign(a, module.id, [open.id, closed.id], {}, trainer);

    // April opens on Wednesday 1, long before FSRS's due date, and a new memory's recall would
    // be under the target that day: the refresher comes two working days before, Monday 30.
    expect(await answer(open)).toMatchObject({
      due: '2026-03-30T08:00:00.000Z',
      scheduledDays: 14,
    });

    // Closed from Friday 27 to Tuesday 31 March: two working days before 1 April are now
    // Wednesday 25 and Thursday 26, so the refresher comes on Wednesday 25, with FSRS's months
    // in the log's `due`.
    const closure = json(
      await admin.inject({
        method: 'POST',
        url: url(a, '/closures'),
        payload: { startsOn: '2026-03-27', endsOn: '2026-03-31', label: 'Inventaire' },
      }),
    );
    expect(await answer(closed)).toMatchObject({
      due: '2026-03-25T08:00:00.000Z',
      scheduledDays: 9,
    });
    const [log] = await h.db.select().from(reviewLogs).where(eq(reviewLogs.userId, closed.id));
    expect(log!.due.getTime()).toBeGreaterThan(new Date('2026-06-01').getTime());
    expect(log!.anchoredDue!.toISOString()).toBe('2026-03-25T08:00:00.000Z');
    await admin.inject({ method: 'DELETE', url: url(a, `/closures/${closure.id}`) });
  });
});
