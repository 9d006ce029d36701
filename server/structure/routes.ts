import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  jobRoleParamsSchema,
  namedItemBodySchema,
  namedItemListSchema,
  namedItemSchema,
  orgIdParamsSchema,
  teamParamsSchema,
} from '../../shared/orgs';
import { errorResponses, tenant, typed } from '../lib/http';
import { currentMembership } from '../plugins/auth';
import type { StructureKind } from './repository';
import type { StructureService } from './service';

const STAFF = ['admin', 'trainer', 'manager', 'referent'] as const;
const ADMIN = ['admin'] as const;

/** Registers the same five routes for teams and for job roles. */
function itemRoutes(
  app: FastifyInstance,
  structure: StructureService,
  kind: StructureKind,
  path: string,
  itemParams: typeof teamParamsSchema | typeof jobRoleParamsSchema,
  idOf: (params: Record<string, string>) => string,
) {
  const r = typed(app);
  const tags = [path];
  const base = `/api/orgs/:orgId/${path}`;
  const itemUrl = `${base}/:${kind === 'team' ? 'teamId' : 'jobRoleId'}`;

  r.get(
    base,
    {
      config: { roles: STAFF },
      schema: {
        tags,
        summary: `List ${path}`,
        params: orgIdParamsSchema,
        response: { 200: namedItemListSchema, ...tenant },
      },
    },
    async (request) => ({ items: await structure.list(kind, currentMembership(request).orgId) }),
  );

  r.post(
    base,
    {
      config: { roles: ADMIN },
      schema: {
        tags,
        summary: `Create one of the ${path} (admin)`,
        params: orgIdParamsSchema,
        body: namedItemBodySchema,
        response: { 201: namedItemSchema, ...tenant, ...errorResponses(409) },
      },
    },
    async (request, reply) => {
      const item = await structure.create(
        kind,
        currentMembership(request).orgId,
        request.body.name,
      );
      return reply.code(201).send(item);
    },
  );

  r.patch(
    itemUrl,
    {
      config: { roles: ADMIN },
      schema: {
        tags,
        summary: `Rename one of the ${path} (admin)`,
        params: itemParams,
        body: namedItemBodySchema,
        response: { 200: namedItemSchema, ...tenant, ...errorResponses(409) },
      },
    },
    async (request) =>
      structure.rename(
        kind,
        currentMembership(request).orgId,
        idOf(request.params),
        request.body.name,
      ),
  );

  r.delete(
    itemUrl,
    {
      config: { roles: ADMIN },
      schema: {
        tags,
        summary: `Delete one of the ${path}; refused (409 IN_USE) while members or invitations use it`,
        params: itemParams,
        response: { 204: z.null(), ...tenant, ...errorResponses(409) },
      },
    },
    async (request, reply) => {
      await structure.remove(kind, currentMembership(request).orgId, idOf(request.params));
      return reply.code(204).send(null);
    },
  );
}

export async function structureRoutes(
  app: FastifyInstance,
  { structure }: { structure: StructureService },
) {
  itemRoutes(app, structure, 'team', 'teams', teamParamsSchema, (p) => p.teamId!);
  itemRoutes(app, structure, 'jobRole', 'job-roles', jobRoleParamsSchema, (p) => p.jobRoleId!);
}
