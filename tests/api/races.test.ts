import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { and, eq, inArray, isNotNull, isNull, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assignments,
  cardStates,
  invitations,
  lessonProgress,
  memberships,
  organisations,
  refresherPauses,
  reminders,
  reviewLogs,
  users,
} from '../../server/db/schema';
import * as reviewRepo from '../../server/reviews/repository';
import { createScheduler } from '../../server/srs/fsrs';
import { memoryOf } from '../helpers/card-audit';
import { createHarness, json, type UserFixture } from '../helpers/harness';
import { learningFixtures } from '../helpers/learning';
import { sampleCards } from '../helpers/modules';
import { expectSameAnswer, fire, RaceTally, rowsIn, successes } from '../helpers/races';

/**
 * The same request, or requests that compete for one thing, fired many times at once: one
 * effect in the database, and to each caller either the same success or the documented refusal
 * in the one error shape, never a 5xx. Real races need PostgreSQL (a pool of connections); on
 * PGlite the statements run one at a time, and the same rules must hold. Each trial is run
 * several rounds, as a race that is lost once in a while is still a race.
 */
const ROUNDS = 5;
// Each test runs its rounds one after the other: more time than one request's worth, under load.
const rounds = { timeout: 90_000 };
const h = await createHarness({ config: { publicUrl: 'https://rappel.example.com' } });
/** A second instance on a database of its own, for the first-run set-up. */
const empty = await createHarness({ seed: false });
const f = learningFixtures(h);
const a = h.world.a;
const url = (rest: string) => `/api/orgs/${a.id}${rest}`;
const tf = sampleCards.truefalse; // the right answer is `true`
const START = h.clock.now();
const tally = new RaceTally();
afterAll(() => console.log(String(tally)));
const rows = (table: PgTable, where: SQL | undefined) => rowsIn(h.db, table, where);
const expectRows = (n: number, expected = 1) => tally.expectRows(n, expected);

let module: Awaited<ReturnType<typeof f.publishedModule>>;
const cardOf = () => module.lessons[0]!.cardIds[0]!;

/** A new learner of organisation A, in its team, with the module assigned. */
async function learner() {
  const user = await f.learner(a, `Learner ${randomUUID().slice(0, 8)}`, { teamId: a.team.id });
  await f.assign(a, module.id, [user.id]);
  return user;
}

const answer = (right = true, id = randomUUID()) => ({
  id,
  cardId: cardOf(),
  answer: { kind: 'truefalse', value: right },
  durationMs: 4000,
});

beforeAll(async () => {
  module = await f.publishedModule(a, {}, [{ cards: [tf] }, { cards: [tf, tf] }]);
});

describe('answers', rounds, () => {
  it('the same answer ×20: recorded once, the same result to each', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const user = await learner();
      const body = answer();
      const results = await fire(20, user, () => ({
        method: 'POST',
        url: url('/reviews'),
        payload: body,
      }));
      expectSameAnswer(results, 200);
      const mine = and(eq(reviewLogs.userId, user.id), eq(reviewLogs.cardId, cardOf()));
      expectRows(await rows(reviewLogs, mine));
      const [state] = await h.db.select().from(cardStates).where(eq(cardStates.userId, user.id));
      expect(state!.reps).toBe(1);
    }
  });

  it('one answer id from ten learners at once: one recorded, the others 409', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const learners = await Promise.all(Array.from({ length: 10 }, () => learner()));
      const body = answer();
      const results = await Promise.all(
        learners.map((user) =>
          user.inject({ method: 'POST', url: url('/reviews'), payload: body }),
        ),
      );
      expect(successes(results, 200, { 409: ['CONFLICT'] })).toHaveLength(1);
      expectRows(await rows(reviewLogs, eq(reviewLogs.id, body.id)));
    }
  });

  it('different answers to one card ×10: each recorded, the memory equal to its log', async () => {
    const scheduler = createScheduler({ fuzz: false });
    for (let round = 0; round < ROUNDS; round++) {
      const user = await learner();
      const results = await fire(10, user, (i) => ({
        method: 'POST',
        url: url('/reviews'),
        payload: answer(i % 3 !== 0),
      }));
      expect(successes(results, 200)).toHaveLength(10);
      const logs = await reviewRepo.listReviewLogs(h.db, a.id, user.id, cardOf());
      const [state] = await h.db.select().from(cardStates).where(eq(cardStates.userId, user.id));
      const memory = memoryOf(state!);
      const replayed = scheduler.replay(logs);
      // An answer acknowledged but missing from the log, or a memory its log does not lead to.
      if (logs.length < 10 || !isDeepStrictEqual(replayed, memory)) tally.lostWrites += 1;
      tally.expectRows(logs.length, 10);
      expect(new Set(logs.map((l) => l.reviewedAt.getTime())).size).toBe(10);
      expect(replayed).toEqual(memory);
      expect(memory.reps).toBe(10);
    }
  });

  it('a placement check sent ×5: its answers recorded once, its lessons known', async () => {
    const [first, second] = module.lessons;
    for (let round = 0; round < ROUNDS; round++) {
      const user = await learner();
      const cardIds = [...first!.cardIds, ...second!.cardIds];
      const payload = {
        answers: cardIds.map((cardId) => ({ ...answer(), cardId })),
      };
      const results = await fire(5, user, () => ({
        method: 'POST',
        url: url(`/me/modules/${module.id}/placement`),
        payload,
      }));
      expectSameAnswer(results, 200);
      expect(json(results[0]!).known).toHaveLength(2);
      expectRows(await rows(reviewLogs, eq(reviewLogs.userId, user.id)), cardIds.length);
      const states = await h.db.select().from(cardStates).where(eq(cardStates.userId, user.id));
      expect(states.map((s) => s.reps)).toEqual(cardIds.map(() => 1));
      const known = and(eq(lessonProgress.userId, user.id), isNotNull(lessonProgress.knownAt));
      expectRows(await rows(lessonProgress, known), 2);
    }
  });

  it('a placement check from two tabs ×5 (their own answer ids): each card learnt once', async () => {
    const [first, second] = module.lessons;
    const cardIds = [...first!.cardIds, ...second!.cardIds];
    for (let round = 0; round < ROUNDS; round++) {
      const user = await learner();
      const results = await fire(5, user, () => ({
        method: 'POST',
        url: url(`/me/modules/${module.id}/placement`),
        payload: { answers: cardIds.map((cardId) => ({ ...answer(), cardId })) },
      }));
      expectSameAnswer(results, 200);
      expectRows(await rows(reviewLogs, eq(reviewLogs.userId, user.id)), cardIds.length);
      const states = await h.db.select().from(cardStates).where(eq(cardStates.userId, user.id));
      expect(states.map((s) => s.reps)).toEqual(cardIds.map(() => 1));
    }
  });

  it('lesson progress PUT ×10: one row, the same answer to each', async () => {
    const lessonId = module.lessons[0]!.id;
    for (let round = 0; round < ROUNDS; round++) {
      const user = await learner();
      const results = await fire(10, user, () => ({
        method: 'PUT',
        url: url(`/me/lessons/${lessonId}/progress`),
        payload: { position: 1, completed: true },
      }));
      expectSameAnswer(results, 200);
      expect(json(results[0]!).completedAt).toBe(h.clock.now().toISOString());
      expectRows(await rows(lessonProgress, eq(lessonProgress.userId, user.id)));
    }
  });
});

describe('people', rounds, () => {
  it('one module assigned by hand to one learner ×10: one assignment, the same answer', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const user = await f.learner(a, `Assigned ${round}`);
      const results = await fire(10, a.users.trainer, () => ({
        method: 'POST',
        url: url('/assignments'),
        payload: { moduleId: module.id, userIds: [user.id] },
      }));
      expectSameAnswer(results, 201);
      expectRows(await rows(assignments, eq(assignments.userId, user.id)));
    }
  });

  it('one module to four learners, named in other orders, ×10 at once: four assignments', async () => {
    // A deadlock between two of the ten is rarer than most races here: more rounds.
    for (let round = 0; round < 3 * ROUNDS; round++) {
      const ids: string[] = [];
      for (let n = 0; n < 4; n++) ids.push((await f.learner(a, `Group ${round}.${n}`)).id);
      // Each request names them in another order: rotated, and reversed every other time.
      const order = (i: number) => {
        const rotated = [...ids.slice(i % 4), ...ids.slice(0, i % 4)];
        return i % 2 ? rotated.reverse() : rotated;
      };
      const results = await fire(10, a.users.trainer, (i) => ({
        method: 'POST',
        url: url('/assignments'),
        payload: { moduleId: module.id, userIds: order(i) },
      }));
      expect(successes(results, 201)).toHaveLength(10);
      const theirs = and(eq(assignments.moduleId, module.id), inArray(assignments.userId, ids));
      expectRows(await rows(assignments, theirs), 4);
    }
  });

  it('one assignment removed ×10: removed once, the others 404', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const user = await f.learner(a, `Removed ${round}`);
      const [made] = await f.assign(a, module.id, [user.id]);
      const results = await fire(10, a.users.trainer, () => ({
        method: 'DELETE',
        url: url(`/assignments/${made!.id}`),
      }));
      expect(successes(results, 204, { 404: ['NOT_FOUND'] })).toHaveLength(1);
      expectRows(await rows(assignments, eq(assignments.userId, user.id)), 0);
    }
  });

  it('reminders to one learner ×10 from two people: one a day, the others 409', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const user = await learner();
      const senders: UserFixture[] = [a.users.admin, a.users.trainer];
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          senders[i % 2]!.inject({
            method: 'POST',
            url: url(`/dashboards/learners/${user.id}/reminders`),
          }),
        ),
      );
      expect(successes(results, 201, { 409: ['CONFLICT'] })).toHaveLength(1);
      expectRows(await rows(reminders, eq(reminders.userId, user.id)));
    }
  });

  it('overlapping pauses for one learner ×10, by them and an admin: one, the others 409', async () => {
    const day = (n: number) => `2026-04-${String(n).padStart(2, '0')}`;
    for (let round = 0; round < ROUNDS; round++) {
      const user = await learner();
      // Every span holds 10–20 April: any two overlap.
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          (i % 2 ? a.users.admin : user).inject({
            method: 'POST',
            url: url('/pauses'),
            payload: { userId: user.id, startsOn: day(1 + (i % 5)), endsOn: day(20 + i) },
          }),
        ),
      );
      expect(successes(results, 201, { 409: ['CONFLICT'] })).toHaveLength(1);
      expectRows(await rows(refresherPauses, eq(refresherPauses.userId, user.id)));
    }
  });
  it('one upcoming pause cancelled ×10: cancelled once, the others 404', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const user = await learner();
      const made = await user.inject({
        method: 'POST',
        url: url('/pauses'),
        payload: { startsOn: '2026-05-04', endsOn: '2026-05-08' },
      });
      expect(made.statusCode, made.body).toBe(201);
      const results = await fire(10, user, () => ({
        method: 'DELETE',
        url: url(`/pauses/${json(made).id}`),
      }));
      expect(successes(results, 204, { 404: ['NOT_FOUND'] })).toHaveLength(1);
      expectRows(await rows(refresherPauses, eq(refresherPauses.userId, user.id)), 0);
    }
  });

  it('one active pause ended ×10: ended once (yesterday), the others 409 as it is over', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const user = await learner();
      const made = await user.inject({
        method: 'POST',
        url: url('/pauses'),
        payload: { startsOn: '2026-03-03', endsOn: '2026-03-20' },
      });
      expect(made.statusCode, made.body).toBe(201);
      h.clock.set('2026-03-05T09:00:00Z');
      try {
        const results = await fire(10, user, () => ({
          method: 'DELETE',
          url: url(`/pauses/${json(made).id}`),
        }));
        expect(successes(results, 204, { 409: ['CONFLICT'] })).toHaveLength(1);
      } finally {
        h.clock.set(START);
      }
      const [left] = await h.db
        .select()
        .from(refresherPauses)
        .where(eq(refresherPauses.userId, user.id));
      expect(left!.endsOn).toBe('2026-03-04');
    }
  });

  it('one reminder dismissed ×10: dismissed once, the same answer to each', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const user = await learner();
      const sent = await a.users.admin.inject({
        method: 'POST',
        url: url(`/dashboards/learners/${user.id}/reminders`),
      });
      expect(sent.statusCode, sent.body).toBe(201);
      const results = await fire(10, user, () => ({
        method: 'POST',
        url: url(`/me/reminders/${json(sent).id}/dismiss`),
      }));
      expectSameAnswer(results, 204);
      const open = and(eq(reminders.userId, user.id), isNull(reminders.dismissedAt));
      expectRows(await rows(reminders, open), 0);
    }
  });
});

describe('invitations', rounds, () => {
  const pending = (email: string) =>
    and(
      eq(invitations.email, email),
      isNull(invitations.acceptedAt),
      isNull(invitations.revokedAt),
    );

  it('one address invited ×10: one pending invitation, whose link alone works', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const email = `raced${round}-${randomUUID().slice(0, 8)}@example.test`;
      const results = await fire(10, a.users.admin, () => ({
        method: 'POST',
        url: url('/invitations'),
        payload: { email },
      }));
      const created = successes(results, 201, { 409: ['CONFLICT'] });
      expect(created.length).toBeGreaterThan(0);
      expectRows(await rows(invitations, pending(email)));
      const previews = await Promise.all(
        created.map((r) =>
          h.anon.inject({
            method: 'GET',
            url: `/api/invitations/${json(r).link.split('/invite/')[1]}`,
            remoteAddress: `10.200.${round}.${created.indexOf(r)}`,
          }),
        ),
      );
      expect(successes(previews, 200, { 404: ['INVITATION_INVALID'] })).toHaveLength(1);
    }
  });

  it('one invitation accepted ×10: one account, one membership; the others 404 or 409', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const email = `joiner${round}-${randomUUID().slice(0, 8)}@example.test`;
      const res = await a.users.admin.inject({
        method: 'POST',
        url: url('/invitations'),
        payload: { email },
      });
      expect(res.statusCode, res.body).toBe(201);
      const token = json(res).link.split('/invite/')[1];
      const results = await fire(10, h.anon, () => ({
        method: 'POST',
        url: `/api/invitations/${token}/accept`,
        payload: { password: 'a brand new password' },
      }));
      // A loser that reads the address after the winner made its account is a caller signed
      // out for an address with an account: the documented 409 SIGN_IN_REQUIRED.
      const refusals = {
        404: ['INVITATION_INVALID'],
        409: ['ALREADY_MEMBER', 'CONFLICT', 'SIGN_IN_REQUIRED'],
      };
      expect(successes(results, 200, refusals)).toHaveLength(1);
      const [user] = await h.db.select().from(users).where(eq(users.email, email));
      expectRows(await rows(users, eq(users.email, email)));
      expectRows(await rows(memberships, eq(memberships.userId, user!.id)));
    }
  });
});

describe('first-run set-up', rounds, () => {
  it('POST /api/setup ×10 on an empty database: one organisation, the others 409', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      // Empty again: what the last round set up is gone (the rest follows by cascade).
      await empty.db.delete(organisations);
      await empty.db.delete(users);
      const results = await fire(10, empty.anon, (i) => ({
        method: 'POST',
        url: '/api/setup',
        payload: {
          organisation: { name: `Acme ${i}` },
          admin: {
            name: 'Ann Admin',
            email: `ann${i}@acme.test`,
            password: 'correct horse battery',
          },
        },
      }));
      expect(successes(results, 201, { 409: ['SETUP_DONE'] })).toHaveLength(1);
      expectRows(await rowsIn(empty.db, organisations));
      expectRows(await rowsIn(empty.db, users));
    }
  });
});
