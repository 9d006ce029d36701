import {
  type CalendarDays,
  type CalendarDaysQuery,
  type CalendarSettings,
  type CalendarSettingsBody,
  type Closure,
  type CreateClosureBody,
  addDays,
  daysOffBetween,
} from '../../shared/calendar';
import type { Locale } from '../../shared/common';
import type { Database } from '../db/client';
import type { Clock } from '../lib/clock';
import { NotFoundError, ValidationError } from '../lib/errors';
import { localDate } from '../lib/zoned-day';
import { countries, isKnownPlace } from './holidays';
import * as repo from './repository';
import { loadCalendar } from './service';

export type CalendarService = ReturnType<typeof createCalendarService>;

/** The first day of the month `months` after the one `date` is in. */
function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  const month = String((index % 12) + 1).padStart(2, '0');
  const lastDay = new Date(Date.UTC(Math.floor(index / 12), (index % 12) + 1, 0)).getUTCDate();
  return `${Math.floor(index / 12)}-${month}-${String(Math.min(d, lastDay)).padStart(2, '0')}`;
}

const toClosure = (row: { id: string; startsOn: string; endsOn: string; label: string }) => ({
  id: row.id,
  startsOn: row.startsOn,
  endsOn: row.endsOn,
  label: row.label,
});

/** An organisation's calendar as its admins set it, and the days off it gives. */
export function createCalendarService({ db, clock }: { db: Database; clock: Clock }) {
  async function settingsOf(orgId: string) {
    const settings = await repo.findCalendarSettings(db, orgId);
    if (!settings) throw new NotFoundError('Organisation');
    return settings;
  }

  /** Country, region, working weekdays and the closures not over yet. */
  async function get(orgId: string): Promise<CalendarSettings> {
    const s = await settingsOf(orgId);
    const today = localDate(clock.now(), s.timeZone);
    const closures = await repo.listClosures(db, [orgId], today);
    return {
      country: s.country,
      region: s.region,
      workingWeekdays: s.workingWeekdays,
      timeZone: s.timeZone,
      closures: closures.map(toClosure),
    };
  }

  return {
    get,

    /** Sets the country (whose public holidays are days off), region and working weekdays. */
    async update(orgId: string, body: CalendarSettingsBody): Promise<CalendarSettings> {
      if (!isKnownPlace({ country: body.country })) {
        throw new ValidationError('Unknown country.', [
          { path: ['country'], message: 'No public holidays are known for this country.' },
        ]);
      }
      if (body.region && !isKnownPlace(body)) {
        throw new ValidationError('Unknown region.', [
          { path: ['region'], message: 'This country has no such region.' },
        ]);
      }
      if (!(await repo.updateCalendarSettings(db, orgId, body))) {
        throw new NotFoundError('Organisation');
      }
      return get(orgId);
    },

    /** Every day off from `from` (default today) for `months` months, with its reason. */
    async days(orgId: string, query: CalendarDaysQuery, locale: Locale): Promise<CalendarDays> {
      const cal = await loadCalendar(db, orgId, { lang: query.locale ?? locale });
      if (!cal) throw new NotFoundError('Organisation');
      const from = query.from ?? localDate(clock.now(), cal.timeZone);
      const to = addDays(addMonths(from, query.months), -1);
      return {
        from,
        to,
        workingWeekdays: [...cal.workingWeekdays],
        days: daysOffBetween(cal, from, to),
      };
    },

    async addClosure(orgId: string, body: CreateClosureBody): Promise<Closure> {
      await settingsOf(orgId);
      return toClosure(await repo.insertClosure(db, { orgId, ...body, createdAt: clock.now() }));
    },

    async removeClosure(orgId: string, closureId: string): Promise<void> {
      if (!(await repo.deleteClosure(db, orgId, closureId))) throw new NotFoundError('Closure');
    },

    /** Every country the holidays library knows, with its regions, named in `locale`. */
    countries: (locale: Locale) => ({ items: countries(locale) }),
  };
}
