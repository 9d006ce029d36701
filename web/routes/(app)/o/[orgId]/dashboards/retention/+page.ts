import { failLoad } from '$lib/navigation';
import { filtersFrom, periodFrom } from '$lib/components/dashboards/filters';
import { dashboardApi } from '../dashboard-api';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ params, url }) => {
  const filters = filtersFrom(url.searchParams);
  const period = periodFrom(url.searchParams);
  try {
    return {
      filters,
      period,
      retention: await dashboardApi.trueRetention(params.orgId, filters, period),
    };
  } catch (e) {
    failLoad(e, url.pathname + url.search);
  }
};
