import { randomUUID } from 'node:crypto';
import { ALL_ROLES, AUTHORS, STAFF } from '../helpers/harness';
import { type CaseTable, inBody, inOrg, objects } from '../helpers/isolation-check';
import type { OrgWorld } from '../helpers/isolation-world';

const ADMIN = ['admin'] as const;

/** The dashboards' filters, each naming one of `owner`'s objects. */
const filters = (owner: OrgWorld) => ({
  teamId: owner.team.id,
  jobRoleId: owner.jobRole.id,
  moduleId: owner.published.id,
  personaId: owner.persona.id,
});

const newEmail = () => `invitee-${randomUUID()}@example.test`;

/** The organisation, its structure and people, assignments, dashboards and the learner's pages. */
export const peopleCases: CaseTable = {
  'GET /api/orgs/:orgId': inOrg(ALL_ROLES, (org) => ({ method: 'GET', url: org.url() })),
  'PATCH /api/orgs/:orgId': inOrg(ADMIN, (org) => ({
    method: 'PATCH',
    url: org.url(),
    payload: { name: 'Org A' },
  })),
  'GET /api/orgs/:orgId/settings/learning': inOrg(ALL_ROLES, (org) => ({
    method: 'GET',
    url: org.url('/settings/learning'),
  })),
  'PATCH /api/orgs/:orgId/settings/learning': inOrg(ADMIN, (org) => ({
    method: 'PATCH',
    url: org.url('/settings/learning'),
    payload: { dailyBudgetMinutes: 10 },
  })),

  'GET /api/orgs/:orgId/members': inOrg(AUTHORS, (org) => ({
    method: 'GET',
    url: org.url('/members'),
  })),
  'PATCH /api/orgs/:orgId/members/:userId': [
    objects(ADMIN, (org, owner) => ({
      method: 'PATCH',
      url: org.url(`/members/${owner.learner.id}`),
      payload: { teamId: owner.team.id, jobRoleId: owner.jobRole.id },
    })),
    inBody(ADMIN, (org, owner) => ({
      method: 'PATCH',
      url: org.url(`/members/${org.users.manager.id}`),
      payload: {
        teamId: owner.team.id,
        jobRoleId: owner.jobRole.id,
        managedTeamIds: [owner.team.id],
      },
    })),
  ],

  'POST /api/orgs/:orgId/members/:userId/reset-link': objects(ADMIN, (org, owner) => ({
    method: 'POST',
    url: org.url(`/members/${owner.learner.id}/reset-link`),
  })),

  'GET /api/orgs/:orgId/teams': inOrg(STAFF, (org) => ({ method: 'GET', url: org.url('/teams') })),
  'POST /api/orgs/:orgId/teams': inOrg(ADMIN, (org) => ({
    method: 'POST',
    url: org.url('/teams'),
    payload: { name: `Team ${randomUUID()}` },
  })),
  'PATCH /api/orgs/:orgId/teams/:teamId': objects(ADMIN, (org, owner) => ({
    method: 'PATCH',
    url: org.url(`/teams/${owner.team.id}`),
    payload: { name: 'Sales' },
  })),
  'DELETE /api/orgs/:orgId/teams/:teamId': objects(ADMIN, async (org, owner) => ({
    method: 'DELETE',
    url: org.url(`/teams/${(await owner.fresh.team()).id}`),
  })),
  'GET /api/orgs/:orgId/job-roles': inOrg(STAFF, (org) => ({
    method: 'GET',
    url: org.url('/job-roles'),
  })),
  'POST /api/orgs/:orgId/job-roles': inOrg(ADMIN, (org) => ({
    method: 'POST',
    url: org.url('/job-roles'),
    payload: { name: `Job role ${randomUUID()}` },
  })),
  'PATCH /api/orgs/:orgId/job-roles/:jobRoleId': objects(ADMIN, (org, owner) => ({
    method: 'PATCH',
    url: org.url(`/job-roles/${owner.jobRole.id}`),
    payload: { name: 'Sales rep' },
  })),
  'DELETE /api/orgs/:orgId/job-roles/:jobRoleId': objects(ADMIN, async (org, owner) => ({
    method: 'DELETE',
    url: org.url(`/job-roles/${(await owner.fresh.jobRole()).id}`),
  })),

  'GET /api/orgs/:orgId/invitations': inOrg(AUTHORS, (org) => ({
    method: 'GET',
    url: org.url('/invitations'),
  })),
  'POST /api/orgs/:orgId/invitations': [
    inBody(AUTHORS, (org, owner) => ({
      method: 'POST',
      url: org.url('/invitations'),
      payload: { email: newEmail(), teamId: owner.team.id, jobRoleId: owner.jobRole.id },
    })),
    // Only admins invite managers, and the teams they will manage.
    inBody(ADMIN, (org, owner) => ({
      method: 'POST',
      url: org.url('/invitations'),
      payload: { email: newEmail(), roles: ['manager'], managedTeamIds: [owner.team.id] },
    })),
  ],
  'DELETE /api/orgs/:orgId/invitations/:invitationId': objects(AUTHORS, async (org, owner) => ({
    method: 'DELETE',
    url: org.url(`/invitations/${(await owner.fresh.invitation()).id}`),
  })),
  'POST /api/orgs/:orgId/invitations/:invitationId/renew': objects(AUTHORS, async (org, owner) => ({
    method: 'POST',
    url: org.url(`/invitations/${(await owner.fresh.invitation()).id}/renew`),
  })),
  // A spreadsheet names teams by name, never by id: there is no other organisation's id to send.
  'POST /api/orgs/:orgId/staff-import/preview': inOrg(AUTHORS, (org) => ({
    method: 'POST',
    url: org.url('/staff-import/preview'),
    headers: { 'content-type': 'text/csv' },
    payload: `Name,Email,Team\nNew person,${newEmail()},Sales\n`,
  })),
  'POST /api/orgs/:orgId/staff-import': inOrg(AUTHORS, (org) => ({
    method: 'POST',
    url: org.url('/staff-import'),
    headers: { 'content-type': 'text/csv' },
    payload: `Name,Email,Team\nNew person,${newEmail()},Sales\n`,
  })),

  'GET /api/orgs/:orgId/assignments': objects(
    STAFF,
    (org, owner) => ({
      method: 'GET',
      url: org.url('/assignments'),
      query: { moduleId: owner.published.id, userId: owner.learner.id },
    }),
    { controlAs: 'admin', foreignIn: 'query' },
  ),
  'POST /api/orgs/:orgId/assignments': [
    inBody(
      STAFF,
      async (org, owner) => ({
        method: 'POST',
        url: org.url('/assignments'),
        payload: { moduleId: owner.published.id, userIds: [(await org.fresh.learner()).id] },
      }),
      { controlAs: 'admin' },
    ),
    inBody(
      STAFF,
      async (org, owner) => ({
        method: 'POST',
        url: org.url('/assignments'),
        payload: { moduleId: org.published.id, userIds: [(await owner.fresh.learner()).id] },
      }),
      { controlAs: 'admin' },
    ),
  ],
  'DELETE /api/orgs/:orgId/assignments/:assignmentId': objects(
    STAFF,
    async (org, owner) => ({
      method: 'DELETE',
      url: org.url(`/assignments/${(await owner.fresh.assignment(owner.published.id)).id}`),
    }),
    { controlAs: 'admin' },
  ),

  'GET /api/orgs/:orgId/pauses': objects(
    ALL_ROLES,
    (org, owner) => ({
      method: 'GET',
      url: org.url('/pauses'),
      query: { userId: owner.learner.id },
    }),
    { controlAs: 'admin', foreignIn: 'query' },
  ),
  'POST /api/orgs/:orgId/pauses': objects(
    ALL_ROLES,
    (org, owner) => ({
      method: 'POST',
      url: org.url('/pauses'),
      payload: { userId: owner.learner.id, startsOn: org.dateIn(60), endsOn: org.dateIn(61) },
    }),
    { controlAs: 'admin', foreignIn: 'body' },
  ),
  'DELETE /api/orgs/:orgId/pauses/:pauseId': objects(
    ALL_ROLES,
    async (org, owner) => ({
      method: 'DELETE',
      url: org.url(`/pauses/${(await owner.fresh.pause()).id}`),
    }),
    { controlAs: 'admin' },
  ),

  'GET /api/orgs/:orgId/settings/learning/weights': inOrg(['admin', 'trainer'], (org) => ({
    method: 'GET',
    url: org.url('/settings/learning/weights'),
  })),
  'PUT /api/orgs/:orgId/settings/learning/weights': inBody(ADMIN, async (org, owner) => ({
    method: 'PUT',
    url: org.url('/settings/learning/weights'),
    payload: { fitId: (await owner.fresh.fit()).id },
  })),
  'POST /api/orgs/:orgId/settings/learning/weights/fits': inOrg(ADMIN, (org) => ({
    method: 'POST',
    url: org.url('/settings/learning/weights/fits'),
  })),

  'GET /api/orgs/:orgId/calendar': inOrg(ALL_ROLES, (org) => ({
    method: 'GET',
    url: org.url('/calendar'),
  })),
  'PUT /api/orgs/:orgId/calendar': inOrg(ADMIN, (org) => ({
    method: 'PUT',
    url: org.url('/calendar'),
    payload: { country: 'FR', region: null, workingWeekdays: [1, 2, 3, 4, 5] },
  })),
  'GET /api/orgs/:orgId/calendar/days': inOrg(ALL_ROLES, (org) => ({
    method: 'GET',
    url: org.url('/calendar/days'),
    query: { months: '2' },
  })),
  'POST /api/orgs/:orgId/calendar/closures': inOrg(ADMIN, (org) => ({
    method: 'POST',
    url: org.url('/calendar/closures'),
    payload: { startsOn: org.dateIn(40), label: 'Inventory' },
  })),
  'DELETE /api/orgs/:orgId/calendar/closures/:closureId': objects(ADMIN, async (org, owner) => ({
    method: 'DELETE',
    url: org.url(`/calendar/closures/${(await owner.fresh.closure()).id}`),
  })),

  ...Object.fromEntries(
    ['overview', 'forecast', 'true-retention', 'at-risk', 'people'].map((name) => [
      `GET /api/orgs/:orgId/dashboards/${name}`,
      objects(
        STAFF,
        (org, owner) => ({
          method: 'GET',
          url: org.url(`/dashboards/${name}`),
          query: filters(owner),
        }),
        { controlAs: 'admin', foreignIn: 'query' },
      ),
    ]),
  ),
  'GET /api/orgs/:orgId/dashboards/learners/:userId': objects(
    STAFF,
    (org, owner) => ({ method: 'GET', url: org.url(`/dashboards/learners/${owner.learner.id}`) }),
    { controlAs: 'admin' },
  ),
  'POST /api/orgs/:orgId/dashboards/learners/:userId/reminders': objects(
    STAFF,
    async (org, owner) => ({
      method: 'POST',
      url: org.url(`/dashboards/learners/${(await owner.fresh.learner()).id}/reminders`),
    }),
    { controlAs: 'admin' },
  ),
  'GET /api/orgs/:orgId/jobs': inOrg(ADMIN, (org) => ({ method: 'GET', url: org.url('/jobs') })),
  'GET /api/orgs/:orgId/home': inOrg(ALL_ROLES, (org) => ({
    method: 'GET',
    url: org.url('/home'),
  })),
  'GET /api/orgs/:orgId/outbox': inOrg(ADMIN, (org) => ({
    method: 'GET',
    url: org.url('/outbox'),
    query: { status: 'unsent' },
  })),
  'GET /api/orgs/:orgId/outbox/:messageId': objects(ADMIN, async (org, owner) => ({
    method: 'GET',
    url: org.url(`/outbox/${(await owner.fresh.outboxMessage()).id}`),
  })),
  'POST /api/orgs/:orgId/outbox/:messageId/retry': objects(ADMIN, async (org, owner) => ({
    method: 'POST',
    url: org.url(`/outbox/${(await owner.fresh.outboxMessage()).id}/retry`),
  })),
};
