import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  useWeightsBodySchema,
  weightsParamsSchema,
  weightsStatusSchema,
} from '../../shared/fsrs-weights';
import { errorResponses, tenant, typed } from '../lib/http';
import { currentMembership, currentUser } from '../plugins/auth';
import type { WeightsService } from './service';

const tags = ['learning'];
const base = '/api/orgs/:orgId/settings/learning/weights';
const ADMIN = ['admin'] as const;
const READERS = ['admin', 'trainer'] as const;

/**
 * The organisation's FSRS weights: trainers and admins read the fits and how each did; admins
 * choose the weights in use and may ask for a fit now.
 */
export async function weightsRoutes(
  app: FastifyInstance,
  { weights }: { weights: WeightsService },
) {
  const r = typed(app);
  const orgOf = (request: FastifyRequest) => currentMembership(request).orgId;

  r.get(
    base,
    {
      config: { roles: READERS },
      schema: {
        tags,
        summary:
          "The organisation's fitted FSRS weights, newest first, with how each predicted " +
          'answers it had not seen against the weights then in use; which are in use (trainer, admin)',
        params: weightsParamsSchema,
        response: { 200: weightsStatusSchema, ...tenant },
      },
    },
    async (request) => weights.status(orgOf(request)),
  );

  r.put(
    base,
    {
      config: { roles: ADMIN },
      schema: {
        tags,
        summary: 'Schedule with an earlier fit, or with FSRS’s default weights (null) (admin)',
        params: weightsParamsSchema,
        body: useWeightsBodySchema,
        response: { 200: weightsStatusSchema, ...tenant },
      },
    },
    async (request) => weights.use(orgOf(request), request.body.fitId, currentUser(request).id),
  );

  r.post(
    `${base}/fits`,
    {
      config: { roles: ADMIN },
      schema: {
        tags,
        summary:
          'Fit weights to the answers now rather than at the weekly fit; 409 until there are ' +
          'enough refreshers (admin)',
        params: weightsParamsSchema,
        response: { 202: weightsStatusSchema, ...tenant, ...errorResponses(409) },
      },
    },
    async (request, reply) => reply.code(202).send(await weights.askFit(orgOf(request))),
  );
}
