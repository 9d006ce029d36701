import { error } from '@sveltejs/kit';
import { api } from '$lib/api';
import { failLoad } from '$lib/navigation';
import { m } from '$lib/paraglide/messages.js';
import { can } from '$lib/permissions';
import { weightsApi } from '$lib/weights-api';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ parent, params, url, depends }) => {
  depends('app:org');
  const { membership } = await parent();
  if (!can(membership.roles, 'manageOrg')) {
    error(403, { code: 'FORBIDDEN', message: m.error_forbidden() });
  }
  try {
    const [org, learning, weights] = await Promise.all([
      api.org(params.orgId),
      api.learningSettings(params.orgId),
      weightsApi.status(params.orgId),
    ]);
    return { org, learning, weights };
  } catch (e) {
    failLoad(e, url.pathname);
  }
};
