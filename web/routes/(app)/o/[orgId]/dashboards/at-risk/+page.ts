import { failLoad } from '$lib/navigation';
import { filtersFrom } from '$lib/components/dashboards/filters';
import { dashboardApi } from '../dashboard-api';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ params, url, depends }) => {
  depends('app:at-risk');
  const filters = filtersFrom(url.searchParams);
  try {
    return { filters, atRisk: await dashboardApi.atRisk(params.orgId, filters) };
  } catch (e) {
    failLoad(e, url.pathname + url.search);
  }
};
