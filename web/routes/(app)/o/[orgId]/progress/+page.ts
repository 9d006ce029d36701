import { api } from '$lib/api';
import { failLoad } from '$lib/navigation';
import type { PageLoad } from './$types';

/** The learner's modules with lessons done, recall now and the next refresher. */
export const load: PageLoad = async ({ params, url }) => {
  try {
    const [profile, { items: modules }] = await Promise.all([
      api.learnerProfile(params.orgId),
      api.myModules(params.orgId),
    ]);
    return { profile, modules };
  } catch (e) {
    failLoad(e, url.pathname);
  }
};
