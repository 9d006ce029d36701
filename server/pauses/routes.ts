import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { orgIdParamsSchema } from '../../shared/orgs';
import {
  createPauseBodySchema,
  pauseListQuerySchema,
  pauseListSchema,
  pauseParamsSchema,
  pauseSchema,
} from '../../shared/pauses';
import { errorResponses, tenant, typed } from '../lib/http';
import { currentMembership } from '../plugins/auth';
import type { PauseService } from './service';

const tags = ['pauses'];
const base = '/api/orgs/:orgId/pauses';

/**
 * Any member pauses their own refreshers for a holiday; a manager those of their team's
 * members, an admin anyone's (`userId`).
 */
export async function pauseRoutes(app: FastifyInstance, { pauses }: { pauses: PauseService }) {
  const r = typed(app);

  r.get(
    base,
    {
      schema: {
        tags,
        summary: "A learner's refresher pauses (the caller's own by default), oldest first",
        params: orgIdParamsSchema,
        querystring: pauseListQuerySchema,
        response: { 200: pauseListSchema, ...tenant },
      },
    },
    async (request) => {
      const m = currentMembership(request);
      return { items: await pauses.list(m.orgId, m, request.query.userId) };
    },
  );

  r.post(
    base,
    {
      schema: {
        tags,
        summary:
          'Pause refreshers from one day to another, both included: due dates move back by ' +
          'the pause, so nothing piles up on return',
        params: orgIdParamsSchema,
        body: createPauseBodySchema,
        response: { 201: pauseSchema, ...tenant, ...errorResponses(409) },
      },
    },
    async (request, reply) => {
      const m = currentMembership(request);
      return reply.code(201).send(await pauses.create(m.orgId, m, request.body));
    },
  );

  r.delete(
    `${base}/:pauseId`,
    {
      schema: {
        tags,
        summary: 'Cancel an upcoming pause, or end an active one today (409 once it is over)',
        params: pauseParamsSchema,
        response: { 204: z.null(), ...tenant, ...errorResponses(409) },
      },
    },
    async (request, reply) => {
      const m = currentMembership(request);
      await pauses.remove(m.orgId, m, request.params.pauseId);
      return reply.code(204).send(null);
    },
  );
}
