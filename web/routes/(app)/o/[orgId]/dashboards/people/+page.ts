import { failLoad } from '$lib/navigation';
import { filtersFrom } from '$lib/components/dashboards/filters';
import { peopleApi } from './people-api';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ params, url }) => {
  const filters = filtersFrom(url.searchParams);
  try {
    return { filters, people: await peopleApi.people(params.orgId, filters) };
  } catch (e) {
    failLoad(e, url.pathname + url.search);
  }
};
