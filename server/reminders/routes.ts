import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { orgIdParamsSchema } from '../../shared/orgs';
import {
  myReminderListSchema,
  reminderParamsSchema,
  reminderSchema,
  remindParamsSchema,
} from '../../shared/reminders';
import { errorResponses, tenant, typed } from '../lib/http';
import { currentMembership } from '../plugins/auth';
import type { ReminderService } from './service';

/** Those who see learners in the dashboards (dashboards/routes.ts); learners 403. */
const SENDERS = ['admin', 'trainer', 'manager', 'referent'] as const;
const tags = ['reminders'];

/**
 * Reminding a learner from the dashboards, and the learner's own reminders on their home page
 * (`/me`, any member, for themselves).
 */
export async function reminderRoutes(
  app: FastifyInstance,
  { reminders }: { reminders: ReminderService },
) {
  const r = typed(app);

  r.post(
    '/api/orgs/:orgId/dashboards/learners/:userId/reminders',
    {
      config: { roles: SENDERS },
      schema: {
        tags,
        summary:
          "Remind a learner of the caller's scope: they see it on their home page (404 " +
          'outside the scope; 409 when already reminded today in the organisation)',
        params: remindParamsSchema,
        response: { 201: reminderSchema, ...tenant, ...errorResponses(409) },
      },
    },
    async (request, reply) => {
      const m = currentMembership(request);
      return reply.code(201).send(await reminders.send(m.orgId, m, request.params.userId));
    },
  );

  r.get(
    '/api/orgs/:orgId/me/reminders',
    {
      schema: {
        tags,
        summary:
          "The caller's reminders not dismissed yet, newest first, with the refreshers " +
          'waiting for them now',
        params: orgIdParamsSchema,
        response: { 200: myReminderListSchema, ...tenant },
      },
    },
    async (request) => {
      const m = currentMembership(request);
      return { items: await reminders.listMine(m.orgId, m.userId) };
    },
  );

  r.post(
    '/api/orgs/:orgId/me/reminders/:reminderId/dismiss',
    {
      schema: {
        tags,
        summary: "Dismiss one of the caller's reminders (anyone else's is 404)",
        params: reminderParamsSchema,
        response: { 204: z.null(), ...tenant },
      },
    },
    async (request, reply) => {
      const m = currentMembership(request);
      await reminders.dismiss(m.orgId, m.userId, request.params.reminderId);
      return reply.code(204).send(null);
    },
  );
}
