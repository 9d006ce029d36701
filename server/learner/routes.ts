import type { FastifyInstance } from 'fastify';
import {
  learnerLessonParamsSchema,
  learnerModuleListSchema,
  learnerModuleParamsSchema,
  learnerModuleSchema,
  lessonProgressBodySchema,
  lessonProgressSchema,
  placementBodySchema,
  placementResultSchema,
  todaySchema,
} from '../../shared/learning';
import { orgIdParamsSchema } from '../../shared/orgs';
import { tenant, typed } from '../lib/http';
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
    `${base}/modules/:moduleId/placement`,
    {
      schema: {
        tags,
        summary:
          '"I already know this": after answering the module\'s cards (POST reviews), mark known ' +
          'the lessons whose cards were all answered right',
        params: learnerModuleParamsSchema,
        body: placementBodySchema,
        response: { 200: placementResultSchema, ...tenant },
      },
    },
    async (request) => {
      const m = currentMembership(request);
      return learner.place(m.orgId, m.userId, request.params.moduleId, request.body);
    },
  );
}
