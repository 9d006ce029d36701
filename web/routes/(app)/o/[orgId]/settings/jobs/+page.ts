import { error } from '@sveltejs/kit';
import { failLoad } from '$lib/navigation';
import { jobsApi } from '$lib/jobs-api';
import { m } from '$lib/paraglide/messages.js';
import { can } from '$lib/permissions';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ parent, params, url, depends }) => {
  depends('app:jobs');
  const { membership } = await parent();
  if (!can(membership.roles, 'manageOrg')) {
    error(403, { code: 'FORBIDDEN', message: m.error_forbidden() });
  }
  try {
    return { status: await jobsApi.summary(params.orgId) };
  } catch (e) {
    failLoad(e, url.pathname);
  }
};
