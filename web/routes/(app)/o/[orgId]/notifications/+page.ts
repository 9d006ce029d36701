import { failLoad } from '$lib/navigation';
import { notifyApi } from '$lib/notify-api';
import type { PageLoad } from './$types';

/** The caller's notifications in this organisation, the first page. */
export const load: PageLoad = async ({ params, url }) => {
  try {
    return { first: await notifyApi.list(params.orgId, { limit: 20 }) };
  } catch (e) {
    failLoad(e, url.pathname);
  }
};
