import { error } from '@sveltejs/kit';
import { api } from '$lib/api';
import { failLoad } from '$lib/navigation';
import { m } from '$lib/paraglide/messages.js';
import { can } from '$lib/permissions';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ parent, params, url }) => {
  const { membership } = await parent();
  if (!can(membership.roles, 'author')) {
    error(403, { code: 'FORBIDDEN', message: m.error_forbidden() });
  }
  let result;
  try {
    const [lesson, module, { items: personas }] = await Promise.all([
      api.lesson(params.orgId, params.lessonId),
      api.module(params.orgId, params.moduleId),
      api.personas(params.orgId),
    ]);
    result = { lesson, module, personas };
  } catch (e) {
    failLoad(e, url.pathname);
  }
  // A lesson reached through another module's address does not exist there.
  if (result.lesson.moduleId !== params.moduleId) {
    error(404, { code: 'NOT_FOUND', message: m.error_not_found() });
  }
  return result;
};
