import { error } from '@sveltejs/kit';
import { calendarFromDaysOff } from '$shared/calendar';
import { nextUseDates } from '$shared/tools';
import { api } from '$lib/api';
import { calendarApi } from '$lib/calendar-api';
import { todayCalendarDate } from '$lib/format';
import { failLoad } from '$lib/navigation';
import { m } from '$lib/paraglide/messages.js';
import { can } from '$lib/permissions';
import type { PageLoad } from './$types';

/** One more than shown, to know whether "…" follows. */
const NEXT_DATES_COMPUTED = 4;
const CALENDAR_MONTHS = 13;

export const load: PageLoad = async ({ parent, params, url, depends }) => {
  depends('app:tool');
  const { membership } = await parent();
  if (!can(membership.roles, 'author')) {
    error(403, { code: 'FORBIDDEN', message: m.error_forbidden() });
  }
  try {
    const today = todayCalendarDate();
    // The same function as the server's next-uses route, on the organisation's days off over
    // the months the shown dates can reach (four quarter ends): no request per process.
    const [tool, daysOff] = await Promise.all([
      api.tool(params.orgId, params.toolId),
      calendarApi.days(params.orgId, { from: today, months: CALENDAR_MONTHS }),
    ]);
    const calendar = calendarFromDaysOff(daysOff.workingWeekdays, daysOff.days);
    const nextDates: Record<string, string[]> = Object.fromEntries(
      tool.processes
        .filter((p) => p.nextUse.kind !== 'none')
        .map((p) => [p.id, nextUseDates(calendar, p.nextUse, today, NEXT_DATES_COMPUTED)]),
    );
    return { tool, nextDates };
  } catch (e) {
    failLoad(e, url.pathname);
  }
};
