/**
 * The people list's call and the ones the catalogue's assign dialog makes, sent and parsed by
 * web/lib/api.ts's `call` with the shared schemas.
 */
import { catalogueSchema } from '$shared/catalogue';
import { dashboardPeopleSchema, type DashboardQuery } from '$shared/dashboards';
import { assignmentListSchema } from '$shared/learning';
import { call } from '$lib/api';
import { queryOf } from '$lib/components/dashboards/filters';

const org = (orgId: string) => `/orgs/${encodeURIComponent(orgId)}`;

export const peopleApi = {
  /** Everyone of the caller's scope within the filters, by name. */
  people: (orgId: string, filters: DashboardQuery) =>
    call('GET', `${org(orgId)}/dashboards/people${queryOf({ ...filters })}`, dashboardPeopleSchema),
  catalogue: (orgId: string) => call('GET', `${org(orgId)}/catalogue`, catalogueSchema),
  /** The assignments of a module among the caller's people: who has it already. */
  assignmentsOf: (orgId: string, moduleId: string) =>
    call('GET', `${org(orgId)}/assignments${queryOf({ moduleId })}`, assignmentListSchema),
  /**
   * Assigns a module by hand. Someone who has it already keeps their assignment (and its
   * opening); only the due date changes.
   */
  assign: (
    orgId: string,
    body: { moduleId: string; userIds: string[]; dueOn: string | null; opensAt?: string },
  ) => call('POST', `${org(orgId)}/assignments`, assignmentListSchema, body),
};
