import { error } from '@sveltejs/kit';
import { api } from '$lib/api';
import { failLoad } from '$lib/navigation';
import { m } from '$lib/paraglide/messages.js';
import { can } from '$lib/permissions';
import type { PageLoad } from './$types';

/** One more than shown, to know whether "…" follows. */
const NEXT_DATES_FETCHED = 4;

export const load: PageLoad = async ({ parent, params, url, depends }) => {
  depends('app:tool');
  const { membership } = await parent();
  if (!can(membership.roles, 'author')) {
    error(403, { code: 'FORBIDDEN', message: m.error_forbidden() });
  }
  try {
    const tool = await api.tool(params.orgId, params.toolId);
    const withDates = tool.processes.filter((p) => p.nextUse.kind !== 'none');
    const dates = await Promise.all(
      withDates.map((p) => api.nextUses(params.orgId, p.id, NEXT_DATES_FETCHED)),
    );
    const nextDates: Record<string, string[]> = Object.fromEntries(
      withDates.map((p, i) => [p.id, dates[i]!.dates]),
    );
    return { tool, nextDates };
  } catch (e) {
    failLoad(e, url.pathname);
  }
};
