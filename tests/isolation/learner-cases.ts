import { randomUUID } from 'node:crypto';
import { ALL_ROLES, type Req } from '../helpers/harness';
import { type CaseTable, inBody, inOrg, objects } from '../helpers/isolation-check';
import type { OrgWorld } from '../helpers/isolation-world';

/** The right answer to `owner`'s published card, as `POST reviews` takes it. */
const answer = (owner: OrgWorld) => ({
  id: randomUUID(),
  cardId: owner.published.cardId,
  answer: { kind: 'single', optionId: owner.published.optionId },
  durationMs: 20_000,
});

/** A placement check of `moduleOf`'s published module, answering `cardOf`'s card. */
function check(org: OrgWorld, moduleOf: OrgWorld, cardOf: OrgWorld): Req {
  const { cardId, answer: given } = answer(cardOf);
  return {
    method: 'POST',
    url: org.url(`/me/modules/${moduleOf.published.id}/placement/check`),
    payload: { cardId, answer: given },
  };
}

/** Placing out of `moduleOf`'s published module with an answer to `cardOf`'s card. */
const placement = (org: OrgWorld, moduleOf: OrgWorld, cardOf: OrgWorld): Req => ({
  method: 'POST',
  url: org.url(`/me/modules/${moduleOf.published.id}/placement`),
  payload: { answers: [answer(cardOf)] },
});

/**
 * The id of the notification the world's reminder put in `owner`'s learner's bell; a fresh id
 * for the world of ids that never existed (its learner cannot sign in).
 */
async function notificationOf(owner: OrgWorld): Promise<string> {
  if (!('inject' in owner.learner)) return randomUUID();
  const res = await owner.learner.inject({ method: 'GET', url: owner.url('/notifications') });
  return (res.json() as { items: { id: string }[] }).items.at(-1)!.id;
}

/** The learner's own pages and answers: the caller's own, in the organisation of the path. */
export const learnerCases: CaseTable = {
  'GET /api/orgs/:orgId/notifications': inOrg(ALL_ROLES, (org) => ({
    method: 'GET',
    url: org.url('/notifications'),
  })),
  'POST /api/orgs/:orgId/notifications/:notificationId/read': objects(
    ALL_ROLES,
    async (org, owner) => ({
      method: 'POST',
      url: org.url(`/notifications/${await notificationOf(owner)}/read`),
    }),
    { controlAs: 'learner' },
  ),
  'POST /api/orgs/:orgId/notifications/read-all': inOrg(ALL_ROLES, (org) => ({
    method: 'POST',
    url: org.url('/notifications/read-all'),
  })),
  'PUT /api/orgs/:orgId/me/digest': inOrg(['trainer', 'admin'], (org) => ({
    method: 'PUT',
    url: org.url('/me/digest'),
    payload: { optIn: true },
  })),
  'GET /api/orgs/:orgId/me/reminders': inOrg(ALL_ROLES, (org) => ({
    method: 'GET',
    url: org.url('/me/reminders'),
  })),
  'POST /api/orgs/:orgId/me/reminders/:reminderId/dismiss': objects(
    ALL_ROLES,
    (org, owner) => ({
      method: 'POST',
      url: org.url(`/me/reminders/${owner.reminder.id}/dismiss`),
    }),
    { controlAs: 'learner' },
  ),

  'GET /api/orgs/:orgId/me/learner': inOrg(ALL_ROLES, (org) => ({
    method: 'GET',
    url: org.url('/me/learner'),
  })),
  'POST /api/orgs/:orgId/me/onboarding': inOrg(ALL_ROLES, (org) => ({
    method: 'POST',
    url: org.url('/me/onboarding'),
    payload: { answers: { confidence: 3, device: 'desktop', minutesPerDay: 5 } },
  })),
  'PATCH /api/orgs/:orgId/me/persona': inBody(
    ALL_ROLES,
    (org, owner) => ({
      method: 'PATCH',
      url: org.url('/me/persona'),
      payload: { personaId: owner.persona.id },
    }),
    { controlAs: 'learner' },
  ),
  'GET /api/orgs/:orgId/me/today': inOrg(ALL_ROLES, (org) => ({
    method: 'GET',
    url: org.url('/me/today'),
  })),
  // Learners only: what they look up again is their own lessons.
  'GET /api/orgs/:orgId/me/lessons': inOrg(['learner'], (org) => ({
    method: 'GET',
    url: org.url('/me/lessons?q=lesson'),
  })),
  'GET /api/orgs/:orgId/me/modules': inOrg(ALL_ROLES, (org) => ({
    method: 'GET',
    url: org.url('/me/modules'),
  })),
  'GET /api/orgs/:orgId/me/modules/:moduleId': objects(
    ALL_ROLES,
    (org, owner) => ({ method: 'GET', url: org.url(`/me/modules/${owner.published.id}`) }),
    { controlAs: 'learner' },
  ),
  'PUT /api/orgs/:orgId/me/lessons/:lessonId/progress': objects(
    ALL_ROLES,
    (org, owner) => ({
      method: 'PUT',
      url: org.url(`/me/lessons/${owner.published.lessonId}/progress`),
      payload: { position: 0, completed: false },
    }),
    { controlAs: 'learner' },
  ),
  // The module in the path and the card in the body, each of `owner` in turn.
  'POST /api/orgs/:orgId/me/modules/:moduleId/placement/check': [
    objects(ALL_ROLES, (org, owner) => check(org, owner, owner), { controlAs: 'learner' }),
    inBody(ALL_ROLES, (org, owner) => check(org, org, owner), { controlAs: 'learner' }),
  ],
  'POST /api/orgs/:orgId/me/modules/:moduleId/placement': [
    objects(ALL_ROLES, (org, owner) => placement(org, owner, owner), { controlAs: 'trainer' }),
    // Answers to cards not in the module count for nothing (server/learner/placement.ts).
    objects(ALL_ROLES, (org, owner) => placement(org, org, owner), {
      controlAs: 'referent',
      foreignIn: 'ignored',
    }),
  ],
  'POST /api/orgs/:orgId/reviews': inBody(
    ALL_ROLES,
    (org, owner) => ({ method: 'POST', url: org.url('/reviews'), payload: answer(owner) }),
    { controlAs: 'learner' },
  ),
};
