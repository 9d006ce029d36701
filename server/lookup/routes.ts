import type { FastifyInstance } from 'fastify';
import { lookupQuerySchema, lookupSchema } from '../../shared/lookup';
import { orgIdParamsSchema } from '../../shared/orgs';
import { tenant, typed } from '../lib/http';
import { currentMembership } from '../plugins/auth';
import type { LookupService } from './service';

export async function lookupRoutes(app: FastifyInstance, { lookup }: { lookup: LookupService }) {
  typed(app).get(
    '/api/orgs/:orgId/me/lessons',
    {
      config: { roles: ['learner'] },
      schema: {
        tags: ['learner'],
        summary:
          "The caller's lessons to look up again, finished or not: by module, or the best " +
          'matches of `q` with a highlighted excerpt',
        params: orgIdParamsSchema,
        querystring: lookupQuerySchema,
        response: { 200: lookupSchema, ...tenant },
      },
    },
    async (request) => {
      const { orgId, userId } = currentMembership(request);
      return lookup.lookup(orgId, userId, request.query.q);
    },
  );
}
