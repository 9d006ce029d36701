import { error } from '@sveltejs/kit';
import type { Invitation, NamedItem } from '$shared/orgs';
import { api, ApiError } from '$lib/api';
import { failLoad } from '$lib/navigation';
import { m } from '$lib/paraglide/messages.js';
import { can } from '$lib/permissions';
import type { PageLoad } from './$types';

/** A list this role may not read is simply shown empty rather than failing the page. */
async function orEmpty<T>(promise: Promise<{ items: T[] }>): Promise<T[]> {
  try {
    return (await promise).items;
  } catch (e) {
    if (e instanceof ApiError && e.status === 403) return [];
    throw e;
  }
}

export const load: PageLoad = async ({ parent, params, url, depends }) => {
  depends('app:people');
  const { membership } = await parent();
  if (!can(membership.roles, 'viewPeople')) {
    error(403, { code: 'FORBIDDEN', message: m.error_forbidden() });
  }
  try {
    const [members, invitations, teams, jobRoles] = await Promise.all([
      api.members(params.orgId).then((r) => r.items),
      orEmpty<Invitation>(api.invitations(params.orgId)),
      orEmpty<NamedItem>(api.namedItems(params.orgId, 'teams')),
      orEmpty<NamedItem>(api.namedItems(params.orgId, 'job-roles')),
    ]);
    return {
      members,
      invitations,
      teams,
      jobRoles,
      canManage: can(membership.roles, 'managePeople'),
      canInvite: can(membership.roles, 'invite'),
    };
  } catch (e) {
    failLoad(e, url.pathname);
  }
};
