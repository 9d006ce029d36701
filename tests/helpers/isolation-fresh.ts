import type { LightMyRequestResponse } from 'fastify';
import { default_w } from 'ts-fsrs';
import { expect } from 'vitest';
import { fsrsFits } from '../../server/db/schema';
import { DAY } from './clock';
import { type Harness, json, type OrgFixture, type Req, type UserFixture } from './harness';
import type { learningFixtures } from './learning';
import { sampleCards, textBlock } from './modules';

/** A calendar date `days` after the clock's today (UTC; far enough ahead for any time zone). */
export const dateIn = (h: Harness, days: number) =>
  new Date(h.clock.now().getTime() + days * DAY).toISOString().slice(0, 10);

export type Learning = ReturnType<typeof learningFixtures>;

/** A read, as B's admin, that answers 200 with `id` in it while the object exists. */
export interface Survivor {
  req: Req;
  id: string;
}

export async function ok(res: LightMyRequestResponse | Promise<LightMyRequestResponse>) {
  const r = await res;
  expect(r.statusCode, r.body).toBeLessThan(300);
  return json(r);
}

/** The builders of objects made per request; B's are recorded so the run can check they survive. */
export function freshBuilders(
  h: Harness,
  l: Learning,
  org: OrgFixture,
  mark: string,
  survivors: Survivor[],
) {
  const { trainer, admin } = org.users;
  const url = (rest: string) => `/api/orgs/${org.id}${rest}`;
  let n = 0;
  let holder: Promise<{ id: string }> | undefined;
  let cardHolder: Promise<{ id: string }> | undefined;
  const name = (kind: string) => `${mark}${kind} ${++n}`.trim();
  const keep = (req: Req, id: string) => {
    if (mark) survivors.push({ req, id });
  };
  const post = (by: UserFixture, rest: string, payload: object) =>
    ok(by.inject({ method: 'POST', url: url(rest), payload }));

  return {
    name,
    async learner() {
      const user = await l.learner(org, name('Learner'));
      keep({ method: 'GET', url: url(`/dashboards/learners/${user.id}`) }, user.id);
      return user;
    },
    async team() {
      const team = await post(admin, '/teams', { name: name('Team') });
      keep({ method: 'GET', url: url('/teams') }, team.id);
      return team as { id: string };
    },
    async jobRole() {
      const jobRole = await post(admin, '/job-roles', { name: name('Job role') });
      keep({ method: 'GET', url: url('/job-roles') }, jobRole.id);
      return jobRole as { id: string };
    },
    async persona() {
      const id = await l.freshPersona(org);
      keep({ method: 'GET', url: url(`/personas/${id}`) }, id);
      return { id };
    },
    async tool() {
      const tool = await post(trainer, '/tools', { name: name('Tool') });
      keep({ method: 'GET', url: url(`/tools/${tool.id}`) }, tool.id);
      return tool as { id: string };
    },
    async process(toolId?: string) {
      const tool = toolId ?? (await post(trainer, '/tools', { name: name('Tool') })).id;
      const process = await post(trainer, `/tools/${tool}/processes`, { name: name('Process') });
      keep({ method: 'GET', url: url(`/processes/${process.id}/next-uses`) }, '');
      return process as { id: string };
    },
    async module() {
      const tool = await post(trainer, '/tools', { name: name('Tool') });
      const module = await post(trainer, '/modules', { title: name('Module'), toolId: tool.id });
      keep({ method: 'GET', url: url(`/modules/${module.id}`) }, module.id);
      return module as { id: string };
    },
    /** A lesson of `moduleId`, by default of one module kept for fresh lessons. */
    async lesson(moduleId?: string) {
      holder ??= this.module();
      const owner = moduleId ?? (await holder).id;
      const lesson = await post(trainer, `/modules/${owner}/lessons`, {
        title: name('Lesson'),
        blocks: [textBlock(`${mark} Open the CRM.`)],
      });
      keep({ method: 'GET', url: url(`/lessons/${lesson.id}`) }, lesson.id);
      return lesson as { id: string };
    },
    /** A card of `lessonId`, by default of one lesson kept for fresh cards. */
    async card(lessonId?: string) {
      cardHolder ??= this.lesson();
      const owner = lessonId ?? (await cardHolder).id;
      const card = await post(trainer, `/lessons/${owner}/cards`, {
        ...sampleCards.single,
        question: `${mark} ${sampleCards.single.question}`,
      });
      keep({ method: 'GET', url: url(`/lessons/${owner}`) }, card.id);
      return card as { id: string };
    },
    async invitation() {
      const email = `${mark.trim() || 'a'}-invitee-${++n}@example.test`.toLowerCase();
      const made = await post(admin, '/invitations', { email });
      keep({ method: 'GET', url: url('/invitations') }, made.invitation.id);
      const token = new URL(made.link).pathname.split('/').pop()!;
      return { id: made.invitation.id as string, token };
    },
    /** An assignment of the published module to a new learner. */
    async assignment(moduleId: string) {
      const user = await this.learner();
      const [made] = await l.assign(org, moduleId, [user.id]);
      keep({ method: 'GET', url: url('/assignments') }, made!.id);
      return { id: made!.id, userId: user.id };
    },
    /** An upcoming pause of a new learner. */
    async pause() {
      const user = await this.learner();
      const body = { userId: user.id, startsOn: dateIn(h, 10), endsOn: dateIn(h, 12) };
      const pause = await post(admin, '/pauses', body);
      keep({ method: 'GET', url: url('/pauses'), query: { userId: user.id } }, pause.id);
      return pause as { id: string };
    },
    /** A coming one-day closure of the organisation. */
    async closure() {
      const closure = await post(admin, '/calendar/closures', {
        startsOn: dateIn(h, 20),
        label: name('Closure'),
      });
      keep({ method: 'GET', url: url('/calendar') }, closure.id);
      return closure as { id: string };
    },
    /** Weights fitted to the organisation's answers (written as the weekly fit writes them). */
    async fit() {
      const [fit] = await h.db
        .insert(fsrsFits)
        .values({
          orgId: org.id,
          weights: [...default_w],
          answers: 1000,
          heldOutAnswers: 250,
          logLossBefore: 0.4,
          logLossAfter: 0.39,
          rmseBefore: 0.05,
          rmseAfter: 0.04,
          fittedAt: h.clock.now(),
          better: true,
        })
        .returning({ id: fsrsFits.id });
      keep({ method: 'GET', url: url('/settings/learning/weights') }, fit!.id);
      return fit!;
    },
    /** The mail of a new invitation, tried once: `unsent` (the suite has no SMTP), retryable. */
    async outboxMessage() {
      const email = `${mark.trim() || 'a'}-mailed-${++n}@example.test`.toLowerCase();
      await post(admin, '/invitations', { email });
      await h.app.jobs.runDue();
      const list = await ok(admin.inject({ method: 'GET', url: url('/outbox?limit=100') }));
      const found = (list.items as { id: string; to: string }[]).find((m) => m.to === email)!;
      keep({ method: 'GET', url: url(`/outbox/${found.id}`) }, found.id);
      return { id: found.id };
    },
  };
}
