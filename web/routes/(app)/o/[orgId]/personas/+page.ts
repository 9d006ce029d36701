import { error } from '@sveltejs/kit';
import { api } from '$lib/api';
import { failLoad } from '$lib/navigation';
import { m } from '$lib/paraglide/messages.js';
import { can } from '$lib/permissions';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ parent, params, url, depends }) => {
  depends('app:personas');
  const { membership } = await parent();
  if (!can(membership.roles, 'author')) {
    error(403, { code: 'FORBIDDEN', message: m.error_forbidden() });
  }
  try {
    const [{ items: personas }, rules, settings] = await Promise.all([
      api.personas(params.orgId),
      api.personaRules(params.orgId),
      api.learningSettings(params.orgId),
    ]);
    return { personas, rules, organisationRetention: settings.desiredRetention };
  } catch (e) {
    failLoad(e, url.pathname);
  }
};
