import type { FastifyInstance } from 'fastify';
import { orgIdParamsSchema } from '../../shared/orgs';
import {
  outboxListQuerySchema,
  outboxListSchema,
  outboxMessageDetailSchema,
  outboxMessageParamsSchema,
  outboxMessageSchema,
} from '../../shared/outbox';
import type { Database } from '../db/client';
import { errorResponses, tenant, typed } from '../lib/http';
import { currentMembership } from '../plugins/auth';
import { createOutboxAdmin } from './admin';
import type { OutboxService } from './outbox';

const tags = ['outbox'];
const base = '/api/orgs/:orgId/outbox';

/** Admins read their organisation's mail: what was sent, what failed and why, what would be. */
export async function outboxRoutes(
  app: FastifyInstance,
  { outbox, db }: { outbox: OutboxService; db: Database },
) {
  const r = typed(app);
  const admin = createOutboxAdmin({ db, outbox });

  r.get(
    base,
    {
      config: { roles: ['admin'] },
      schema: {
        tags,
        summary: "The organisation's mail, newest first, with each message's status (admin)",
        params: orgIdParamsSchema,
        querystring: outboxListQuerySchema,
        response: { 200: outboxListSchema, ...tenant },
      },
    },
    async (request) => admin.list(currentMembership(request).orgId, request.query),
  );

  r.get(
    `${base}/:messageId`,
    {
      config: { roles: ['admin'] },
      schema: {
        tags,
        summary:
          'One message as sent or as it would be sent: subject, text and HTML; links that ' +
          'sign in or reset a password are masked (admin)',
        params: outboxMessageParamsSchema,
        response: { 200: outboxMessageDetailSchema, ...tenant },
      },
    },
    async (request) => admin.get(currentMembership(request).orgId, request.params.messageId),
  );

  r.post(
    `${base}/:messageId/retry`,
    {
      config: { roles: ['admin'] },
      schema: {
        tags,
        summary: 'Try a failed or unsent message again (409 otherwise) (admin)',
        params: outboxMessageParamsSchema,
        response: { 200: outboxMessageSchema, ...tenant, ...errorResponses(409) },
      },
    },
    async (request) => admin.retry(currentMembership(request).orgId, request.params.messageId),
  );
}
