import { error } from '@sveltejs/kit';
import { nextUseDates } from '$shared/tools';
import { api } from '$lib/api';
import { todayCalendarDate } from '$lib/format';
import { failLoad } from '$lib/navigation';
import { m } from '$lib/paraglide/messages.js';
import { can } from '$lib/permissions';
import type { PageLoad } from './$types';

/** One more than shown, to know whether "…" follows. */
const NEXT_DATES_COMPUTED = 4;

export const load: PageLoad = async ({ parent, params, url, depends }) => {
  depends('app:tool');
  const { membership } = await parent();
  if (!can(membership.roles, 'author')) {
    error(403, { code: 'FORBIDDEN', message: m.error_forbidden() });
  }
  try {
    const tool = await api.tool(params.orgId, params.toolId);
    // The same function as the server's next-uses route: no request per process.
    const today = todayCalendarDate();
    const nextDates: Record<string, string[]> = Object.fromEntries(
      tool.processes
        .filter((p) => p.nextUse.kind !== 'none')
        .map((p) => [p.id, nextUseDates(p.nextUse, today, NEXT_DATES_COMPUTED)]),
    );
    return { tool, nextDates };
  } catch (e) {
    failLoad(e, url.pathname);
  }
};
