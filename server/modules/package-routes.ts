import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  importResultSchema,
  MODULE_PACKAGE_FORMAT,
  MODULE_PACKAGE_MAX_BYTES,
  modulePackageSchema,
} from '../../shared/module-package';
import { moduleParamsSchema } from '../../shared/modules';
import { orgIdParamsSchema } from '../../shared/orgs';
import { errorResponses, tenant, typed } from '../lib/http';
import { currentMembership } from '../plugins/auth';
import type { ModulePackageService } from './package-service';

const AUTHORS = ['admin', 'trainer'] as const;
const tags = ['module files'];
const base = '/api/orgs/:orgId/modules';
export const MODULE_PACKAGE_SCHEMA_PATH = '/api/schemas/module-package.json';

/** The module file format as JSON Schema (draft 2020-12); `$id` is added per request. */
const { $schema, ...packageJsonSchema } = z.toJSONSchema(modulePackageSchema, { io: 'input' });
const schemaDocument = ($id: string) => ({
  $schema,
  $id,
  title: `Rappel module file (${MODULE_PACKAGE_FORMAT})`,
  description:
    'A module with its lessons, cards, persona variants and images, exported from Rappel. ' +
    'Rules beyond this schema (references inside the file, image types, unique ids) are ' +
    'checked on import.',
  ...packageJsonSchema,
});

export async function modulePackageRoutes(
  app: FastifyInstance,
  { packages }: { packages: ModulePackageService },
) {
  const r = typed(app);

  r.get(
    `${base}/:moduleId/export`,
    {
      config: { roles: AUTHORS },
      schema: {
        tags,
        summary: `Export a module's working copy as a module file (${MODULE_PACKAGE_FORMAT})`,
        params: moduleParamsSchema,
        response: { 200: modulePackageSchema, ...tenant },
      },
    },
    async (request, reply) => {
      const { orgId } = currentMembership(request);
      const { file, fileName } = await packages.exportModule(orgId, request.params.moduleId);
      return reply.header('content-disposition', `attachment; filename="${fileName}"`).send(file);
    },
  );

  r.post(
    `${base}/import`,
    {
      // Decoding, checking and storing 25 MB of images can take the embedded database seconds
      // on a busy machine; a 503 while the import goes on to commit would invite a second one.
      config: { roles: AUTHORS, deadlineMs: 120_000 },
      bodyLimit: MODULE_PACKAGE_MAX_BYTES,
      schema: {
        tags,
        summary: 'Import a module file as a new draft module (trainer, admin)',
        description:
          'Nothing is imported unless the whole file is valid. The tool, process, job roles, ' +
          'teams and personas are matched by name; missing tools, processes and personas are ' +
          'created, missing job roles and teams are left out and listed.',
        params: orgIdParamsSchema,
        body: modulePackageSchema,
        response: { 201: importResultSchema, ...tenant, ...errorResponses(409, 413) },
      },
    },
    async (request, reply) => {
      const { orgId, userId } = currentMembership(request);
      return reply.code(201).send(await packages.importModule(orgId, userId, request.body));
    },
  );

  r.get(
    MODULE_PACKAGE_SCHEMA_PATH,
    {
      config: { public: true },
      schema: {
        tags,
        summary: `The module file format (${MODULE_PACKAGE_FORMAT}) as JSON Schema`,
        security: [],
        response: { 200: z.record(z.string(), z.unknown()) },
      },
    },
    async (request, reply) => {
      const $id = `${request.protocol}://${request.host}${MODULE_PACKAGE_SCHEMA_PATH}`;
      return reply.type('application/schema+json').send(schemaDocument($id));
    },
  );
}
