import { error } from '@sveltejs/kit';
import { api } from '$lib/api';
import { failLoad } from '$lib/navigation';
import { m } from '$lib/paraglide/messages.js';
import type { PageLoad } from './$types';

/** One lesson of an assigned module, as this learner's persona sees it (the API filters). */
export const load: PageLoad = async ({ params, url }) => {
  let module;
  try {
    module = await api.myModule(params.orgId, params.moduleId);
  } catch (e) {
    failLoad(e, url.pathname);
  }
  const index = module.lessons.findIndex((l) => l.id === params.lessonId);
  const lesson = module.lessons[index];
  if (!lesson) error(404, { code: 'NOT_FOUND', message: m.error_not_found() });
  return { module, lesson, index };
};
