import { eq } from 'drizzle-orm';
import { expect } from 'vitest';
import { notifications } from '../../server/db/schema';
import { loadTokenSigner } from '../../server/lib/signed-tokens';
import { type Harness, json, PASSWORD } from './harness';
import type { Hints } from './openapi-arbitraries';
import { learningFixtures } from './learning';

/**
 * One object of each kind in organisation A, so that fuzzed requests name real objects: the ids
 * by path-parameter name, for the value generator. The learner of A is assigned the published
 * module and has a reminder, so that learner routes reach their handlers too.
 */
export async function fuzzWorld(h: Harness): Promise<{ hints: Hints; deletable: Hints['ids'] }> {
  const a = h.world.a;
  const l = learningFixtures(h);
  const target = await l.learner(a, 'Fuzz target', { teamId: a.team.id, jobRoleId: a.jobRole.id });
  const tool = await l.freshTool(a);
  const process = await l.freshProcess(a, tool.id);
  const personaId = await l.freshPersona(a);
  const asset = await l.freshAsset(a);
  const module = await l.publishedModule(a, { toolId: tool.id });
  const [assignment] = await l.assign(a, module.id, [target.id, a.users.learner.id]);

  const admin = a.users.admin;
  const created = async (url: string, payload?: object) => {
    const res = await admin.inject({ method: 'POST', url: `/api/orgs/${a.id}${url}`, payload });
    expect(res.statusCode, res.body).toBe(201);
    return json(res);
  };
  // Two invitations: renewing the first changes its link, which would leave no link to open.
  const invited = await created('/invitations', { email: 'fuzz-invitee@example.test' });
  const linked = await created('/invitations', { email: 'fuzz-linked@example.test' });
  const pause = await created('/pauses', {
    userId: target.id,
    startsOn: '2026-04-01',
    endsOn: '2026-04-10',
  });
  const reminder = await created(`/dashboards/learners/${a.users.learner.id}/reminders`);
  // The reminder's note in the learner's bell, and a link that stops their reminder mails.
  const [note] = await h.db
    .select({ id: notifications.id })
    .from(notifications)
    .where(eq(notifications.key, `manual-reminder:${reminder.id}`));
  const unsubscribe = (await loadTokenSigner(h.db))
    .sign({ u: a.users.learner.id, k: 'reminders' })
    .split('.');
  const closure = await created('/calendar/closures', { startsOn: '2026-12-24', label: 'Fuzz' });
  // The invitations' mail, tried once: `unsent` without SMTP, so an admin may retry it.
  await h.app.jobs.runDue();
  const outbox = json(await admin.inject({ method: 'GET', url: `/api/orgs/${a.id}/outbox` }));

  return {
    hints: {
      ids: {
        orgId: a.id,
        userId: target.id,
        teamId: a.team.id,
        jobRoleId: a.jobRole.id,
        invitationId: invited.invitation.id,
        token: new URL(linked.link).pathname.split('/').at(-1)!,
        personaId,
        toolId: tool.id,
        processId: process.id,
        assetId: asset.id,
        moduleId: module.id,
        lessonId: module.lessons[0]!.id,
        cardId: module.lessons[0]!.cardIds[0]!,
        assignmentId: assignment!.id,
        pauseId: pause.id,
        reminderId: reminder.id,
        notificationId: note!.id,
        payload: unsubscribe[0]!,
        signature: unsubscribe[1]!,
        closureId: closure.id,
        messageId: outbox.items[0].id,
      },
      // A pause must end after it starts and overlap no other: random dates rarely manage both.
      fixed: { currentPassword: PASSWORD, startsOn: '2026-05-04', endsOn: '2026-05-08' },
    },
    deletable: await unusedObjects(h, l),
  };
}

/** Objects nothing refers to, for deletions: the ones above are in use and answer 409. */
async function unusedObjects(
  h: Harness,
  l: ReturnType<typeof learningFixtures>,
): Promise<Hints['ids']> {
  const a = h.world.a;
  const admin = a.users.admin;
  const created = async (url: string, payload: object) => {
    const res = await admin.inject({ method: 'POST', url: `/api/orgs/${a.id}${url}`, payload });
    expect(res.statusCode, res.body).toBe(201);
    return json(res).id as string;
  };
  const draft = await l.freshModule(a);
  const lesson = await l.freshLesson(a, draft.id);
  const card = await l.freshCard(a, lesson.id);
  return {
    teamId: await created('/teams', { name: 'Unused team' }),
    jobRoleId: await created('/job-roles', { name: 'Unused job role' }),
    personaId: await l.freshPersona(a),
    toolId: (await l.freshTool(a)).id,
    processId: (await l.freshProcess(a)).id,
    moduleId: (await l.freshModule(a)).id,
    lessonId: (await l.freshLesson(a)).id,
    cardId: card.id,
  };
}
