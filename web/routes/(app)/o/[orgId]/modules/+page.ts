import { error } from '@sveltejs/kit';
import { idSchema } from '$shared/common';
import { moduleStatusSchema, type ModuleListQuery } from '$shared/modules';
import { api } from '$lib/api';
import { failLoad } from '$lib/navigation';
import { m } from '$lib/paraglide/messages.js';
import { can } from '$lib/permissions';
import type { PageLoad } from './$types';

/** The filters in the address (bookmarkable); a value that makes no sense is ignored. */
function filtersFrom(params: URLSearchParams): ModuleListQuery {
  const id = (key: string) => idSchema.safeParse(params.get(key)).data;
  return {
    toolId: id('toolId'),
    jobRoleId: id('jobRoleId'),
    status: moduleStatusSchema.safeParse(params.get('status')).data,
  };
}

export const load: PageLoad = async ({ parent, params, url, depends }) => {
  depends('app:modules');
  const { membership } = await parent();
  if (!can(membership.roles, 'author')) {
    error(403, { code: 'FORBIDDEN', message: m.error_forbidden() });
  }
  const filters = filtersFrom(url.searchParams);
  try {
    const [modules, tools, jobRoles, teams, settings] = await Promise.all([
      api.modules(params.orgId, filters),
      api.tools(params.orgId),
      api.namedItems(params.orgId, 'job-roles'),
      api.namedItems(params.orgId, 'teams'),
      api.learningSettings(params.orgId),
    ]);
    return {
      modules: modules.items,
      tools: tools.items,
      jobRoles: jobRoles.items,
      teams: teams.items,
      organisationRetention: settings.desiredRetention,
      filters,
    };
  } catch (e) {
    failLoad(e, url.pathname);
  }
};
