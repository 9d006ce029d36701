import type { FastifyInstance } from 'fastify';
import {
  memberListSchema,
  memberParamsSchema,
  memberSchema,
  orgIdParamsSchema,
  updateMemberBodySchema,
} from '../../shared/orgs';
import { errorResponses, tenant, typed } from '../lib/http';
import { currentMembership } from '../plugins/auth';
import type { MemberService } from './service';

export async function memberRoutes(app: FastifyInstance, { members }: { members: MemberService }) {
  const r = typed(app);

  r.get(
    '/api/orgs/:orgId/members',
    {
      config: { roles: ['admin', 'trainer'] },
      schema: {
        tags: ['people'],
        summary: 'Members of the organisation with their roles, team and job role',
        params: orgIdParamsSchema,
        response: { 200: memberListSchema, ...tenant },
      },
    },
    async (request) => ({ items: await members.list(currentMembership(request).orgId) }),
  );

  r.patch(
    '/api/orgs/:orgId/members/:userId',
    {
      config: { roles: ['admin'] },
      schema: {
        tags: ['people'],
        summary: 'Change roles, team, job role; deactivate (sessions end) or reactivate (admin)',
        params: memberParamsSchema,
        body: updateMemberBodySchema,
        response: { 200: memberSchema, ...tenant, ...errorResponses(409) },
      },
    },
    async (request) =>
      members.update(currentMembership(request).orgId, request.params.userId, request.body),
  );
}
