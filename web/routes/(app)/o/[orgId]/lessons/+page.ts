import { lookupQuerySchema } from '$shared/lookup';
import { api } from '$lib/api';
import { failLoad } from '$lib/navigation';
import type { PageLoad } from './$types';

/** The learner's lessons by module, or those matching `?q=` (bookmarkable, like any search). */
export const load: PageLoad = async ({ params, url }) => {
  // A query the API would refuse (blank, too long) lists everything rather than failing.
  const { q } =
    lookupQuerySchema.safeParse({ q: url.searchParams.get('q') ?? undefined }).data ?? {};
  try {
    return { q: q ?? '', lookup: await api.myLessons(params.orgId, q) };
  } catch (e) {
    failLoad(e, url.pathname);
  }
};
