/** The organisation's FSRS weights' API calls (shared/fsrs-weights.ts), through web/lib/api.ts's `call`. */
import { weightsStatusSchema } from '$shared/fsrs-weights';
import { call } from '$lib/api';

const weightsUrl = (orgId: string) =>
  `/orgs/${encodeURIComponent(orgId)}/settings/learning/weights`;

export const weightsApi = {
  /** The fits, newest first, the weights in use and when the next fit comes. */
  status: (orgId: string) => call('GET', weightsUrl(orgId), weightsStatusSchema),
  /** Admins: schedule with this fit, or with FSRS's default weights (null). */
  use: (orgId: string, fitId: string | null) =>
    call('PUT', weightsUrl(orgId), weightsStatusSchema, { fitId }),
  /** Admins: a fit now rather than at the weekly one (409 until there are enough refreshers). */
  fitNow: (orgId: string) => call('POST', `${weightsUrl(orgId)}/fits`, weightsStatusSchema),
};
