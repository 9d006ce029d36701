import { api } from '$lib/api';
import { failLoad } from '$lib/navigation';
import type { PageLoad } from './$types';

/**
 * What's new in one module: the new cards of lessons this learner has finished, as Today lists
 * them (none when there is nothing new, or the module is not theirs).
 */
export const load: PageLoad = async ({ params, url }) => {
  let today;
  try {
    today = await api.today(params.orgId);
  } catch (e) {
    failLoad(e, url.pathname);
  }
  return { entry: today.whatsNew.find((w) => w.moduleId === params.moduleId) ?? null };
};
