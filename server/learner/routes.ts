import type { FastifyInstance } from 'fastify';
import {
  learnerLessonParamsSchema,
  learnerModuleListSchema,
  learnerModuleParamsSchema,
  learnerModuleSchema,
  lessonProgressBodySchema,
  lessonProgressSchema,
  placementBodySchema,
  placementCheckBodySchema,
  placementCheckResultSchema,
  placementResultSchema,
  todaySchema,
} from '../../shared/learning';
import { orgIdParamsSchema } from '../../shared/orgs';
import { errorResponses, tenant, typed } from '../lib/http';
import { currentMembership } from '../plugins/auth';
import type { LearnerService } from './service';

const tags = ['learner'];
const base = '/api/orgs/:orgId/me';

/** Any member, for themselves: what is assigned to them, opened and published. */
export async function learnerRoutes(
  app: FastifyInstance,
  { learner }: { learner: LearnerService },
) {
  const r = typed(app);

  r.get(
    `${base}/today`,
    {
      schema: {
        tags,
        summary: 'Today: the next lesson, the refreshers due within the daily budget, a summary',
        params: orgIdParamsSchema,
        response: { 200: todaySchema, ...tenant },
      },
    },
    async (request) => {
      const m = currentMembership(request);
      return learner.today(m.orgId, m.userId);
    },
  );

  r.get(
    `${base}/modules`,
    {
      schema: {
        tags,
        summary: "The caller's opened modules, with progress and predicted recall",
        params: orgIdParamsSchema,
        response: { 200: learnerModuleListSchema, ...tenant },
      },
    },
    async (request) => {
      const m = currentMembership(request);
      return { items: await learner.list(m.orgId, m.userId) };
    },
  );

  r.get(
    `${base}/modules/:moduleId`,
    {
      schema: {
        tags,
        summary: "One of the caller's modules as their persona sees it; cards without answers",
        params: learnerModuleParamsSchema,
        response: { 200: learnerModuleSchema, ...tenant },
      },
    },
    async (request) => {
      const m = currentMembership(request);
      return learner.get(m.orgId, m.userId, request.params.moduleId);
    },
  );

  r.put(
    `${base}/lessons/:lessonId/progress`,
    {
      schema: {
        tags,
        summary: 'Save where the caller is in a lesson (resume); mark it completed',
        params: learnerLessonParamsSchema,
        body: lessonProgressBodySchema,
        response: { 200: lessonProgressSchema, ...tenant },
      },
    },
    async (request) => {
      const m = currentMembership(request);
      return learner.saveProgress(m.orgId, m.userId, request.params.lessonId, request.body);
    },
  );

  r.post(
    `${base}/modules/:moduleId/placement/check`,
    {
      schema: {
        tags,
        summary:
          '"I already know this": grade one answer of a placement check; records nothing, the ' +
          'card stays out of memory',
        params: learnerModuleParamsSchema,
        body: placementCheckBodySchema,
        response: { 200: placementCheckResultSchema, ...tenant },
      },
    },
    async (request) => {
      const m = currentMembership(request);
      return learner.checkPlacement(m.orgId, m.userId, request.params.moduleId, request.body);
    },
  );

  r.post(
    `${base}/modules/:moduleId/placement`,
    {
      schema: {
        tags,
        summary:
          '"I already know this": with every answer of the check, mark known the lessons whose ' +
          'cards were all answered right; only their answers are recorded as reviews',
        params: learnerModuleParamsSchema,
        body: placementBodySchema,
        // 409: an answer id already used for another answer.
        response: { 200: placementResultSchema, ...tenant, ...errorResponses(409) },
      },
    },
    async (request) => {
      const m = currentMembership(request);
      return learner.place(m.orgId, m.userId, request.params.moduleId, request.body);
    },
  );
}
