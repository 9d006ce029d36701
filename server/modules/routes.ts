import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  createLessonBodySchema,
  createModuleBodySchema,
  lessonSchema,
  moduleChangesSchema,
  moduleDetailSchema,
  moduleListQuerySchema,
  moduleListSchema,
  moduleParamsSchema,
  reorderBodySchema,
  updateModuleBodySchema,
} from '../../shared/modules';
import { orgIdParamsSchema } from '../../shared/orgs';
import { errorResponses, tenant, typed } from '../lib/http';
import { currentMembership, currentUser } from '../plugins/auth';
import type { LessonService } from './lesson-service';
import type { ModuleService } from './service';

/** Only trainers and admins author modules (and see drafts). */
export const AUTHORS = ['admin', 'trainer'] as const;
const base = '/api/orgs/:orgId/modules';
const one = `${base}/:moduleId`;

export const orgOf = (request: FastifyRequest) => currentMembership(request).orgId;

export async function moduleRoutes(
  app: FastifyInstance,
  { modules, lessons }: { modules: ModuleService; lessons: LessonService },
) {
  const r = typed(app);
  const tags = ['modules'];
  const config = { roles: AUTHORS };

  r.get(
    base,
    {
      config,
      schema: {
        tags,
        summary: 'List modules by title, filtered by tool, job role or status',
        params: orgIdParamsSchema,
        querystring: moduleListQuerySchema,
        response: { 200: moduleListSchema, ...tenant },
      },
    },
    async (request) => ({ items: await modules.list(orgOf(request), request.query) }),
  );

  r.post(
    base,
    {
      config,
      schema: {
        tags,
        summary: 'Create a draft module for a tool (and process), job roles and teams',
        params: orgIdParamsSchema,
        body: createModuleBodySchema,
        response: { 201: moduleDetailSchema, ...tenant },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await modules.create(orgOf(request), request.body)),
  );

  r.get(
    one,
    {
      config,
      schema: {
        tags,
        summary: 'One module with its lessons in order',
        params: moduleParamsSchema,
        response: { 200: moduleDetailSchema, ...tenant },
      },
    },
    async (request) => modules.get(orgOf(request), request.params.moduleId),
  );

  r.patch(
    one,
    {
      config,
      schema: {
        tags,
        summary: 'Change a module, archive it, or publish an archived one again',
        params: moduleParamsSchema,
        body: updateModuleBodySchema,
        response: { 200: moduleDetailSchema, ...tenant, ...errorResponses(409) },
      },
    },
    async (request) => modules.update(orgOf(request), request.params.moduleId, request.body),
  );

  r.delete(
    one,
    {
      config,
      schema: {
        tags,
        summary: 'Delete a module that was never published (archive a published one)',
        params: moduleParamsSchema,
        response: { 204: z.null(), ...tenant, ...errorResponses(409) },
      },
    },
    async (request, reply) => {
      await modules.remove(orgOf(request), request.params.moduleId);
      return reply.code(204).send(null);
    },
  );

  r.get(
    `${one}/changes`,
    {
      config,
      schema: {
        tags,
        summary: 'What publishing would change since the latest version, and what to fix first',
        params: moduleParamsSchema,
        response: { 200: moduleChangesSchema, ...tenant },
      },
    },
    async (request) => modules.changes(orgOf(request), request.params.moduleId),
  );

  r.post(
    `${one}/publish`,
    {
      config,
      schema: {
        tags,
        summary: 'Publish the working copy as the next version (409 NOT_READY lists problems)',
        params: moduleParamsSchema,
        response: { 200: moduleDetailSchema, ...tenant, ...errorResponses(409) },
      },
    },
    async (request) =>
      modules.publish(orgOf(request), request.params.moduleId, currentUser(request).id),
  );

  r.post(
    `${one}/lessons`,
    {
      config,
      schema: {
        tags: ['lessons'],
        summary: 'Add a lesson at the end of the module',
        params: moduleParamsSchema,
        body: createLessonBodySchema,
        response: { 201: lessonSchema, ...tenant, ...errorResponses(409) },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await lessons.createLesson(orgOf(request), request.params.moduleId, request.body)),
  );

  r.put(
    `${one}/lessons/order`,
    {
      config,
      schema: {
        tags: ['lessons'],
        summary: "Reorder the module's lessons (every lesson id once)",
        params: moduleParamsSchema,
        body: reorderBodySchema,
        response: { 200: moduleDetailSchema, ...tenant },
      },
    },
    async (request) =>
      lessons.reorderLessons(orgOf(request), request.params.moduleId, request.body.ids),
  );
}
