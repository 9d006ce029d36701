import { error } from '@sveltejs/kit';
import { calendarApi } from '$lib/calendar-api';
import { i18n } from '$lib/i18n.svelte';
import { failLoad } from '$lib/navigation';
import { m } from '$lib/paraglide/messages.js';
import { can } from '$lib/permissions';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ parent, params, url, depends }) => {
  depends('app:calendar');
  const { membership } = await parent();
  if (!can(membership.roles, 'manageOrg')) {
    error(403, { code: 'FORBIDDEN', message: m.error_forbidden() });
  }
  try {
    const locale = i18n.locale;
    const [settings, days, countries] = await Promise.all([
      calendarApi.settings(params.orgId),
      calendarApi.days(params.orgId, { months: 12, locale }),
      calendarApi.countries(locale),
    ]);
    return { orgId: params.orgId, settings, days, countries: countries.items };
  } catch (e) {
    failLoad(e, url.pathname);
  }
};
