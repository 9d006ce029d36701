/** The organisation's calendar's API calls (shared/calendar.ts), through web/lib/api.ts's `call`. */
import {
  calendarDaysSchema,
  calendarSettingsSchema,
  closureSchema,
  countriesSchema,
  type CalendarSettingsBody,
  type CreateClosureInput,
} from '$shared/calendar';
import { call, callEmpty } from '$lib/api';

const calendarUrl = (orgId: string) => `/orgs/${encodeURIComponent(orgId)}/calendar`;

export const calendarApi = {
  /** The organisation's country, region, working weekdays and coming closures. */
  settings: (orgId: string) => call('GET', calendarUrl(orgId), calendarSettingsSchema),
  /** Admins: the country, region and working weekdays. */
  update: (orgId: string, body: CalendarSettingsBody) =>
    call('PUT', calendarUrl(orgId), calendarSettingsSchema, body),
  /** Every day off from `from` (default today) for `months` months, with its reason. */
  days: (orgId: string, query: { from?: string; months?: number; locale?: string } = {}) => {
    const params = new URLSearchParams();
    if (query.from) params.set('from', query.from);
    if (query.months) params.set('months', String(query.months));
    if (query.locale) params.set('locale', query.locale);
    const qs = params.toString();
    return call('GET', `${calendarUrl(orgId)}/days${qs ? `?${qs}` : ''}`, calendarDaysSchema);
  },
  /** Admins: a closure of one day (no `endsOn`) or a range. */
  addClosure: (orgId: string, body: CreateClosureInput) =>
    call('POST', `${calendarUrl(orgId)}/closures`, closureSchema, body),
  removeClosure: (orgId: string, closureId: string) =>
    callEmpty('DELETE', `${calendarUrl(orgId)}/closures/${encodeURIComponent(closureId)}`),
  /** The countries (and regions) whose public holidays are known, named in `locale`. */
  countries: (locale: string) =>
    call('GET', `/calendar/countries?locale=${encodeURIComponent(locale)}`, countriesSchema),
};
