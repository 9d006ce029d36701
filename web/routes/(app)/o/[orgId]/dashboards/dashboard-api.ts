/**
 * The dashboards' API calls (issue 5), beside their routes, sent and parsed by web/lib/api.ts's
 * `call` with the shared schemas.
 */
import {
  dashboardAtRiskSchema,
  dashboardForecastPageSchema,
  dashboardOverviewSchema,
  dashboardTrueRetentionSchema,
  learnerDrillDownSchema,
  type DashboardQuery,
  type RetentionPeriod,
} from '$shared/dashboards';
import { assignmentListSchema } from '$shared/learning';
import { call } from '$lib/api';

/** `?teamId=…&period=…` from the defined values. */
function query(values: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) if (value) params.set(key, value);
  const text = params.toString();
  return text ? `?${text}` : '';
}

const base = (orgId: string) => `/orgs/${encodeURIComponent(orgId)}/dashboards`;

export const dashboardApi = {
  overview: (orgId: string, filters: DashboardQuery) =>
    call('GET', `${base(orgId)}/overview${query(filters)}`, dashboardOverviewSchema),
  /** One page of the forecast's series, most in need of attention first (from `offset`). */
  forecast: (orgId: string, filters: DashboardQuery, offset = 0) =>
    call(
      'GET',
      `${base(orgId)}/forecast${query({ ...filters, offset: offset ? String(offset) : undefined })}`,
      dashboardForecastPageSchema,
    ),
  trueRetention: (orgId: string, filters: DashboardQuery, period: RetentionPeriod) =>
    call(
      'GET',
      `${base(orgId)}/true-retention${query({ ...filters, period })}`,
      dashboardTrueRetentionSchema,
    ),
  atRisk: (orgId: string, filters: DashboardQuery) =>
    call('GET', `${base(orgId)}/at-risk${query(filters)}`, dashboardAtRiskSchema),
  learner: (orgId: string, userId: string, filters: DashboardQuery) =>
    call(
      'GET',
      `${base(orgId)}/learners/${encodeURIComponent(userId)}${query(filters)}`,
      learnerDrillDownSchema,
    ),
  /**
   * Assigns a module again: for an existing assignment the API keeps it (what was learnt stays)
   * and sets the new due date.
   */
  assignAgain: (orgId: string, body: { moduleId: string; userIds: string[]; dueOn: string }) =>
    call('POST', `/orgs/${encodeURIComponent(orgId)}/assignments`, assignmentListSchema, body),
};
