/**
 * The dashboards' API calls (issue 5), parsed with the shared schemas like web/lib/api.ts does.
 * Kept beside the dashboard routes while web/lib/api.ts is being edited by others; the calls can
 * move there as they are.
 */
import type { z } from 'zod';
import { errorBodySchema } from '$shared/common';
import {
  dashboardAtRiskSchema,
  dashboardForecastSchema,
  dashboardOverviewSchema,
  dashboardTrueRetentionSchema,
  learnerDrillDownSchema,
  type DashboardQuery,
  type RetentionPeriod,
} from '$shared/dashboards';
import { assignmentListSchema } from '$shared/learning';
import { ApiError } from '$lib/api';

async function request<S extends z.ZodType>(
  method: 'GET' | 'POST',
  path: string,
  schema: S,
  body?: unknown,
): Promise<z.output<S>> {
  let res: Response;
  try {
    res = await fetch(`/api${path}`, {
      method,
      credentials: 'same-origin',
      headers: {
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'NETWORK', 'The server could not be reached.');
  }
  if (!res.ok) {
    const parsed = errorBodySchema.safeParse(await res.json().catch(() => undefined));
    if (parsed.success) {
      const { code, message, issues } = parsed.data.error;
      throw new ApiError(res.status, code, message, issues ?? []);
    }
    throw new ApiError(res.status, res.status >= 500 ? 'INTERNAL' : 'BAD_REQUEST', res.statusText);
  }
  return schema.parse(await res.json());
}

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
    request('GET', `${base(orgId)}/overview${query(filters)}`, dashboardOverviewSchema),
  forecast: (orgId: string, filters: DashboardQuery) =>
    request('GET', `${base(orgId)}/forecast${query(filters)}`, dashboardForecastSchema),
  trueRetention: (orgId: string, filters: DashboardQuery, period: RetentionPeriod) =>
    request(
      'GET',
      `${base(orgId)}/true-retention${query({ ...filters, period })}`,
      dashboardTrueRetentionSchema,
    ),
  atRisk: (orgId: string, filters: DashboardQuery) =>
    request('GET', `${base(orgId)}/at-risk${query(filters)}`, dashboardAtRiskSchema),
  learner: (orgId: string, userId: string, filters: DashboardQuery) =>
    request(
      'GET',
      `${base(orgId)}/learners/${encodeURIComponent(userId)}${query(filters)}`,
      learnerDrillDownSchema,
    ),
  /**
   * Assigns a module again: for an existing assignment the API keeps it (what was learnt stays)
   * and sets the new due date.
   */
  assignAgain: (orgId: string, body: { moduleId: string; userIds: string[]; dueOn: string }) =>
    request('POST', `/orgs/${encodeURIComponent(orgId)}/assignments`, assignmentListSchema, body),
};
