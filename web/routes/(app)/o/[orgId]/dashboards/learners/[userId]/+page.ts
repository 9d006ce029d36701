import { failLoad } from '$lib/navigation';
import { filtersFrom } from '$lib/components/dashboards/filters';
import { dashboardApi } from '../../dashboard-api';
import { originFrom } from '../../learner-link';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ params, url, depends }) => {
  depends('app:dashboard-learner');
  const filters = filtersFrom(url.searchParams);
  try {
    return {
      filters,
      /** The dashboard the manager came from, for the way back. */
      from: originFrom(url.searchParams),
      // The whole person: every module of theirs, whatever the list was filtered on (the
      // filters only travel on, for the way back).
      drill: await dashboardApi.learner(params.orgId, params.userId, {}),
    };
  } catch (e) {
    failLoad(e, url.pathname + url.search);
  }
};
