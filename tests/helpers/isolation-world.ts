import { randomBytes, randomUUID } from 'node:crypto';
import type { Harness, OrgFixture, UserFixture } from './harness';
import { MIN_ANSWERS_TO_FIT } from '../../shared/fsrs-weights';
import { seedRefreshers } from './review-log';
import { dateIn, freshBuilders, type Learning, ok, type Survivor } from './isolation-fresh';
import { insertPng, uniquePng } from './images';
import { learningFixtures } from './learning';
import { sampleCards, textBlock } from './modules';

export type { Survivor } from './isolation-fresh';

/** One organisation of the isolation world: one object of every kind the routes name. */
export interface OrgWorld extends OrgFixture {
  /** Text put into every name and content of the organisation (empty for A). */
  mark: string;
  url(rest?: string): string;
  /** A calendar date `days` after the clock's today. */
  dateIn(days: number): string;
  /** The organisation's learner, in its team and job role. */
  learner: UserFixture;
  persona: { id: string };
  tool: { id: string };
  process: { id: string };
  /** A draft module with two lessons, the first holding two cards. */
  draft: { id: string; lessonIds: string[]; cardIds: string[] };
  /** A published module assigned to every member, its lesson and single-choice card. */
  published: { id: string; lessonId: string; cardId: string; optionId: string };
  asset: { id: string };
  invitation: { id: string; token: string };
  assignment: { id: string };
  /** The learner's upcoming pause. */
  pause: { id: string };
  /** A reminder sent to the learner. */
  reminder: { id: string };
  /** Objects made on demand, for requests that consume theirs (DELETE, renew…). */
  fresh: ReturnType<typeof freshBuilders>;
}

/**
 * Organisation A, and organisation B whose every name and text holds `sentinel`, each with one
 * object of every kind; built through the API as each organisation's own members would.
 * `survivors` collects a read for every object of B, to check at the end that none was changed
 * away by a request made in A.
 */
export async function buildIsolationWorld(h: Harness, sentinel: string) {
  const l = learningFixtures(h);
  const survivors: Survivor[] = [];
  const a = await buildOrg(h, l, h.world.a, '', survivors);
  const b = await buildOrg(h, l, h.world.b, `${sentinel} `, survivors);
  return { a, b, survivors };
}

/** A sentinel unique to the run, so that no fixed text can match it by chance. */
export const newSentinel = () => `SENTINEL-B-${randomBytes(6).toString('hex')}`;

async function buildOrg(
  h: Harness,
  l: Learning,
  org: OrgFixture,
  mark: string,
  survivors: Survivor[],
): Promise<OrgWorld> {
  const { admin, trainer } = org.users;
  const url = (rest = '') => `/api/orgs/${org.id}${rest}`;
  const fresh = freshBuilders(h, l, org, mark, survivors);
  const patch = (by: UserFixture, rest: string, payload: object) =>
    ok(by.inject({ method: 'PATCH', url: url(rest), payload }));

  if (mark) {
    await patch(admin, '', { name: `${mark}${org.name}` });
    await patch(admin, `/teams/${org.team.id}`, { name: `${mark}${org.team.name}` });
    await patch(admin, `/job-roles/${org.jobRole.id}`, { name: `${mark}${org.jobRole.name}` });
    for (const user of Object.values(org.users))
      await ok(
        user.inject({ method: 'PATCH', url: '/api/me', payload: { name: mark + user.name } }),
      );
  }
  // Everyone in the team, so that referents have the learner in their scope.
  const learner = org.users.learner;
  for (const user of Object.values(org.users))
    await l.setMembership(org, user.id, { teamId: org.team.id, jobRoleId: org.jobRole.id });
  const persona = await fresh.persona();
  const tool = await fresh.tool();
  const process = await fresh.process(tool.id);

  const draftModule = await ok(
    trainer.inject({
      method: 'POST',
      url: url('/modules'),
      payload: {
        title: fresh.name('Draft'),
        summary: `${mark}Summary`,
        toolId: tool.id,
        processId: process.id,
        teamIds: [org.team.id],
        jobRoleIds: [org.jobRole.id],
      },
    }),
  );
  const lessons = [await fresh.lesson(draftModule.id), await fresh.lesson(draftModule.id)];
  const cards = [await fresh.card(lessons[0]!.id), await fresh.card(lessons[0]!.id)];

  const published = await l.publishedModule(
    org,
    { title: fresh.name('Published'), toolId: tool.id },
    [
      {
        title: fresh.name('Lesson'),
        blocks: [textBlock(`${mark}Log the call.`)],
        cards: [{ ...sampleCards.single, question: `${mark}Where is a call logged?` }],
      },
    ],
  );
  const [assignment] = await l.assign(org, published.id, l.everyone(org));
  // Enough of a log that weights may be fitted to it.
  await seedRefreshers(
    h.db,
    { orgId: org.id, userId: learner.id, moduleId: published.id },
    { count: MIN_ANSWERS_TO_FIT, before: h.clock.now() },
  );
  const lesson = await l.getLesson(org, published.lessons[0]!.id);
  const card = lesson.cards[0];

  const asset = await insertAsset(h, org, mark);
  const invitation = await fresh.invitation();
  const pause = await ok(
    learner.inject({
      method: 'POST',
      url: url('/pauses'),
      payload: { startsOn: dateIn(h, 30), endsOn: dateIn(h, 31) },
    }),
  );
  const reminder = await ok(
    admin.inject({ method: 'POST', url: url(`/dashboards/learners/${learner.id}/reminders`) }),
  );

  if (mark) {
    survivors.push(
      { req: { method: 'GET', url: url(`/modules/${draftModule.id}`) }, id: draftModule.id },
      { req: { method: 'GET', url: url(`/modules/${published.id}`) }, id: published.id },
      { req: { method: 'GET', url: url(`/assets/${asset.id}`) }, id: '' },
      { req: { method: 'GET', url: url('/pauses'), query: { userId: learner.id } }, id: pause.id },
      { req: { method: 'GET', url: url('/assignments') }, id: assignment!.id },
      { req: { method: 'GET', url: url('/invitations') }, id: invitation.id },
    );
  }

  return {
    ...org,
    mark,
    url,
    dateIn: (days: number) => dateIn(h, days),
    learner,
    persona,
    tool,
    process,
    draft: {
      id: draftModule.id,
      lessonIds: lessons.map((x) => x.id),
      cardIds: cards.map((x) => x.id),
    },
    published: {
      id: published.id,
      lessonId: published.lessons[0]!.id,
      cardId: card.id,
      optionId: card.options.find((o: { correct: boolean }) => o.correct).id,
    },
    asset,
    invitation,
    assignment: assignment!,
    pause,
    reminder,
    fresh,
  };
}

/** An image whose bytes carry the organisation's mark, so serving it elsewhere would show. */
async function insertAsset(h: Harness, org: OrgFixture, mark: string) {
  const data = Buffer.concat([uniquePng(), Buffer.from(`${mark}${randomUUID()}`)]);
  const { id } = await insertPng(h.db, org.id, data);
  return { id };
}
