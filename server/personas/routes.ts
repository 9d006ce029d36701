import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { roles } from '../../shared/common';
import { orgIdParamsSchema } from '../../shared/orgs';
import {
  createPersonaBodySchema,
  personaListSchema,
  personaParamsSchema,
  personaRulesBodySchema,
  personaRulesSchema,
  personaSchema,
  previewRulesBodySchema,
  previewRulesResultSchema,
  updatePersonaBodySchema,
} from '../../shared/personas';
import { errorResponses, tenant, typed } from '../lib/http';
import { currentMembership } from '../plugins/auth';
import type { PersonaService } from './service';

// Learners read personas too: they pick their own later.
const MEMBERS = roles;
const AUTHORS = ['admin', 'trainer'] as const;
const tags = ['personas'];
const base = '/api/orgs/:orgId/personas';

export async function personaRoutes(
  app: FastifyInstance,
  { personas }: { personas: PersonaService },
) {
  const r = typed(app);

  r.get(
    base,
    {
      config: { roles: MEMBERS },
      schema: {
        tags,
        summary: 'List personas, in order',
        params: orgIdParamsSchema,
        response: { 200: personaListSchema, ...tenant },
      },
    },
    async (request) => ({ items: await personas.list(currentMembership(request).orgId) }),
  );

  r.post(
    base,
    {
      config: { roles: AUTHORS },
      schema: {
        tags,
        summary: 'Create a persona (trainer, admin)',
        params: orgIdParamsSchema,
        body: createPersonaBodySchema,
        response: { 201: personaSchema, ...tenant, ...errorResponses(409) },
      },
    },
    async (request, reply) => {
      const persona = await personas.create(currentMembership(request).orgId, request.body);
      return reply.code(201).send(persona);
    },
  );

  r.get(
    `${base}/:personaId`,
    {
      config: { roles: MEMBERS },
      schema: {
        tags,
        summary: 'One persona',
        params: personaParamsSchema,
        response: { 200: personaSchema, ...tenant },
      },
    },
    async (request) => personas.get(currentMembership(request).orgId, request.params.personaId),
  );

  r.patch(
    `${base}/:personaId`,
    {
      config: { roles: AUTHORS },
      schema: {
        tags,
        summary: 'Change a persona (trainer, admin)',
        params: personaParamsSchema,
        body: updatePersonaBodySchema,
        response: { 200: personaSchema, ...tenant, ...errorResponses(409) },
      },
    },
    async (request) =>
      personas.update(currentMembership(request).orgId, request.params.personaId, request.body),
  );

  r.delete(
    `${base}/:personaId`,
    {
      config: { roles: AUTHORS },
      schema: {
        tags,
        summary: 'Delete a persona; refused (409 IN_USE) while onboarding rules use it',
        params: personaParamsSchema,
        response: { 204: z.null(), ...tenant, ...errorResponses(409) },
      },
    },
    async (request, reply) => {
      await personas.remove(currentMembership(request).orgId, request.params.personaId);
      return reply.code(204).send(null);
    },
  );

  ruleRoutes(app, personas);
}

/** The onboarding rules: read by every member, edited and tried by trainers and admins. */
function ruleRoutes(app: FastifyInstance, personas: PersonaService) {
  const r = typed(app);

  r.get(
    `${base}/rules`,
    {
      config: { roles: MEMBERS },
      schema: {
        tags,
        summary: 'The onboarding rules that map answers to a persona',
        params: orgIdParamsSchema,
        response: { 200: personaRulesSchema, ...tenant },
      },
    },
    async (request) => personas.rules(currentMembership(request).orgId),
  );

  r.put(
    `${base}/rules`,
    {
      config: { roles: AUTHORS },
      schema: {
        tags,
        summary: 'Replace the onboarding rules (trainer, admin); first match wins',
        params: orgIdParamsSchema,
        body: personaRulesBodySchema,
        response: { 200: personaRulesSchema, ...tenant },
      },
    },
    async (request) => personas.replaceRules(currentMembership(request).orgId, request.body),
  );

  r.post(
    `${base}/rules/preview`,
    {
      config: { roles: AUTHORS },
      schema: {
        tags,
        summary: 'Try answers against the saved rules, or against draft rules',
        params: orgIdParamsSchema,
        body: previewRulesBodySchema,
        response: { 200: previewRulesResultSchema, ...tenant },
      },
    },
    async (request) =>
      personas.preview(currentMembership(request).orgId, request.body.answers, request.body.rules),
  );
}
