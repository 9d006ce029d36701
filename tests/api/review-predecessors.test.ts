import { randomUUID } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { cardStates, publishedCards, reviewLogs } from '../../server/db/schema';
import { daysBetweenSql, recallSql } from '../../server/dashboards/sql/fsrs';
import { rowsOf } from '../../server/db/rows';
import { MATURE_DAYS } from '../../server/dashboards/true-retention/repository';
import * as toolRepo from '../../server/tools/repository';
import { DEFAULT_DECAY } from '../../shared/learning';
import { DAY, HOUR } from '../helpers/clock';
import { createHarness, json, type OrgFixture, type UserFixture } from '../helpers/harness';
import { learningFixtures } from '../helpers/learning';
import { sampleCards } from '../helpers/modules';

/*
 * Each review log row carries its predecessor (prev_reviewed_at, prev_stability,
 * prev_scheduled_days): what lag() over the learner's log of the card gives. True retention
 * reads it instead of sorting the log, so every way an answer is recorded must write it.
 */

const h = await createHarness();
const f = learningFixtures(h);
const START = '2026-03-02T09:00:00Z'; // a Monday
const at = (days: number) => new Date(new Date(START).getTime() + days * DAY).toISOString();
const tf = sampleCards.truefalse; // the right answer is `true`

const w = {} as {
  ann: UserFixture;
  bob: UserFixture;
  /** Module of a process used on 4 and 27 March: its refreshers are event-anchored. */
  closing: Awaited<ReturnType<typeof f.publishedModule>>;
  /** Module ann places herself out of. */
  crm: Awaited<ReturnType<typeof f.publishedModule>>;
};

/** One answer through the API, in the card's expected time (rated Good when right). */
async function answer(user: UserFixture, org: OrgFixture, cardId: string, right = true) {
  const [card] = await h.db
    .select({ seconds: publishedCards.effectiveExpectedSeconds })
    .from(publishedCards)
    .where(eq(publishedCards.cardId, cardId));
  const res = await user.inject({
    method: 'POST',
    url: `/api/orgs/${org.id}/reviews`,
    payload: {
      id: randomUUID(),
      cardId,
      answer: { kind: 'truefalse', value: right },
      durationMs: card!.seconds * 1000,
    },
  });
  expect(res.statusCode, res.body).toBe(200);
  return json(res);
}

/** Moves the clock; the learners sign in again, as they would weeks later. */
async function dayOf(days: number) {
  h.clock.set(at(days));
  for (const user of [w.ann, w.bob]) user.token = await h.signIn(user.id);
}

const logsOf = (userId: string, cardId: string) =>
  h.db
    .select()
    .from(reviewLogs)
    .where(and(eq(reviewLogs.userId, userId), eq(reviewLogs.cardId, cardId)))
    .orderBy(asc(reviewLogs.reviewedAt));

beforeAll(async () => {
  h.clock.set(START);
  const a = h.world.a;
  const tool = await toolRepo.insertTool(
    h.db,
    a.id,
    { name: 'Ledger', description: null },
    h.clock.now(),
  );
  const process = await toolRepo.insertProcess(
    h.db,
    a.id,
    tool.id,
    {
      name: 'Close',
      description: null,
      nextUse: { kind: 'dates', dates: ['2026-03-04', '2026-03-27'] },
    },
    h.clock.now(),
  );
  w.closing = await f.publishedModule(a, { toolId: tool.id, processId: process.id }, [
    { cards: [tf, tf] },
  ]);
  w.crm = await f.publishedModule(a, {}, [{ cards: [tf, tf] }, { cards: [tf] }]);
  w.ann = await h.addUser(a.id, ['learner'], 'Ann');
  w.bob = await h.addUser(a.id, ['learner'], 'Bob');
  await f.setMembership(a, w.ann.id, { teamId: a.team.id });
  for (const m of [w.closing, w.crm]) await f.assign(a, m.id, [w.ann.id, w.bob.id]);
});

describe('the predecessor of each logged answer', () => {
  it('is the previous answer in the log, through reviews, anchoring and placement', async () => {
    const a = h.world.a;
    const [close1, close2] = w.closing.lessons[0]!.cardIds as [string, string];
    const [crm1, crm2] = w.crm.lessons[0]!.cardIds as [string, string];
    const crm3 = w.crm.lessons[1]!.cardIds[0]!;

    // Monday: Ann learns the closing cards, the first one anchored before Wednesday's use.
    await answer(w.ann, a, close1);
    const [first] = await logsOf(w.ann.id, close1);
    expect(first!.anchoredDue!.toISOString()).toBe(at(1));
    expect(first!.scheduledDays).toBe(1);
    const [memory] = await h.db
      .select()
      .from(cardStates)
      .where(and(eq(cardStates.userId, w.ann.id), eq(cardStates.cardId, close1)));
    // The memory and the log keep the interval given, not the scheduler's.
    expect(memory!.scheduledDays).toBe(1);
    // Wrong, then right at the same instant (the log still orders them, a millisecond apart).
    await answer(w.ann, a, close2, false);
    await answer(w.ann, a, close2);
    await answer(w.bob, a, close1);
    // Ann answers a card of the CRM's second lesson (a lesson check left half done), then
    // places herself out of the whole module: that card takes the placement as its next review.
    await answer(w.ann, a, crm3);
    h.clock.advance(HOUR);
    const placing = [crm1, crm2, crm3].map((cardId) => ({
      id: randomUUID(),
      cardId,
      answer: { kind: 'truefalse', value: true },
      durationMs: 4000,
    }));
    const placed = await w.ann.inject({
      method: 'POST',
      url: `/api/orgs/${a.id}/me/modules/${w.crm.id}/placement`,
      payload: { answers: placing },
    });
    expect(placed.statusCode, placed.body).toBe(200);

    // Weeks of refreshers, right and wrong.
    const plan: [number, UserFixture, string, boolean][] = [
      [1, w.ann, close1, true],
      [1.5, w.bob, close1, false],
      [2.1, w.ann, close1, false],
      [3.2, w.ann, close1, true],
      [4, w.ann, crm1, true],
      [8, w.ann, close1, true],
      [9, w.bob, close1, true],
      [20, w.ann, crm3, false],
      [30, w.ann, close1, true],
      [31.5, w.ann, close1, false],
      [45, w.ann, crm1, true],
    ];
    for (const [day, user, cardId, right] of plan) {
      await dayOf(day);
      await answer(user, a, cardId, right);
    }

    const rows = rowsOf<Record<string, unknown>>(
      await h.db.execute(sql`
        select rl.prev_reviewed_at, rl.prev_stability, rl.prev_scheduled_days,
          lag(rl.reviewed_at) over w as lag_reviewed_at,
          lag(rl.stability) over w as lag_stability,
          lag(rl.scheduled_days) over w as lag_scheduled_days
        from review_logs rl
        where rl.org_id = ${a.id}::uuid
        window w as (partition by rl.user_id, rl.card_id order by rl.reviewed_at)`),
    );
    expect(rows).toHaveLength(5 + placing.length + plan.length);
    const time = (v: unknown) => (v === null ? null : new Date(v as string).getTime());
    const num = (v: unknown) => (v === null ? null : Number(v));
    for (const r of rows) {
      expect({
        reviewedAt: time(r.prev_reviewed_at),
        stability: num(r.prev_stability),
        scheduledDays: num(r.prev_scheduled_days),
      }).toEqual({
        reviewedAt: time(r.lag_reviewed_at),
        stability: num(r.lag_stability),
        scheduledDays: num(r.lag_scheduled_days),
      });
    }
    // First answers (five cards for Ann, one for Bob, placed cards included) have none.
    expect(rows.filter((r) => r.prev_reviewed_at === null)).toHaveLength(6);

    // After the anchored first answer: the day it was given, not the scheduler's months.
    const annClose1 = await logsOf(w.ann.id, close1);
    expect(first!.due.getTime() - first!.reviewedAt.getTime()).toBeGreaterThan(30 * 86_400_000);
    expect(annClose1[1]).toMatchObject({
      prevReviewedAt: first!.reviewedAt,
      prevStability: first!.stability,
      prevScheduledDays: 1,
    });
    // The placed card already in memory follows the lesson check's answer.
    const [checked, placedLog] = await logsOf(w.ann.id, crm3);
    expect(placedLog!.prevReviewedAt).toEqual(checked!.reviewedAt);
    expect((await logsOf(w.ann.id, crm1))[0]!.prevReviewedAt).toBeNull();
  });
});

describe('true retention over answers recorded through the API', () => {
  /** The statement true retention ran before the log kept predecessors: lag() over the log. */
  async function byLag(org: OrgFixture, period: string, teamId?: string) {
    const predicted = recallSql(
      daysBetweenSql(sql`a.prev_at`, sql`a.reviewed_at`),
      sql`a.prev_stability`,
      { decay: DEFAULT_DECAY },
    );
    const young = sql`a.prev_scheduled < ${MATURE_DAYS}`;
    const team = teamId ? sql`and ms.team_id = ${teamId}::uuid` : sql``;
    const rows = rowsOf<Record<string, unknown>>(
      await h.db.execute(sql`
        with answers as (
          select rl.reviewed_at, rl.rating, o.time_zone, lag(rl.reviewed_at) over w as prev_at,
            lag(rl.stability) over w as prev_stability,
            lag(rl.scheduled_days) over w as prev_scheduled
          from review_logs rl
          join organisations o on o.id = rl.org_id
          join memberships ms on ms.org_id = rl.org_id and ms.user_id = rl.user_id
            and ms.deactivated_at is null ${team}
          where rl.org_id = ${org.id}::uuid
          window w as (partition by rl.user_id, rl.card_id order by rl.reviewed_at)
        )
        select to_char(date_trunc(${period}, a.reviewed_at at time zone a.time_zone),
            'YYYY-MM-DD') as period_start,
          count(*) filter (where ${young})::int as young_reviews,
          count(*) filter (where ${young} and a.rating > 1)::int as young_passed,
          count(*) filter (where not ${young})::int as mature_reviews,
          count(*) filter (where not ${young} and a.rating > 1)::int as mature_passed,
          avg(${predicted}) as predicted
        from answers a
        where a.prev_at is not null and a.reviewed_at >= a.prev_at + interval '1 day'
        group by 1 order by 1`),
    );
    const count = (reviews: unknown, passed: unknown) =>
      expect.objectContaining({ reviews: Number(reviews), passed: Number(passed) });
    return rows.map((r) => ({
      periodStart: r.period_start,
      young: count(r.young_reviews, r.young_passed),
      mature: count(r.mature_reviews, r.mature_passed),
      all: count(
        Number(r.young_reviews) + Number(r.mature_reviews),
        Number(r.young_passed) + Number(r.mature_passed),
      ),
      predicted: expect.closeTo(Number(r.predicted), 12),
    }));
  }

  it('gives what lag() over the log gave, per period and for a team', async () => {
    const a = h.world.a;
    a.users.admin.token = await h.signIn(a.users.admin.id);
    for (const [period, teamId] of [
      ['month', undefined],
      ['week', undefined],
      ['week', a.team.id],
    ] as const) {
      const query = `?period=${period}${teamId ? `&teamId=${teamId}` : ''}`;
      const res = await a.users.admin.inject({
        method: 'GET',
        url: `/api/orgs/${a.id}/dashboards/true-retention${query}`,
      });
      expect(res.statusCode, res.body).toBe(200);
      const expected = await byLag(a, period, teamId);
      // Refreshers of both learners, young and mature, passed and failed.
      if (!teamId && period === 'month') {
        const rows = json(res).rows as Record<
          'young' | 'mature',
          { reviews: number; passed: number }
        >[];
        const total = (k: 'young' | 'mature', n: 'reviews' | 'passed') =>
          rows.reduce((sum, r) => sum + r[k][n], 0);
        expect(total('young', 'reviews')).toBeGreaterThan(total('young', 'passed'));
        expect(total('young', 'passed')).toBeGreaterThan(0);
        expect(total('mature', 'reviews')).toBeGreaterThan(0);
      }
      expect(json(res).rows).toEqual(expected);
    }
  });
});
