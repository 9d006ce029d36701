import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { errorBodySchema } from '../../shared/common';

/** The error responses a route documents, all in the one error shape. */
export function errorResponses<S extends number>(...statuses: S[]) {
  return Object.fromEntries(statuses.map((s) => [s, errorBodySchema])) as Record<
    S,
    typeof errorBodySchema
  >;
}

/** Errors every signed-in route can answer. */
export const signedIn = errorResponses(400, 401, 403);
/** Errors every `/api/orgs/:orgId/…` route can answer. */
export const tenant = errorResponses(400, 401, 403, 404);

export function typed(app: FastifyInstance) {
  return app.withTypeProvider<ZodTypeProvider>();
}
