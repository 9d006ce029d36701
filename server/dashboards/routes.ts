import type { FastifyInstance } from 'fastify';
import {
  dashboardAtRiskSchema,
  dashboardForecastPageSchema,
  dashboardOverviewSchema,
  dashboardPeopleSchema,
  dashboardQuerySchema,
  dashboardTrueRetentionSchema,
  forecastQuerySchema,
  learnerDrillDownSchema,
  learnerDrillParamsSchema,
  trueRetentionQuerySchema,
} from '../../shared/dashboards';
import { orgIdParamsSchema } from '../../shared/orgs';
import { tenant, typed } from '../lib/http';
import { currentMembership } from '../plugins/auth';
import type { DashboardPeopleService } from './people/service';
import type { DashboardService } from './service';

/** Learners see their own progress (`/me`), not dashboards. */
export const VIEWERS = ['admin', 'trainer', 'manager', 'referent'] as const;
const tags = ['dashboards'];
const base = '/api/orgs/:orgId/dashboards';

/** Every dashboard report, one route each, all for the same viewers. */
export async function dashboardRoutes(
  app: FastifyInstance,
  { dashboards, people }: { dashboards: DashboardService; people: DashboardPeopleService },
) {
  const r = typed(app);

  r.get(
    `${base}/overview`,
    {
      config: { roles: VIEWERS },
      schema: {
        tags,
        summary:
          "Retention overview of the caller's scope: recall now against the target, team × " +
          'module heatmap, persona and job-role breakdowns, completion funnel',
        params: orgIdParamsSchema,
        querystring: dashboardQuerySchema,
        response: { 200: dashboardOverviewSchema, ...tenant },
      },
    },
    async (request) => {
      const m = currentMembership(request);
      return dashboards.overview(m.orgId, m, request.query);
    },
  );

  r.get(
    `${base}/forecast`,
    {
      config: { roles: VIEWERS },
      schema: {
        tags,
        summary:
          'Predicted recall of each team × module over the next 60 days, without reviews and ' +
          'with the scheduled refreshers, the day it crosses the target, and who will be under ' +
          'it on each process’s next use; the series most in need of attention first, a page ' +
          'at a time',
        params: orgIdParamsSchema,
        querystring: forecastQuerySchema,
        response: { 200: dashboardForecastPageSchema, ...tenant },
      },
    },
    async (request) => {
      const m = currentMembership(request);
      return dashboards.forecastPage(m.orgId, m, request.query);
    },
  );

  r.get(
    `${base}/true-retention`,
    {
      config: { roles: VIEWERS },
      schema: {
        tags,
        summary:
          'True retention: pass rate of refreshers (answered a day or more after the previous ' +
          'review), young and mature, per week, month or quarter, beside the predicted recall',
        params: orgIdParamsSchema,
        querystring: trueRetentionQuerySchema,
        response: { 200: dashboardTrueRetentionSchema, ...tenant },
      },
    },
    async (request) => {
      const m = currentMembership(request);
      return dashboards.trueRetention(m.orgId, m, request.query);
    },
  );

  r.get(
    `${base}/at-risk`,
    {
      config: { roles: VIEWERS },
      schema: {
        tags,
        summary:
          "Learners of the caller's scope with overdue refreshers or critical modules under " +
          'the target, most at risk first',
        params: orgIdParamsSchema,
        querystring: dashboardQuerySchema,
        response: { 200: dashboardAtRiskSchema, ...tenant },
      },
    },
    async (request) => {
      const m = currentMembership(request);
      return people.atRisk(m.orgId, m, request.query);
    },
  );

  r.get(
    `${base}/people`,
    {
      config: { roles: VIEWERS },
      schema: {
        tags,
        summary:
          "Everyone of the caller's scope, by name: recall now, progress, last activity, " +
          'overdue refreshers, at risk or not, pause (with a team and a module: a heatmap cell)',
        params: orgIdParamsSchema,
        querystring: dashboardQuerySchema,
        response: { 200: dashboardPeopleSchema, ...tenant },
      },
    },
    async (request) => {
      const m = currentMembership(request);
      return people.people(m.orgId, m, request.query);
    },
  );

  r.get(
    `${base}/learners/:userId`,
    {
      config: { roles: VIEWERS },
      schema: {
        tags,
        summary:
          "One learner of the caller's scope: modules with recall, review history by day, " +
          'pauses (404 outside the scope)',
        params: learnerDrillParamsSchema,
        response: { 200: learnerDrillDownSchema, ...tenant },
      },
    },
    async (request) => {
      const m = currentMembership(request);
      return people.learner(m.orgId, m, request.params.userId);
    },
  );
}
