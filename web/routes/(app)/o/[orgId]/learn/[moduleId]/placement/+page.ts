import { api } from '$lib/api';
import { failLoad } from '$lib/navigation';
import type { PageLoad } from './$types';

/**
 * "I already know this": the cards of the module's lessons this learner has neither completed
 * nor placed out of, in lesson order, for one placement check.
 */
export const load: PageLoad = async ({ params, url }) => {
  let module;
  try {
    module = await api.myModule(params.orgId, params.moduleId);
  } catch (e) {
    failLoad(e, url.pathname);
  }
  const left = module.lessons.filter((l) => !l.completedAt && !l.knownAt);
  return { module, cards: left.flatMap((l) => l.cards) };
};
