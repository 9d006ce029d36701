/**
 * Organisations' calendars: their working weekdays and country from `organisations`, their
 * closures from `org_closures`, their public holidays from the one adapter (holidays.ts).
 */
import {
  type ClosureRange,
  type WorkingCalendar,
  makeCalendar,
  weekdaysOnlyCalendar,
} from '../../shared/calendar';
import type { NextUse } from '../../shared/tools';
import type { Executor } from '../db/client';
import { holidayLookup } from './holidays';
import * as repo from './repository';

/** An organisation's calendar with what reading it needs: its time zone and place. */
export interface OrgCalendar extends WorkingCalendar {
  orgId: string;
  timeZone: string;
  country: string;
  region: string | null;
}

export interface CalendarSettingsRow {
  orgId: string;
  timeZone: string;
  country: string;
  region: string | null;
  workingWeekdays: readonly number[];
}

/**
 * A calendar from settings and closures already read (a hot path reads them with its own
 * data). Holiday names are in `lang` where the library has them.
 */
export function calendarOf(
  settings: CalendarSettingsRow,
  closures: readonly ClosureRange[],
  lang = 'en',
): OrgCalendar {
  const { orgId, timeZone, country, region } = settings;
  return {
    ...makeCalendar({
      workingWeekdays: settings.workingWeekdays,
      holidays: holidayLookup({ country, region }, lang),
      closures,
    }),
    orgId,
    timeZone,
    country,
    region,
  };
}

/** The calendars of several organisations in two queries, by organisation id. */
export async function calendarsFor(
  db: Executor,
  orgIds: readonly string[],
  options: { lang?: string } = {},
): Promise<Map<string, OrgCalendar>> {
  const ids = [...new Set(orgIds)];
  const settings = await repo.findCalendarSettingsOf(db, ids);
  const closures = await repo.listClosures(db, ids);
  const byOrg = new Map<string, ClosureRange[]>();
  for (const c of closures) {
    const list = byOrg.get(c.orgId) ?? [];
    list.push({ startsOn: c.startsOn, endsOn: c.endsOn, label: c.label });
    byOrg.set(c.orgId, list);
  }
  return new Map(
    settings.map((s) => [s.orgId, calendarOf(s, byOrg.get(s.orgId) ?? [], options.lang)]),
  );
}

/** One organisation's calendar; undefined when there is no such organisation. */
export async function loadCalendar(
  db: Executor,
  orgId: string,
  options: { lang?: string } = {},
): Promise<OrgCalendar | undefined> {
  return (await calendarsFor(db, [orgId], options)).get(orgId);
}

/**
 * The calendar to read processes' next uses on: the organisation's when one of them follows a
 * rule (explicit dates are kept as given and need none, so no query then), else Monday–Friday.
 */
export async function calendarForUses(
  db: Executor,
  orgId: string,
  nextUses: readonly NextUse[],
): Promise<WorkingCalendar> {
  if (!nextUses.some((u) => u.kind === 'rule')) return weekdaysOnlyCalendar;
  return (await loadCalendar(db, orgId)) ?? weekdaysOnlyCalendar;
}
