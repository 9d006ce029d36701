import { error } from '@sveltejs/kit';
import { api } from '$lib/api';
import { failLoad } from '$lib/navigation';
import { m } from '$lib/paraglide/messages.js';
import type { PageLoad } from './$types';

/** The onboarding questionnaire: the learner's profile, and the personas to choose from. */
export const load: PageLoad = async ({ parent, params, url }) => {
  const { membership } = await parent();
  if (!membership.roles.includes('learner')) {
    error(403, { code: 'FORBIDDEN', message: m.error_forbidden() });
  }
  try {
    const [profile, { items: personas }] = await Promise.all([
      api.learnerProfile(params.orgId),
      api.personas(params.orgId),
    ]);
    return { profile, personas };
  } catch (e) {
    failLoad(e, url.pathname);
  }
};
