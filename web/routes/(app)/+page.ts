import { redirect } from '@sveltejs/kit';
import { session } from '$lib/session.svelte';
import type { PageLoad } from './$types';

/**
 * "/" opens the last-used organisation, else the first one, else the page to create one (which
 * says who may, for anyone else: `session.canCreateOrg`).
 */
export const load: PageLoad = async ({ parent }) => {
  await parent();
  const orgId = session.homeOrgId();
  redirect(307, orgId ? `/o/${orgId}` : '/orgs/new');
};
