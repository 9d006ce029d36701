/** The job runner's status screen's API call (shared/jobs.ts), through web/lib/api.ts's `call`. */
import { jobSummaryListSchema } from '$shared/jobs';
import { call } from '$lib/api';

export const jobsApi = {
  /** Admins: the background jobs of the organisation and the install's upkeep, by name. */
  summary: (orgId: string) =>
    call('GET', `/orgs/${encodeURIComponent(orgId)}/jobs`, jobSummaryListSchema),
};
