import { addDays, type CalendarDays } from '$shared/calendar';
import { formatCalendarDate } from '$lib/format';
import { i18n } from '$lib/i18n.svelte';
import { m } from '$lib/paraglide/messages.js';

type DayOff = CalendarDays['days'][number];

/** Monday 1 January 2024: the seven days from it are Monday to Sunday (ISO 1–7). */
const MONDAY = Date.UTC(2024, 0, 1);

/** The ISO weekdays' names, Monday first, in the interface's language. */
export function weekdayNames(style: 'long' | 'narrow' | 'short' = 'long'): string[] {
  const format = new Intl.DateTimeFormat(i18n.dateLocale, { weekday: style, timeZone: 'UTC' });
  return Array.from({ length: 7 }, (_, i) => format.format(new Date(MONDAY + i * 86_400_000)));
}

/** "mars 2027" */
export function monthName(year: number, month: number): string {
  return new Intl.DateTimeFormat(i18n.dateLocale, {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(Date.UTC(year, month - 1, 1)));
}

/** "lundi 29 mars 2027" */
export function longDate(date: string): string {
  return new Intl.DateTimeFormat(i18n.dateLocale, {
    dateStyle: 'full',
    timeZone: 'UTC',
  }).format(new Date(`${date}T00:00:00Z`));
}

/** Why a day is off, in words: the holiday's name, the closure's label, or nothing for week ends. */
export function reasonText(reason: DayOff['reason']): string {
  if (reason.kind === 'holiday') return m.calendar_kind_holiday({ name: reason.name });
  if (reason.kind === 'closure') return m.calendar_kind_closure({ label: reason.label });
  return m.calendar_legend_weekend();
}

export interface MonthGrid {
  key: string;
  year: number;
  month: number;
  /** Blank cells before the 1st (Monday-first weeks), then one per day. */
  leading: number;
  days: { date: string; day: number; off: DayOff | undefined }[];
  /** Holidays and closures of the month, runs of days with one reason together. */
  named: DayOffRun[];
}

/** The months from `from` to `to`, each with its days and their reasons to be off. */
export function monthGrids(from: string, to: string, daysOff: DayOff[]): MonthGrid[] {
  const byDate = new Map(daysOff.map((d) => [d.date, d]));
  const grids: MonthGrid[] = [];
  let [year, month] = from.split('-').map(Number) as [number, number];
  const last = to.slice(0, 7);
  for (;;) {
    const key = `${year}-${String(month).padStart(2, '0')}`;
    if (key > last) break;
    const length = new Date(Date.UTC(year, month, 0)).getUTCDate();
    const leading = (new Date(Date.UTC(year, month - 1, 1)).getUTCDay() + 6) % 7;
    const days = Array.from({ length }, (_, i) => {
      const date = `${key}-${String(i + 1).padStart(2, '0')}`;
      return { date, day: i + 1, off: byDate.get(date) };
    });
    const named = namedRuns(days.map((d) => d.off).filter((d): d is DayOff => !!d));
    grids.push({ key, year, month, leading, days, named });
    [year, month] = month === 12 ? [year + 1, 1] : [year, month + 1];
  }
  return grids;
}

export interface DayOffRun {
  from: string;
  to: string;
  reason: DayOff['reason'];
}

/**
 * Holidays and closures (not week ends), consecutive days with the same reason as one run: a
 * three-week closure is one line, not fifteen.
 */
export function namedRuns(daysOff: DayOff[]): DayOffRun[] {
  const runs: DayOffRun[] = [];
  for (const day of daysOff) {
    if (day.reason.kind === 'weekend') continue;
    const last = runs.at(-1);
    if (last && addDays(last.to, 1) === day.date && sameReason(last.reason, day.reason)) {
      last.to = day.date;
    } else {
      runs.push({ from: day.date, to: day.date, reason: day.reason });
    }
  }
  return runs;
}

function sameReason(a: DayOff['reason'], b: DayOff['reason']): boolean {
  return reasonText(a) === reasonText(b);
}

/** "26 juil. 2027" or "du 26 juil. 2027 au 20 août 2027". */
export function runDates(run: DayOffRun, format = formatCalendarDate): string {
  if (run.from === run.to) return format(run.from);
  return m.calendar_closure_span({ from: format(run.from), to: format(run.to) });
}
