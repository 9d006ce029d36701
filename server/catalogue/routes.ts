import type { FastifyInstance } from 'fastify';
import { catalogueQuerySchema, catalogueSchema } from '../../shared/catalogue';
import { orgIdParamsSchema } from '../../shared/orgs';
import { tenant, typed } from '../lib/http';
import { currentMembership } from '../plugins/auth';
import { VIEWERS } from '../dashboards/routes';
import type { CatalogueService } from './service';

export async function catalogueRoutes(
  app: FastifyInstance,
  { catalogue }: { catalogue: CatalogueService },
) {
  typed(app).get(
    '/api/orgs/:orgId/catalogue',
    {
      // Those who see their people's dashboards assign them modules; learners see theirs on Today.
      config: { roles: VIEWERS },
      schema: {
        tags: ['assignments'],
        summary:
          'Published modules to assign, by title: their published version’s title, summary, ' +
          'tool, targets, lessons and length (no drafts, no answers)',
        params: orgIdParamsSchema,
        querystring: catalogueQuerySchema,
        response: { 200: catalogueSchema, ...tenant },
      },
    },
    async (request) => catalogue.list(currentMembership(request).orgId, request.query),
  );
}
