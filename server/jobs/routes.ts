import type { FastifyInstance } from 'fastify';
import { jobSummaryListSchema } from '../../shared/jobs';
import { orgIdParamsSchema } from '../../shared/orgs';
import { tenant, typed } from '../lib/http';
import { currentMembership } from '../plugins/auth';
import type { JobStatusService } from './status';

export async function jobRoutes(app: FastifyInstance, { status }: { status: JobStatusService }) {
  typed(app).get(
    '/api/orgs/:orgId/jobs',
    {
      config: { roles: ['admin'] },
      schema: {
        tags: ['jobs'],
        summary:
          "The background jobs' state by name: last run, last success, last failure with its " +
          "reason, how many wait; this organisation's and the install's recurring upkeep",
        params: orgIdParamsSchema,
        response: { 200: jobSummaryListSchema, ...tenant },
      },
    },
    async (request) => status.summary(currentMembership(request).orgId),
  );
}
