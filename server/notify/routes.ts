import type { FastifyInstance } from 'fastify';
import { orgIdParamsSchema } from '../../shared/orgs';
import {
  digestOptInBodySchema,
  digestOptInResultSchema,
  notificationListQuerySchema,
  notificationListSchema,
  notificationParamsSchema,
  notificationSettingsSchema,
  readAllResultSchema,
  updateNotificationSettingsBodySchema,
} from '../../shared/notify';
import { errorResponses, signedIn, tenant, typed } from '../lib/http';
import { currentMembership, currentUser } from '../plugins/auth';
import type { NotificationService } from './inbox';

const tags = ['notifications'];

/**
 * The bell (any member, their own notifications in one organisation) and the account page's
 * notification preferences (the caller's own, whatever organisation).
 */
export async function notificationRoutes(
  app: FastifyInstance,
  { notifications }: { notifications: NotificationService },
) {
  const r = typed(app);

  r.get(
    '/api/orgs/:orgId/notifications',
    {
      schema: {
        tags,
        summary:
          "The caller's notifications in the organisation, newest first, a page at a time, " +
          'with how many are unread',
        params: orgIdParamsSchema,
        querystring: notificationListQuerySchema,
        response: { 200: notificationListSchema, ...tenant },
      },
    },
    async (request) => {
      const m = currentMembership(request);
      const { limit, before, unread } = request.query;
      return notifications.list(m, { limit, before, unreadOnly: unread === 'true' });
    },
  );

  r.post(
    '/api/orgs/:orgId/notifications/:notificationId/read',
    {
      schema: {
        tags,
        summary:
          "Mark one of the caller's notifications read (a manual reminder is dismissed with it); " +
          "anyone else's is 404",
        params: notificationParamsSchema,
        response: { 200: readAllResultSchema, ...tenant },
      },
    },
    async (request) =>
      notifications.markRead(currentMembership(request), request.params.notificationId),
  );

  r.post(
    '/api/orgs/:orgId/notifications/read-all',
    {
      schema: {
        tags,
        summary: "Mark every one of the caller's notifications in the organisation read",
        params: orgIdParamsSchema,
        response: { 200: readAllResultSchema, ...tenant },
      },
    },
    async (request) => notifications.markAllRead(currentMembership(request)),
  );

  r.get(
    '/api/me/notifications',
    {
      schema: {
        tags,
        summary:
          "The caller's notification preferences: channels per kind, when reminders come, and " +
          'the whole-organisation digest where they are a trainer or an admin',
        response: { 200: notificationSettingsSchema, ...signedIn },
      },
    },
    async (request) => notifications.settings(currentUser(request).id),
  );

  r.put(
    '/api/me/notifications',
    {
      schema: {
        tags,
        summary: "Change the caller's notification preferences (what is left out stays)",
        body: updateNotificationSettingsBodySchema,
        response: { 200: notificationSettingsSchema, ...signedIn },
      },
    },
    async (request) => notifications.updateSettings(currentUser(request).id, request.body),
  );

  r.put(
    '/api/orgs/:orgId/me/digest',
    {
      config: { roles: ['trainer', 'admin'] },
      schema: {
        tags,
        summary:
          'Take (or stop) the weekly digest for the whole organisation (trainers and admins; ' +
          'others get their own scope)',
        params: orgIdParamsSchema,
        body: digestOptInBodySchema,
        response: { 200: digestOptInResultSchema, ...tenant, ...errorResponses(400) },
      },
    },
    async (request) => notifications.setDigestOptIn(currentMembership(request), request.body.optIn),
  );
}
