import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { cardStates, orgClosures, reviewLogs } from '../../server/db/schema';
import { createScheduler } from '../../server/srs/fsrs';
import { auditCards } from '../helpers/card-audit';
import { createHarness, json, type OrgFixture, type UserFixture } from '../helpers/harness';
import { learningFixtures, sampleSingle } from '../helpers/learning';

/*
 * Answers whose scheduler's due date falls on a day off of the organisation (France, Europe/
 * Paris: weekends, public holidays, its closures) come back on the working day before it, or
 * after it when the one before is the answer's own day (server/srs/working-days.ts). Every
 * answer here is a card's first: FSRS-6's defaults give 3 days when right in the expected time,
 * 8 when fast (Easy), 1 when wrong.
 */

const h = await createHarness();
const f = learningFixtures(h);
const CARDS = 10;

interface Card {
  id: string;
  options: { id: string; correct: boolean }[];
  effectiveExpectedSeconds: number;
}

let org: OrgFixture;
let learner: UserFixture;
let cards: Card[];
let used = 0;

beforeAll(async () => {
  org = h.world.a;
  learner = await h.addUser(org.id, ['learner'], 'Iris');
  const module = await f.publishedModule(org, { title: 'Working days' }, [
    { cards: Array.from({ length: CARDS }, () => sampleSingle) },
  ]);
  await f.assign(org, module.id, [learner.id]);
  cards = (await f.getLesson(org, module.lessons[0]!.id)).cards;
});

type How = 'right' | 'fast' | 'wrong';

/** A first answer to a fresh card at `at`: the answer's result, its log row and the card state. */
async function firstAnswer(at: string, how: How = 'right') {
  const card = cards[used++]!;
  h.clock.set(at);
  // Weeks pass between answers: a fresh session, as the learner would sign in again.
  learner.token = await h.signIn(learner.id);
  const option = card.options.find((o) => o.correct === (how !== 'wrong'))!;
  const seconds = card.effectiveExpectedSeconds * (how === 'fast' ? 0.3 : 1);
  const res = await learner.inject({
    method: 'POST',
    url: `/api/orgs/${org.id}/reviews`,
    payload: {
      id: randomUUID(),
      cardId: card.id,
      answer: { kind: 'single', optionId: option.id },
      durationMs: Math.round(seconds * 1000),
    },
  });
  expect(res.statusCode, res.body).toBe(200);
  const where = and(eq(reviewLogs.userId, learner.id), eq(reviewLogs.cardId, card.id));
  const [log] = await h.db.select().from(reviewLogs).where(where);
  const [state] = await h.db
    .select()
    .from(cardStates)
    .where(and(eq(cardStates.userId, learner.id), eq(cardStates.cardId, card.id)));
  const body = json(res);
  return {
    due: body.due as string,
    scheduledDays: body.scheduledDays as number,
    schedulers: log!.due.toISOString(),
    logged: log!.anchoredDue?.toISOString() ?? null,
    state: state!.due.toISOString(),
  };
}

describe('an answer’s due date on a working day', () => {
  it('a weekend: the Friday before, or Monday when answered on Friday', async () => {
    // Wednesday 4 March 2026, 10:00 in Paris: FSRS says Saturday 7, the card comes Friday 6.
    expect(await firstAnswer('2026-03-04T09:00:00Z')).toEqual({
      due: '2026-03-06T09:00:00.000Z',
      scheduledDays: 2,
      schedulers: '2026-03-07T09:00:00.000Z',
      logged: '2026-03-06T09:00:00.000Z',
      state: '2026-03-06T09:00:00.000Z',
    });
    // Thursday 5: FSRS says Sunday 8, the card comes Friday 6.
    expect(await firstAnswer('2026-03-05T09:00:00Z')).toMatchObject({
      due: '2026-03-06T09:00:00.000Z',
      scheduledDays: 1,
      schedulers: '2026-03-08T09:00:00.000Z',
    });
    // Friday 6, wrong: FSRS says Saturday 7; Friday is today, so Monday 9.
    expect(await firstAnswer('2026-03-06T09:00:00Z', 'wrong')).toMatchObject({
      due: '2026-03-09T09:00:00.000Z',
      scheduledDays: 3,
      schedulers: '2026-03-07T09:00:00.000Z',
    });
    // Friday 6, fast: FSRS says Saturday 14, the card comes Friday 13.
    expect(await firstAnswer('2026-03-06T09:00:00Z', 'fast')).toMatchObject({
      due: '2026-03-13T09:00:00.000Z',
      scheduledDays: 7,
      schedulers: '2026-03-14T09:00:00.000Z',
    });
  });

  it('a working day stays as the scheduler said, and nothing is logged as moved', async () => {
    // Friday 6 March: FSRS says Monday 9.
    expect(await firstAnswer('2026-03-06T09:00:00Z')).toEqual({
      due: '2026-03-09T09:00:00.000Z',
      scheduledDays: 3,
      schedulers: '2026-03-09T09:00:00.000Z',
      logged: null,
      state: '2026-03-09T09:00:00.000Z',
    });
  });

  it('a public holiday: May Day 2026, a Friday', async () => {
    // Tuesday 28 April, 10:00 summer time: FSRS says Friday 1 May, the card comes Thursday 30.
    expect(await firstAnswer('2026-04-28T08:00:00Z')).toMatchObject({
      due: '2026-04-30T08:00:00.000Z',
      scheduledDays: 2,
      schedulers: '2026-05-01T08:00:00.000Z',
    });
    // Thursday 30 April: FSRS says Sunday 3 May; Friday is the holiday and Thursday today, so
    // Monday 4.
    expect(await firstAnswer('2026-04-30T08:00:00Z')).toMatchObject({
      due: '2026-05-04T08:00:00.000Z',
      scheduledDays: 4,
      schedulers: '2026-05-03T08:00:00.000Z',
    });
  });

  it('the hour of the day in Paris is kept across the change to summer time', async () => {
    // Thursday 26 March, 10:00 winter time: FSRS says Sunday 29 at 09:00Z, 11:00 summer time;
    // the card comes Friday 27 at 11:00 winter time.
    expect(await firstAnswer('2026-03-26T09:00:00Z')).toMatchObject({
      due: '2026-03-27T10:00:00.000Z',
      schedulers: '2026-03-29T09:00:00.000Z',
    });
  });

  it('the organisation’s own closures count as days off', async () => {
    await h.db
      .insert(orgClosures)
      .values({ orgId: org.id, startsOn: '2026-03-13', endsOn: '2026-03-13', label: 'Inventaire' });
    // Wednesday 11 March: FSRS says Saturday 14, Friday 13 is closed: Thursday 12.
    expect(await firstAnswer('2026-03-11T09:00:00Z')).toMatchObject({
      due: '2026-03-12T09:00:00.000Z',
      schedulers: '2026-03-14T09:00:00.000Z',
    });
  });

  it('every card state is still what a replay of its log gives, with no calendar', async () => {
    const audit = await auditCards(
      h.db,
      org.id,
      [learner.id],
      cards.map((c) => c.id),
      createScheduler({ fuzz: false }),
    );
    expect(audit).toEqual({ cards: used, offTheirLog: 0 });
  });
});
