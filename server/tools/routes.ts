import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { orgIdParamsSchema } from '../../shared/orgs';
import {
  createProcessBodySchema,
  createToolBodySchema,
  nextUsesQuerySchema,
  nextUsesResultSchema,
  processParamsSchema,
  processSchema,
  toolDetailSchema,
  toolListSchema,
  toolParamsSchema,
  updateProcessBodySchema,
  updateToolBodySchema,
} from '../../shared/tools';
import { errorResponses, tenant, typed } from '../lib/http';
import { currentMembership } from '../plugins/auth';
import type { ToolService } from './service';

const STAFF = ['admin', 'trainer', 'manager', 'referent'] as const;
const AUTHORS = ['admin', 'trainer'] as const;
const base = '/api/orgs/:orgId/tools';
const processUrl = '/api/orgs/:orgId/processes/:processId';

export async function toolRoutes(app: FastifyInstance, { tools }: { tools: ToolService }) {
  const r = typed(app);
  const tags = ['tools'];
  const orgOf = (request: Parameters<typeof currentMembership>[0]) =>
    currentMembership(request).orgId;

  r.get(
    base,
    {
      config: { roles: STAFF },
      schema: {
        tags,
        summary: 'List tools with their process counts',
        params: orgIdParamsSchema,
        response: { 200: toolListSchema, ...tenant },
      },
    },
    async (request) => ({ items: await tools.list(orgOf(request)) }),
  );

  r.post(
    base,
    {
      config: { roles: AUTHORS },
      schema: {
        tags,
        summary: 'Create a tool (trainer, admin)',
        params: orgIdParamsSchema,
        body: createToolBodySchema,
        response: { 201: toolDetailSchema, ...tenant, ...errorResponses(409) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await tools.create(orgOf(request), request.body)),
  );

  r.get(
    `${base}/:toolId`,
    {
      config: { roles: STAFF },
      schema: {
        tags,
        summary: 'One tool with its processes',
        params: toolParamsSchema,
        response: { 200: toolDetailSchema, ...tenant },
      },
    },
    async (request) => tools.get(orgOf(request), request.params.toolId),
  );

  r.patch(
    `${base}/:toolId`,
    {
      config: { roles: AUTHORS },
      schema: {
        tags,
        summary: 'Change a tool (trainer, admin)',
        params: toolParamsSchema,
        body: updateToolBodySchema,
        response: { 200: toolDetailSchema, ...tenant, ...errorResponses(409) },
      },
    },
    async (request) => tools.update(orgOf(request), request.params.toolId, request.body),
  );

  r.delete(
    `${base}/:toolId`,
    {
      config: { roles: AUTHORS },
      schema: {
        tags,
        summary: 'Delete a tool and its processes; IN_USE while modules use it (trainer, admin)',
        params: toolParamsSchema,
        response: { 204: z.null(), ...tenant, ...errorResponses(409) },
      },
    },
    async (request, reply) => {
      await tools.remove(orgOf(request), request.params.toolId);
      return reply.code(204).send(null);
    },
  );

  processRoutes(app, tools, orgOf);
}

function processRoutes(
  app: FastifyInstance,
  tools: ToolService,
  orgOf: (request: Parameters<typeof currentMembership>[0]) => string,
) {
  const r = typed(app);
  const tags = ['processes'];

  r.post(
    `${base}/:toolId/processes`,
    {
      config: { roles: AUTHORS },
      schema: {
        tags,
        summary: 'Add a process to a tool (trainer, admin)',
        params: toolParamsSchema,
        body: createProcessBodySchema,
        response: { 201: processSchema, ...tenant, ...errorResponses(409) },
      },
    },
    async (request, reply) => {
      const process = await tools.createProcess(
        orgOf(request),
        request.params.toolId,
        request.body,
      );
      return reply.code(201).send(process);
    },
  );

  r.patch(
    processUrl,
    {
      config: { roles: AUTHORS },
      schema: {
        tags,
        summary: 'Change a process and its next-use dates (trainer, admin)',
        params: processParamsSchema,
        body: updateProcessBodySchema,
        response: { 200: processSchema, ...tenant, ...errorResponses(409) },
      },
    },
    async (request) => tools.updateProcess(orgOf(request), request.params.processId, request.body),
  );

  r.delete(
    processUrl,
    {
      config: { roles: AUTHORS },
      schema: {
        tags,
        summary: 'Delete a process; 409 IN_USE while modules use it (trainer, admin)',
        params: processParamsSchema,
        response: { 204: z.null(), ...tenant, ...errorResponses(409) },
      },
    },
    async (request, reply) => {
      await tools.removeProcess(orgOf(request), request.params.processId);
      return reply.code(204).send(null);
    },
  );

  r.get(
    `${processUrl}/next-uses`,
    {
      config: { roles: STAFF },
      schema: {
        tags,
        summary: "The next dates the process is used, on the organisation's working days",
        params: processParamsSchema,
        querystring: nextUsesQuerySchema,
        response: { 200: nextUsesResultSchema, ...tenant },
      },
    },
    async (request) =>
      tools.nextUses(
        orgOf(request),
        request.params.processId,
        request.query.count,
        request.query.from,
      ),
  );
}
