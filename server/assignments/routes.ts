import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  assignmentListQuerySchema,
  assignmentListSchema,
  assignmentParamsSchema,
  createAssignmentsBodySchema,
} from '../../shared/learning';
import { orgIdParamsSchema } from '../../shared/orgs';
import { errorResponses, tenant, typed } from '../lib/http';
import { currentMembership } from '../plugins/auth';
import type { AssignmentService } from './service';

const STAFF = ['admin', 'trainer', 'manager', 'referent'] as const;
const tags = ['assignments'];
const base = '/api/orgs/:orgId/assignments';

export async function assignmentRoutes(
  app: FastifyInstance,
  { assignments }: { assignments: AssignmentService },
) {
  const r = typed(app);

  r.get(
    base,
    {
      config: { roles: STAFF },
      schema: {
        tags,
        summary: "Assignments, by module or person (managers and referents: their team's)",
        params: orgIdParamsSchema,
        querystring: assignmentListQuerySchema,
        response: { 200: assignmentListSchema, ...tenant },
      },
    },
    async (request) => {
      const m = currentMembership(request);
      return { items: await assignments.list(m.orgId, m, request.query) };
    },
  );

  r.post(
    base,
    {
      config: { roles: STAFF },
      schema: {
        tags,
        summary:
          'Assign a published module to people, with a due date (managers and referents: ' +
          'their team)',
        params: orgIdParamsSchema,
        body: createAssignmentsBodySchema,
        response: { 201: assignmentListSchema, ...tenant },
      },
    },
    async (request, reply) => {
      const m = currentMembership(request);
      const items = await assignments.assign(m.orgId, m, request.body);
      return reply.code(201).send({ items });
    },
  );

  r.delete(
    `${base}/:assignmentId`,
    {
      config: { roles: STAFF },
      schema: {
        tags,
        summary: 'Remove an assignment made by hand (409 for one from the targets)',
        params: assignmentParamsSchema,
        response: { 204: z.null(), ...tenant, ...errorResponses(409) },
      },
    },
    async (request, reply) => {
      const m = currentMembership(request);
      await assignments.remove(m.orgId, m, request.params.assignmentId);
      return reply.code(204).send(null);
    },
  );
}
