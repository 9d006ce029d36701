import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { expect } from 'vitest';
import type { CardContentInput, CreateLessonInput, CreateModuleInput } from '../../shared/modules';
import type { Role } from '../../shared/common';
import type { UpdateLearningSettingsBody } from '../../shared/learning';
import { cardStates, memberships, publishedCards } from '../../server/db/schema';
import * as personaRepo from '../../server/personas/repository';
import { DAY } from './clock';
import { type Harness, json, type OrgFixture, type UserFixture } from './harness';
import { moduleFixtures, textBlock } from './modules';

export interface LessonSpec extends Partial<CreateLessonInput> {
  cards?: CardContentInput[];
}

/** A review, with a fresh id, of the right answer to a single-choice card as a lesson lists it. */
export function rightAnswer(
  card: { id: string; options: { id: string; correct: boolean }[] },
  durationMs: number,
) {
  const right = card.options.find((o) => o.correct)!;
  return {
    id: randomUUID(),
    cardId: card.id,
    answer: { kind: 'single', optionId: right.id },
    durationMs,
  };
}

/**
 * Published modules, assignments and card memory for learner-side tests. Modules are built and
 * published through the API (publishing writes `published_cards` and syncs target assignments);
 * card memory is written straight to `card_states`, so reads are tested with exact, hand-chosen
 * states independently of the scheduler.
 */
export function learningFixtures(h: Harness) {
  const m = moduleFixtures(h);
  let n = 0;
  const url = (org: OrgFixture, rest: string) => `/api/orgs/${org.id}${rest}`;

  /** A published module whose lessons (default: one text lesson with one card) are given. */
  async function publishedModule(
    org: OrgFixture,
    body: Partial<CreateModuleInput> = {},
    lessons: LessonSpec[] = [{}],
  ) {
    const module = await m.freshModule(org, body);
    const made = [];
    for (const { cards = [{ ...sampleSingle }], ...lesson } of lessons) {
      const created = await m.freshLesson(org, module.id, {
        title: `Lesson ${++n}`,
        blocks: [textBlock()],
        ...lesson,
      });
      const cardIds: string[] = [];
      for (const card of cards) cardIds.push((await m.freshCard(org, created.id, card)).id);
      made.push({ id: created.id as string, cardIds });
    }
    await m.publish(org, module.id);
    return { id: module.id as string, title: module.title as string, lessons: made };
  }

  /** Assigns by hand (as the org's trainer) and returns the assignments. */
  async function assign(
    org: OrgFixture,
    moduleId: string,
    userIds: string[],
    extra: { dueOn?: string | null; opensAt?: string } = {},
    by: UserFixture = org.users.trainer,
  ) {
    const res = await by.inject({
      method: 'POST',
      url: url(org, '/assignments'),
      payload: { moduleId, userIds, ...extra },
    });
    expect(res.statusCode, res.body).toBe(201);
    return json(res).items as { id: string; userId: string; reason: string }[];
  }

  /** Sets a membership's team, job role or persona straight in the database. */
  async function setMembership(
    org: OrgFixture,
    userId: string,
    values: { teamId?: string | null; jobRoleId?: string | null; personaId?: string | null },
  ) {
    if (Object.keys(values).length === 0) return;
    await h.db
      .update(memberships)
      .set(values)
      .where(and(eq(memberships.orgId, org.id), eq(memberships.userId, userId)));
  }

  /** A new learner of `org` named `name`, with that team, job role and persona (default none). */
  async function learner(
    org: OrgFixture,
    name: string,
    membership: Parameters<typeof setMembership>[2] = {},
  ) {
    const user = await h.addUser(org.id, ['learner'], name);
    await setMembership(org, user.id, membership);
    return user;
  }

  /** Makes a member manage these teams (replacing the list), as the org's admin does. */
  async function manageTeams(org: OrgFixture, userId: string, teamIds: string[]) {
    const res = await org.users.admin.inject({
      method: 'PATCH',
      url: url(org, `/members/${userId}`),
      payload: { managedTeamIds: teamIds },
    });
    expect(res.statusCode, res.body).toBe(200);
  }

  /** Changes the organisation's learning settings (time zone, daily budget…) as its admin. */
  async function learningSettings(org: OrgFixture, payload: Partial<UpdateLearningSettingsBody>) {
    const res = await org.users.admin.inject({
      method: 'PATCH',
      url: url(org, '/settings/learning'),
      payload,
    });
    expect(res.statusCode, res.body).toBe(200);
  }

  async function freshPersona(org: OrgFixture, { minutesPerDay = 5 } = {}) {
    const persona = await personaRepo.insertPersona(
      h.db,
      org.id,
      {
        name: `Persona ${++n}`,
        description: `About persona ${n}`,
        confidence: 3,
        device: 'any',
        minutesPerDay,
        position: n,
      },
      h.clock.now(),
    );
    return persona.id;
  }

  /**
   * The learner's memory of a published card: last reviewed `daysAgo` days before now with
   * stability `stability` days, due at `due` (default: one stability after the last review),
   * first reviewed `firstDaysAgo` days before now (default: reviewed once, `daysAgo`).
   */
  async function remember(
    org: OrgFixture,
    userId: string,
    cardId: string,
    memory: { stability: number; daysAgo: number; due?: Date; firstDaysAgo?: number },
  ) {
    const [card] = await h.db
      .select({ moduleId: publishedCards.moduleId })
      .from(publishedCards)
      .where(eq(publishedCards.cardId, cardId));
    const lastReview = new Date(h.clock.now().getTime() - memory.daysAgo * DAY);
    const due = memory.due ?? new Date(lastReview.getTime() + memory.stability * DAY);
    await h.db.insert(cardStates).values({
      orgId: org.id,
      userId,
      cardId,
      moduleId: card!.moduleId,
      due,
      stability: memory.stability,
      difficulty: 5,
      elapsedDays: 0,
      scheduledDays: Math.round(memory.stability),
      learningSteps: 0,
      reps: 1,
      lapses: 0,
      state: 2,
      lastReview,
      firstReview: new Date(
        h.clock.now().getTime() - (memory.firstDaysAgo ?? memory.daysAgo) * DAY,
      ),
    });
  }

  /**
   * `user`'s right answer, now, to the first card of `lessonId` (a single-choice card), in
   * `share` of the card's expected time (1: a Good rating; well under it: Easy). Checks the 200
   * and answers the review.
   */
  async function answerRight(org: OrgFixture, user: UserFixture, lessonId: string, share = 1) {
    const [card] = (await m.getLesson(org, lessonId)).cards;
    const res = await user.inject({
      method: 'POST',
      url: url(org, '/reviews'),
      payload: rightAnswer(card, card.effectiveExpectedSeconds * 1000 * share),
    });
    expect(res.statusCode, res.body).toBe(200);
    return json(res);
  }

  /** `user`'s progress on `lessonId` through PUT me/lessons/:id/progress, checked 200. */
  async function lessonProgress(
    org: OrgFixture,
    user: UserFixture,
    lessonId: string,
    completed = true,
  ) {
    const res = await user.inject({
      method: 'PUT',
      url: url(org, `/me/lessons/${lessonId}/progress`),
      payload: { position: 1, completed },
    });
    expect(res.statusCode, res.body).toBe(200);
  }

  /** Users of every role in `org`, for routes any member may call. */
  const everyone = (org: OrgFixture) =>
    (['learner', 'trainer', 'manager', 'referent', 'admin'] as Role[]).map((r) => org.users[r].id);

  return {
    ...m,
    url,
    publishedModule,
    assign,
    setMembership,
    learner,
    manageTeams,
    learningSettings,
    freshPersona,
    remember,
    answerRight,
    lessonProgress,
    everyone,
  };
}

export const sampleSingle: CardContentInput = {
  kind: 'single',
  question: 'Where is a call logged?',
  options: [
    { text: 'In the timeline', correct: true },
    { text: 'In the mail', correct: false },
  ],
  expectedSeconds: 20,
};
