import { error } from '@sveltejs/kit';
import { api } from '$lib/api';
import { failLoad } from '$lib/navigation';
import { m } from '$lib/paraglide/messages.js';
import type { PageLoad } from './$types';

/** One of the learner's lessons to read again, as their persona sees it (the API filters). */
export const load: PageLoad = async ({ params, url }) => {
  let module;
  try {
    module = await api.myModule(params.orgId, params.moduleId);
  } catch (e) {
    failLoad(e, url.pathname);
  }
  const lesson = module.lessons.find((l) => l.id === params.lessonId);
  if (!lesson) error(404, { code: 'NOT_FOUND', message: m.error_not_found() });
  return { module, lesson };
};
