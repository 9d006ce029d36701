import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  calendarDaysQuerySchema,
  calendarDaysSchema,
  calendarSettingsBodySchema,
  calendarSettingsSchema,
  closureParamsSchema,
  closureSchema,
  countriesQuerySchema,
  countriesSchema,
  createClosureBodySchema,
} from '../../shared/calendar';
import { orgIdParamsSchema } from '../../shared/orgs';
import { signedIn, tenant, typed } from '../lib/http';
import { currentMembership, currentUser } from '../plugins/auth';
import type { CalendarService } from './settings-service';

const tags = ['calendar'];
const base = '/api/orgs/:orgId/calendar';
const ADMIN = ['admin'] as const;

/**
 * The organisation's working days: admins set them; every member reads them (a learner's Today
 * may say "day off").
 */
export async function calendarRoutes(
  app: FastifyInstance,
  { calendar }: { calendar: CalendarService },
) {
  const r = typed(app);
  const orgOf = (request: FastifyRequest) => currentMembership(request).orgId;

  r.get(
    base,
    {
      schema: {
        tags,
        summary: "The organisation's country, region, working weekdays and coming closures",
        params: orgIdParamsSchema,
        response: { 200: calendarSettingsSchema, ...tenant },
      },
    },
    async (request) => calendar.get(orgOf(request)),
  );

  r.put(
    base,
    {
      config: { roles: ADMIN },
      schema: {
        tags,
        summary:
          'Set the country whose public holidays are days off, its region and the working ' +
          'weekdays (admin)',
        params: orgIdParamsSchema,
        body: calendarSettingsBodySchema,
        response: { 200: calendarSettingsSchema, ...tenant },
      },
    },
    async (request) => calendar.update(orgOf(request), request.body),
  );

  r.get(
    `${base}/days`,
    {
      schema: {
        tags,
        summary:
          'Every day off from a date (default today) for some months, with its reason: ' +
          'week end, public holiday (its name) or closure (its label)',
        params: orgIdParamsSchema,
        querystring: calendarDaysQuerySchema,
        response: { 200: calendarDaysSchema, ...tenant },
      },
    },
    async (request) => calendar.days(orgOf(request), request.query, currentUser(request).locale),
  );

  r.post(
    `${base}/closures`,
    {
      config: { roles: ADMIN },
      schema: {
        tags,
        summary: 'Add a closure: one day or a range of days off of its own (admin)',
        params: orgIdParamsSchema,
        body: createClosureBodySchema,
        response: { 201: closureSchema, ...tenant },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await calendar.addClosure(orgOf(request), request.body)),
  );

  r.delete(
    `${base}/closures/:closureId`,
    {
      config: { roles: ADMIN },
      schema: {
        tags,
        summary: 'Remove a closure (admin)',
        params: closureParamsSchema,
        response: { 204: z.null(), ...tenant },
      },
    },
    async (request, reply) => {
      await calendar.removeClosure(orgOf(request), request.params.closureId);
      return reply.code(204).send(null);
    },
  );

  r.get(
    '/api/calendar/countries',
    {
      schema: {
        tags,
        summary: 'The countries (and their regions) whose public holidays are known',
        querystring: countriesQuerySchema,
        response: { 200: countriesSchema, ...signedIn },
      },
    },
    async (request) => calendar.countries(request.query.locale ?? currentUser(request).locale),
  );
}
