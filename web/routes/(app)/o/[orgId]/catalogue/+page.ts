import { error } from '@sveltejs/kit';
import { failLoad } from '$lib/navigation';
import { m } from '$lib/paraglide/messages.js';
import { can } from '$lib/permissions';
import { peopleApi } from '../dashboards/people/people-api';
import type { PageLoad } from './$types';

/**
 * The published modules to assign, and the people the viewer may assign them to (their scope,
 * as the people list gives it), for managers, referents, trainers and admins.
 */
export const load: PageLoad = async ({ parent, params, url }) => {
  const { membership } = await parent();
  if (!can(membership.roles, 'viewStructure')) {
    error(403, { code: 'FORBIDDEN', message: m.error_forbidden() });
  }
  try {
    const [catalogue, people] = await Promise.all([
      peopleApi.catalogue(params.orgId),
      peopleApi.people(params.orgId, {}),
    ]);
    return { modules: catalogue.items, people: people.items };
  } catch (e) {
    failLoad(e, url.pathname + url.search);
  }
};
