/**
 * The way to a learner's page and back: the pages that link to it say where the manager comes
 * from (`?from=at-risk`), and the learner page's back link returns there with the same filters.
 */
import { resolve } from '$app/paths';
import type { DashboardQuery } from '$shared/dashboards';
import { queryOf } from '$lib/components/dashboards/filters';

/** The dashboards that link to a learner; the overview when the address says nothing. */
export const learnerOrigins = ['overview', 'forecast', 'at-risk', 'people'] as const;
export type LearnerOrigin = (typeof learnerOrigins)[number];

/** `from` in the address, the overview when it is missing or makes no sense. */
export function originFrom(params: URLSearchParams): LearnerOrigin {
  const from = params.get('from');
  return learnerOrigins.find((o) => o === from) ?? 'overview';
}

/** A learner's page, remembering where the manager comes from and the filters of that view. */
export function learnerHref(
  orgId: string,
  userId: string,
  from: LearnerOrigin,
  filters: DashboardQuery,
): string {
  return (
    resolve('/(app)/o/[orgId]/dashboards/learners/[userId]', { orgId, userId }) +
    queryOf({ ...filters, from })
  );
}

/** The page a learner's page goes back to, with its filters. */
export function originHref(orgId: string, from: LearnerOrigin, filters: DashboardQuery): string {
  const query = queryOf({ ...filters });
  if (from === 'at-risk') return resolve('/(app)/o/[orgId]/dashboards/at-risk', { orgId }) + query;
  if (from === 'people') return resolve('/(app)/o/[orgId]/dashboards/people', { orgId }) + query;
  if (from === 'forecast') {
    return resolve('/(app)/o/[orgId]/dashboards/forecast', { orgId }) + query;
  }
  return resolve('/(app)/o/[orgId]/dashboards', { orgId }) + query;
}
