import { randomUUID } from 'node:crypto';
import { and, eq, isNotNull } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { MIN_ANSWERS_TO_FIT } from '../../shared/fsrs-weights';
import { DEFAULT_DECAY, retrievability } from '../../shared/learning';
import { cardStates, fsrsFits, reviewLogs } from '../../server/db/schema';
import { createScheduler } from '../../server/srs/fsrs';
import { DAY } from '../helpers/clock';
import { history, random } from '../helpers/forgetting';
import {
  checkRoute,
  createHarness,
  expectError,
  json,
  type OrgFixture,
  type UserFixture,
} from '../helpers/harness';
import { learningFixtures, rightAnswer } from '../helpers/learning';
import { moduleFixtures } from '../helpers/modules';

const h = await createHarness({
  config: { session: { idleMs: 365 * 86_400_000, absoluteMs: 365 * 86_400_000 } },
});
const f = learningFixtures(h);
const fx = moduleFixtures(h);
const NOW = new Date('2026-09-07T08:00:00Z'); // a Monday
const url = (org: OrgFixture, rest = '') => `/api/orgs/${org.id}/settings/learning/weights${rest}`;

/** What an admin or trainer reads. */
interface Status {
  inUseId: string | null;
  defaultDecay: number;
  answers: number;
  minAnswers: number;
  nextFitAfter: string | null;
  fitPending: boolean;
  fits: {
    id: string;
    fittedAt: string;
    answers: number;
    heldOutAnswers: number;
    logLossBefore: number;
    logLossAfter: number;
    rmseBefore: number;
    rmseAfter: number;
    better: boolean;
    inUse: boolean;
    decay: number;
    weights: number[];
  }[];
}

async function status(user: UserFixture, org: OrgFixture): Promise<Status> {
  const res = await user.inject({ method: 'GET', url: url(org) });
  expect(res.statusCode, res.body).toBe(200);
  return json(res);
}

async function drain() {
  await h.app.jobs.tick();
  while ((await h.app.jobs.runDue()) > 0);
}

/**
 * Six months of answers of 20 learners × 40 cards who forget faster than FSRS's defaults say,
 * written to the log (with each answer's predecessor) and to the learners' memories.
 */
async function forgetfulLog(org: OrgFixture) {
  const module = await f.publishedModule(org, { title: 'Old answers' });
  const next = random(11);
  const start = new Date(NOW.getTime() - 200 * DAY);
  const logs: (typeof reviewLogs.$inferInsert)[] = [];
  const states: (typeof cardStates.$inferInsert)[] = [];
  for (let l = 0; l < 20; l += 1) {
    const user = await h.addUser(org.id, ['learner'], `Forgetful ${l}`);
    for (let c = 0; c < 40; c += 1) {
      // Ids from the seeded generator: the fit holds out every fifth history in id order, so
      // that the same ones are held out on every run.
      const cardId = seededUuid(next);
      const answers = history(next, start);
      let prev: (typeof logs)[number] | null = null;
      for (const a of answers) {
        const row: (typeof logs)[number] = {
          id: randomUUID(),
          orgId: org.id,
          userId: user.id,
          cardId,
          moduleId: module.id,
          moduleVersion: 1,
          answer: { kind: 'truefalse' as const, value: a.rating > 1 },
          correct: a.rating > 1,
          rating: a.rating,
          durationMs: 4000,
          reviewedAt: a.at,
          requestRetention: 0.9,
          stateBefore: prev ? 2 : 0,
          elapsedDays: 0,
          stability: 3,
          difficulty: 5,
          scheduledDays: 3,
          due: new Date(a.at.getTime() + 3 * DAY),
          prevReviewedAt: prev?.reviewedAt ?? null,
          prevStability: prev ? 3 : null,
          prevScheduledDays: prev ? 3 : null,
        };
        logs.push(row);
        prev = row;
      }
      states.push({
        orgId: org.id,
        userId: user.id,
        cardId,
        moduleId: module.id,
        due: NOW,
        stability: 3,
        difficulty: 5,
        elapsedDays: 0,
        scheduledDays: 3,
        learningSteps: 0,
        reps: answers.length,
        lapses: 0,
        state: 2,
        lastReview: answers.at(-1)!.at,
        firstReview: answers[0]!.at,
      });
    }
  }
  for (let i = 0; i < logs.length; i += 1000) {
    await h.db.insert(reviewLogs).values(logs.slice(i, i + 1000));
  }
  for (let i = 0; i < states.length; i += 1000) {
    await h.db.insert(cardStates).values(states.slice(i, i + 1000));
  }
  return logs.filter((l) => l.prevReviewedAt).length;
}

/** A version-4-shaped uuid drawn from `next`. */
function seededUuid(next: () => number) {
  const hex = Array.from({ length: 32 }, () => Math.floor(next() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20)}`;
}

/** A learner's right answer, 20 s after reading, to the one card of a module assigned to them. */
async function answerOnce(org: OrgFixture, learner: UserFixture) {
  const module = await f.publishedModule(org, { title: `Answered ${randomUUID().slice(0, 6)}` });
  await f.assign(org, module.id, [learner.id]);
  const lesson = await fx.getLesson(org, module.lessons[0]!.id);
  const body = rightAnswer(lesson.cards[0], 20_000);
  const res = await learner.inject({
    method: 'POST',
    url: `/api/orgs/${org.id}/reviews`,
    payload: body,
  });
  expect(res.statusCode, res.body).toBe(200);
  const [log] = await h.db.select().from(reviewLogs).where(eq(reviewLogs.id, body.id));
  return { result: json(res) as { scheduledDays: number }, log: log! };
}

let refreshers = 0;

beforeAll(async () => {
  h.clock.set(NOW);
  refreshers = await forgetfulLog(h.world.a);
});

describe('the FSRS weights routes: who may', () => {
  it('trainers and admins read the fits', async () => {
    await checkRoute(h, {
      request: (org) => ({ method: 'GET', url: url(org) }),
      allow: ['admin', 'trainer'],
      status: 200,
    });
  });

  it('admins choose the weights in use', async () => {
    await checkRoute(h, {
      request: (org) => ({ method: 'PUT', url: url(org), payload: { fitId: null } }),
      allow: ['admin'],
      status: 200,
      badInput: (org) => ({ method: 'PUT', url: url(org), payload: { fitId: 'latest' } }),
    });
  });

  it('admins ask for a fit now', async () => {
    await checkRoute(h, {
      request: (org) => ({ method: 'POST', url: url(org, '/fits') }),
      allow: ['admin'],
      status: 202,
    });
  });
});

describe('an organisation’s own weights', () => {
  it('waits for enough refreshers: nothing to fit, and asking for a fit says why', async () => {
    const a = h.world.a;
    expect(refreshers).toBeGreaterThan(MIN_ANSWERS_TO_FIT);
    const ready = await status(a.users.trainer, a);
    expect(ready).toMatchObject({
      answers: MIN_ANSWERS_TO_FIT,
      fits: [],
      nextFitAfter: NOW.toISOString(),
      // An admin asked for one (the route check above): it waits for the runner.
      fitPending: true,
    });

    const b = h.world.b;
    const before = await status(b.users.admin, b);
    expect(before).toMatchObject({
      inUseId: null,
      defaultDecay: DEFAULT_DECAY,
      answers: 0,
      minAnswers: MIN_ANSWERS_TO_FIT,
      nextFitAfter: null,
      fits: [],
    });
    const asked = await b.users.admin.inject({ method: 'POST', url: url(b, '/fits') });
    expectError(asked, 409, 'CONFLICT');
    await drain();
    expect(await h.db.select().from(fsrsFits).where(eq(fsrsFits.orgId, b.id))).toEqual([]);
  });

  it('fits them, puts them in use when they predict better, and answers use them', async () => {
    const a = h.world.a;
    // The runner has run (above): the fit asked for, and the weekly one, which stood down.
    const after = await status(a.users.trainer, a);
    expect(after.fitPending).toBe(false);
    expect(after.fits).toHaveLength(1);
    const [fit] = after.fits;
    expect(fit).toMatchObject({ better: true, inUse: true, fittedAt: NOW.toISOString() });
    expect(after.inUseId).toBe(fit!.id);
    expect(fit!.answers + fit!.heldOutAnswers).toBeGreaterThan(MIN_ANSWERS_TO_FIT);
    expect(fit!.logLossAfter).toBeLessThan(fit!.logLossBefore);
    expect(fit!.weights).toHaveLength(21);
    expect(fit!.decay).toBe(fit!.weights[20]);
    expect(after.nextFitAfter).toBe(new Date(NOW.getTime() + 7 * DAY).toISOString());

    // The dashboards predict recall with them too: the overview's recall now is the mean of
    // R(t, S) over the learnt cards with the fit's decay, not the default's.
    const meanRecall = async (decay: number) => {
      const states = await h.db
        .select({ lastReview: cardStates.lastReview, stability: cardStates.stability })
        .from(cardStates)
        .where(and(eq(cardStates.orgId, a.id), isNotNull(cardStates.lastReview)));
      const days = (d: Date) => (NOW.getTime() - d.getTime()) / DAY;
      const sum = states.reduce(
        (n, c) => n + retrievability(days(c.lastReview!), c.stability, decay),
        0,
      );
      return sum / states.length;
    };
    const overview = await a.users.admin.inject({
      method: 'GET',
      url: `/api/orgs/${a.id}/dashboards/overview`,
    });
    expect(overview.statusCode, overview.body).toBe(200);
    const { recallNow } = json(overview) as { recallNow: number };
    expect(recallNow).toBeCloseTo(await meanRecall(fit!.decay), 9);
    // The fit's decay varies a little from run to run (the optimizer works on several threads),
    // but always enough for the two predictions to differ far beyond the precision above.
    expect(Math.abs(recallNow - (await meanRecall(DEFAULT_DECAY)))).toBeGreaterThan(1e-4);

    // A first right answer is scheduled with the fitted weights, and its log says so.
    const { result, log } = await answerOnce(a, a.users.learner);
    expect(log.fsrsFitId).toBe(fit!.id);
    const scheduler = createScheduler({ fuzz: false });
    const weights = { fitId: fit!.id, weights: fit!.weights };
    const fitted = scheduler.review(
      scheduler.newMemory(NOW),
      log.rating,
      log.reviewedAt,
      0.9,
      weights,
    );
    const defaults = scheduler.review(scheduler.newMemory(NOW), log.rating, log.reviewedAt, 0.9);
    expect(result.scheduledDays).toBe(fitted.scheduledDays);
    // The memory it leaves: these learners' first stability is lower than FSRS's default.
    expect(log.stability).toBe(fitted.stability);
    expect(fitted.stability).toBeLessThan(defaults.stability * 0.8);
    expect(scheduler.replay([{ ...log, weights, anchoredDue: null }])).toEqual(fitted.memory);

    // The learner's own figures follow the fit's curve too: two days on, the module's recall.
    h.clock.set(new Date(log.reviewedAt.getTime() + 2 * DAY));
    const modules = await a.users.learner.inject({
      method: 'GET',
      url: `/api/orgs/${a.id}/me/modules`,
    });
    expect(modules.statusCode, modules.body).toBe(200);
    const { items } = json(modules) as {
      items: { moduleId: string; recall: number | null }[];
    };
    const answered = items.find((m) => m.moduleId === log.moduleId);
    expect(answered?.recall).toBeCloseTo(retrievability(2, log.stability, fit!.decay), 9);
    expect(
      Math.abs(answered!.recall! - retrievability(2, log.stability, DEFAULT_DECAY)),
    ).toBeGreaterThan(1e-4);
    h.clock.set(NOW);
  });

  it('lets an admin go back to the defaults, and to the fit again; another organisation’s fit is 404', async () => {
    const a = h.world.a;
    const [fit] = (await status(a.users.admin, a)).fits;
    const toDefaults = await a.users.admin.inject({
      method: 'PUT',
      url: url(a),
      payload: { fitId: null },
    });
    expect(toDefaults.statusCode, toDefaults.body).toBe(200);
    expect(json(toDefaults)).toMatchObject({
      inUseId: null,
      fits: [{ id: fit!.id, inUse: false }],
    });
    expect((await answerOnce(a, a.users.learner)).log.fsrsFitId).toBeNull();

    const back = await a.users.admin.inject({
      method: 'PUT',
      url: url(a),
      payload: { fitId: fit!.id },
    });
    expect(json(back)).toMatchObject({ inUseId: fit!.id, fits: [{ id: fit!.id, inUse: true }] });
    const [row] = await h.db.select().from(fsrsFits).where(eq(fsrsFits.id, fit!.id));
    expect(row!.changedBy).toBe(a.users.admin.id);

    const b = h.world.b;
    const stranger = await b.users.admin.inject({
      method: 'PUT',
      url: url(b),
      payload: { fitId: fit!.id },
    });
    expectError(stranger, 404, 'NOT_FOUND');
    expect((await status(b.users.admin, b)).inUseId).toBeNull();
  });

  it('fits again a week later, not before, and puts the new fit in use only when it predicts better', async () => {
    const a = h.world.a;
    h.clock.set(new Date(NOW.getTime() + 6 * DAY));
    await drain();
    expect((await status(a.users.admin, a)).fits).toHaveLength(1);

    h.clock.set(new Date(NOW.getTime() + 7 * DAY + 6 * 3_600_000));
    await drain();
    const later = await status(a.users.admin, a);
    expect(later.fits).toHaveLength(2);
    const [newest, first] = later.fits;
    // Measured against the weights in use then (the first fit), put in use only if better.
    expect(newest!.better).toBe(newest!.logLossAfter < newest!.logLossBefore);
    expect(later.inUseId).toBe(newest!.better ? newest!.id : first!.id);
    expect(later.fits.filter((x) => x.inUse)).toHaveLength(1);
    expect(
      await h.db
        .select()
        .from(fsrsFits)
        .where(and(eq(fsrsFits.orgId, a.id), eq(fsrsFits.inUse, true))),
    ).toHaveLength(1);
  });
});
