import { error } from '@sveltejs/kit';
import { api } from '$lib/api';
import { failLoad } from '$lib/navigation';
import { m } from '$lib/paraglide/messages.js';
import { can } from '$lib/permissions';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ parent, params, url, depends }) => {
  depends('app:module');
  const { membership } = await parent();
  if (!can(membership.roles, 'author')) {
    error(403, { code: 'FORBIDDEN', message: m.error_forbidden() });
  }
  try {
    const [module, tools, jobRoles, teams, personas, settings] = await Promise.all([
      api.module(params.orgId, params.moduleId),
      api.tools(params.orgId),
      api.namedItems(params.orgId, 'job-roles'),
      api.namedItems(params.orgId, 'teams'),
      api.personas(params.orgId),
      api.learningSettings(params.orgId),
    ]);
    // The processes of the module's tool, so the form shows the chosen one at once.
    const tool = await api.tool(params.orgId, module.toolId);
    return {
      module,
      tools: tools.items,
      jobRoles: jobRoles.items,
      teams: teams.items,
      personas: personas.items,
      organisationRetention: settings.desiredRetention,
      processes: { [tool.id]: tool.processes },
    };
  } catch (e) {
    failLoad(e, url.pathname);
  }
};
