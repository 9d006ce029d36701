/** The home's API call, beside its route, sent and parsed by web/lib/api.ts's `call`. */
import { homeSchema } from '$shared/home';
import { call } from '$lib/api';

export const homeApi = {
  /** The parts of the home for the caller's roles (server/home/). */
  home: (orgId: string) => call('GET', `/orgs/${encodeURIComponent(orgId)}/home`, homeSchema),
};
