import { api } from '$lib/api';
import { failLoad } from '$lib/navigation';
import type { PageLoad } from './$types';

/** Today's refreshers (those within the daily budget), in the order the API chose. */
export const load: PageLoad = async ({ params, url }) => {
  try {
    const [profile, today] = await Promise.all([
      api.learnerProfile(params.orgId),
      api.today(params.orgId),
    ]);
    return { profile, today };
  } catch (e) {
    failLoad(e, url.pathname);
  }
};
