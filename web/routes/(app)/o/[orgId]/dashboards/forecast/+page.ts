import { failLoad } from '$lib/navigation';
import { filtersFrom } from '$lib/components/dashboards/filters';
import { dashboardApi } from '../dashboard-api';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ params, url }) => {
  const filters = filtersFrom(url.searchParams);
  try {
    return { filters, forecast: await dashboardApi.forecast(params.orgId, filters) };
  } catch (e) {
    failLoad(e, url.pathname + url.search);
  }
};
