import type { FastifyInstance } from 'fastify';
import {
  createOrgBodySchema,
  createOrgResultSchema,
  orgIdParamsSchema,
  orgSchema,
  updateOrgBodySchema,
} from '../../shared/orgs';
import { signedIn, tenant, typed } from '../lib/http';
import { currentMembership, currentUser } from '../plugins/auth';
import type { OrgService } from './service';

export async function orgRoutes(app: FastifyInstance, { orgs }: { orgs: OrgService }) {
  const r = typed(app);

  r.post(
    '/api/orgs',
    {
      schema: {
        tags: ['organisations'],
        summary:
          'Create an organisation (admins, trainers, people without one); the caller becomes its admin',
        body: createOrgBodySchema,
        response: { 201: createOrgResultSchema, ...signedIn },
      },
    },
    async (request, reply) => {
      const orgId = await orgs.create(currentUser(request).id, request.body.name);
      return reply.code(201).send({ orgId });
    },
  );

  r.get(
    '/api/orgs/:orgId',
    {
      schema: {
        tags: ['organisations'],
        summary: 'One organisation the caller belongs to',
        params: orgIdParamsSchema,
        response: { 200: orgSchema, ...tenant },
      },
    },
    async (request) => orgs.get(currentMembership(request).orgId),
  );

  r.patch(
    '/api/orgs/:orgId',
    {
      config: { roles: ['admin'] },
      schema: {
        tags: ['organisations'],
        summary: 'Rename the organisation (admin)',
        params: orgIdParamsSchema,
        body: updateOrgBodySchema,
        response: { 200: orgSchema, ...tenant },
      },
    },
    async (request) => orgs.rename(currentMembership(request).orgId, request.body.name),
  );
}
