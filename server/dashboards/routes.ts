import type { FastifyInstance } from 'fastify';
import { dashboardOverviewSchema, dashboardQuerySchema } from '../../shared/dashboards';
import { orgIdParamsSchema } from '../../shared/orgs';
import { tenant, typed } from '../lib/http';
import { currentMembership } from '../plugins/auth';
import type { DashboardService } from './service';

/** Learners see their own progress (`/me`), not dashboards. */
const VIEWERS = ['admin', 'trainer', 'manager', 'referent'] as const;
const tags = ['dashboards'];
const base = '/api/orgs/:orgId/dashboards';

export async function dashboardRoutes(
  app: FastifyInstance,
  { dashboards }: { dashboards: DashboardService },
) {
  const r = typed(app);

  r.get(
    `${base}/overview`,
    {
      config: { roles: VIEWERS },
      schema: {
        tags,
        summary:
          "Retention overview of the caller's scope: recall now against the target, team × " +
          'module heatmap, persona and job-role breakdowns, completion funnel',
        params: orgIdParamsSchema,
        querystring: dashboardQuerySchema,
        response: { 200: dashboardOverviewSchema, ...tenant },
      },
    },
    async (request) => {
      const m = currentMembership(request);
      return dashboards.overview(m.orgId, m, request.query);
    },
  );
}
