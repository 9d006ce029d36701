import type { FastifyInstance } from 'fastify';
import {
  dashboardAtRiskSchema,
  dashboardQuerySchema,
  learnerDrillDownSchema,
  learnerDrillParamsSchema,
} from '../../shared/dashboards';
import { orgIdParamsSchema } from '../../shared/orgs';
import { tenant, typed } from '../lib/http';
import { currentMembership } from '../plugins/auth';
import type { DashboardPeopleService } from './people';

/** As for the overview (routes.ts): learners see their own progress (`/me`), not dashboards. */
const VIEWERS = ['admin', 'trainer', 'manager', 'referent'] as const;
const tags = ['dashboards'];
const base = '/api/orgs/:orgId/dashboards';

export async function dashboardPeopleRoutes(
  app: FastifyInstance,
  { people }: { people: DashboardPeopleService },
) {
  const r = typed(app);

  r.get(
    `${base}/at-risk`,
    {
      config: { roles: VIEWERS },
      schema: {
        tags,
        summary:
          "Learners of the caller's scope with overdue refreshers or critical modules under " +
          'the target, most at risk first',
        params: orgIdParamsSchema,
        querystring: dashboardQuerySchema,
        response: { 200: dashboardAtRiskSchema, ...tenant },
      },
    },
    async (request) => {
      const m = currentMembership(request);
      return people.atRisk(m.orgId, m, request.query);
    },
  );

  r.get(
    `${base}/learners/:userId`,
    {
      config: { roles: VIEWERS },
      schema: {
        tags,
        summary:
          "One learner of the caller's scope: modules with recall, review history by day, " +
          'pauses (404 outside the scope)',
        params: learnerDrillParamsSchema,
        response: { 200: learnerDrillDownSchema, ...tenant },
      },
    },
    async (request) => {
      const m = currentMembership(request);
      return people.learner(m.orgId, m, request.params.userId);
    },
  );
}
