import type { FastifyInstance } from 'fastify';
import { roles } from '../../shared/common';
import { homeSchema } from '../../shared/home';
import { orgIdParamsSchema } from '../../shared/orgs';
import { tenant, typed } from '../lib/http';
import { currentMembership } from '../plugins/auth';
import type { HomeService } from './service';

/** The organisation's home: one call, the parts of the caller's roles. */
export async function homeRoutes(app: FastifyInstance, { home }: { home: HomeService }) {
  typed(app).get(
    '/api/orgs/:orgId/home',
    {
      config: { roles },
      schema: {
        tags: ['home'],
        summary:
          "What to do next, per role of the caller: the admin's set-up checklist (then the " +
          "organisation's state), the authors' modules and what needs attention, the teams a " +
          'manager or referent follows with who is at risk and what will fall under the target',
        params: orgIdParamsSchema,
        response: { 200: homeSchema, ...tenant },
      },
    },
    async (request) => {
      const m = currentMembership(request);
      return home.home(m.orgId, m);
    },
  );
}
