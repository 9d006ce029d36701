import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages.js';
import { session } from '$lib/session.svelte';
import type { LayoutLoad } from './$types';

/** Tenant pages: the person's membership in this organisation (404 when there is none). */
export const load: LayoutLoad = async ({ params, parent }) => {
  await parent();
  let membership = session.membership(params.orgId);
  // Just joined or created: the memberships loaded at start-up may not list it yet.
  if (!membership)
    membership = (await session.refresh()).memberships.find((x) => x.orgId === params.orgId);
  if (!membership) error(404, { code: 'NOT_FOUND', message: m.error_not_found() });
  session.rememberOrg(params.orgId);
  return { orgId: params.orgId, membership };
};
