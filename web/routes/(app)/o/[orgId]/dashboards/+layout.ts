import { error } from '@sveltejs/kit';
import type { NamedItem } from '$shared/orgs';
import { api, ApiError } from '$lib/api';
import { failLoad } from '$lib/navigation';
import { m } from '$lib/paraglide/messages.js';
import { can } from '$lib/permissions';
import type { LayoutLoad } from './$types';

/** A list this role may not read is left empty rather than failing the page. */
async function orEmpty<T>(promise: Promise<{ items: T[] }>): Promise<T[]> {
  try {
    return (await promise).items;
  } catch (e) {
    if (e instanceof ApiError && e.status === 403) return [];
    throw e;
  }
}

/**
 * Dashboards are for admins, trainers, managers and referents (the API narrows what each sees).
 * The filters' choices load once here; the pages read the filters from the address.
 */
export const load: LayoutLoad = async ({ parent, params }) => {
  const { membership } = await parent();
  if (!can(membership.roles, 'viewStructure')) {
    error(403, { code: 'FORBIDDEN', message: m.error_forbidden() });
  }
  try {
    const [teams, jobRoles, personas, modules] = await Promise.all([
      orEmpty<NamedItem>(api.namedItems(params.orgId, 'teams')),
      orEmpty<NamedItem>(api.namedItems(params.orgId, 'job-roles')),
      orEmpty(api.personas(params.orgId)),
      // Managers and referents cannot list modules: their filter offers the modules seen in the
      // numbers instead (see DashboardHeader).
      can(membership.roles, 'author') ? orEmpty(api.modules(params.orgId)) : [],
    ]);
    return {
      options: {
        teams,
        jobRoles,
        personas: personas.map((p) => ({ id: p.id, name: p.name })),
        modules: modules.map((x) => ({ id: x.id, name: x.title })),
        // Only a whole-organisation scope holds people of no team.
        noTeam: can(membership.roles, 'viewPeople'),
      },
    };
  } catch (e) {
    failLoad(e, `/o/${params.orgId}/dashboards`);
  }
};
