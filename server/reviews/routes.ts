import type { FastifyInstance } from 'fastify';
import { reviewBodySchema, reviewParamsSchema, reviewResultSchema } from '../../shared/learning';
import { errorResponses, tenant, typed } from '../lib/http';
import { currentMembership } from '../plugins/auth';
import type { ReviewService } from './service';

export async function reviewRoutes(app: FastifyInstance, { reviews }: { reviews: ReviewService }) {
  typed(app).post(
    '/api/orgs/:orgId/reviews',
    {
      // Any member: staff can be learners too; what matters is the assignment.
      schema: {
        tags: ['learner'],
        summary: 'Answer a card (idempotent by the answer id): rated, scheduled, logged',
        params: reviewParamsSchema,
        body: reviewBodySchema,
        response: { 200: reviewResultSchema, ...tenant, ...errorResponses(409) },
      },
    },
    async (request) => {
      const { orgId, userId } = currentMembership(request);
      return reviews.answer(orgId, userId, request.body);
    },
  );
}
