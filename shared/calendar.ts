/**
 * An organisation's working days (DESIGN.md §5): its working weekdays, its country's public
 * holidays and its own closures. Pure: the server fills the holidays from its one adapter around
 * the holidays library (server/calendar/holidays.ts); the web, which must not bundle that
 * library, builds a calendar from the days off the API lists (`calendarFromDaysOff`).
 * Every date is a calendar date `YYYY-MM-DD` in the organisation's time zone.
 */

import { z } from 'zod';
import { localeSchema } from './common';

/** ISO weekdays: 1 = Monday … 7 = Sunday. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;
export const DEFAULT_WORKING_WEEKDAYS: readonly IsoWeekday[] = [1, 2, 3, 4, 5];

/** One of the organisation's own days off, from `startsOn` to `endsOn` included. */
export interface ClosureRange {
  startsOn: string;
  endsOn: string;
  label: string;
}

export interface WorkingCalendar {
  workingWeekdays: readonly number[];
  /** The public holiday's name on `date`, or undefined when it is none. */
  holiday: (date: string) => string | undefined;
  closures: readonly ClosureRange[];
}

/** Why a day is not worked: the first that applies of holiday, closure and week end. */
export const dayOffReasonSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('holiday'), name: z.string() }),
  z.object({ kind: z.literal('closure'), label: z.string() }),
  z.object({ kind: z.literal('weekend') }),
]);
export type DayOffReason = z.infer<typeof dayOffReasonSchema>;

const DAY_MS = 86_400_000;
/**
 * How far a search for a working day may go before giving up: a calendar with a working weekday
 * and closures of at most a year always finds one much sooner; past this the data is wrong.
 */
const SEARCH_LIMIT_DAYS = 3 * 366;

const toMs = (date: string) => Date.parse(`${date}T00:00:00Z`);
const fromMs = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** `date` moved by `days` calendar days (negative: back). */
export function addDays(date: string, days: number): string {
  return fromMs(toMs(date) + days * DAY_MS);
}

/** Calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((toMs(to) - toMs(from)) / DAY_MS);
}

/** The ISO weekday of `date` (1 = Monday … 7 = Sunday). */
export function isoWeekday(date: string): IsoWeekday {
  return (((new Date(toMs(date)).getUTCDay() + 6) % 7) + 1) as IsoWeekday;
}

/**
 * A calendar from plain data. `holidays` maps dates to names; a function is taken as is (the
 * server's lazy, per-year lookup).
 */
export function makeCalendar(input: {
  workingWeekdays?: readonly number[];
  holidays?: ReadonlyMap<string, string> | ((date: string) => string | undefined);
  closures?: readonly ClosureRange[];
}): WorkingCalendar {
  const { holidays } = input;
  return {
    workingWeekdays: input.workingWeekdays ?? DEFAULT_WORKING_WEEKDAYS,
    holiday:
      typeof holidays === 'function'
        ? holidays
        : holidays
          ? (date) => holidays.get(date)
          : () => undefined,
    closures: input.closures ?? [],
  };
}

/** Monday to Friday, no holidays, no closures: what "working day" meant before calendars. */
export const weekdaysOnlyCalendar: WorkingCalendar = makeCalendar({});

/** Why `date` is a day off, or null when it is a working day. */
export function dayOffReason(cal: WorkingCalendar, date: string): DayOffReason | null {
  const name = cal.holiday(date);
  if (name !== undefined) return { kind: 'holiday', name };
  // Closures are a handful of rows: a scan is cheaper than any index.
  for (const c of cal.closures) {
    if (c.startsOn <= date && date <= c.endsOn) return { kind: 'closure', label: c.label };
  }
  if (!cal.workingWeekdays.includes(isoWeekday(date))) return { kind: 'weekend' };
  return null;
}

/** Whether the organisation works on `date`. */
export function isWorkingDay(cal: WorkingCalendar, date: string): boolean {
  return dayOffReason(cal, date) === null;
}

function step(cal: WorkingCalendar, date: string, direction: 1 | -1, includeSelf: boolean) {
  let d = includeSelf ? date : addDays(date, direction);
  for (let i = 0; i < SEARCH_LIMIT_DAYS; i += 1) {
    if (isWorkingDay(cal, d)) return d;
    d = addDays(d, direction);
  }
  throw new RangeError(`No working day within ${SEARCH_LIMIT_DAYS} days of ${date}`);
}

/** The first working day after `date` (or `date` itself with `includeSelf` when it is one). */
export function nextWorkingDay(
  cal: WorkingCalendar,
  date: string,
  options: { includeSelf?: boolean } = {},
): string {
  return step(cal, date, 1, options.includeSelf ?? false);
}

/** The last working day before `date` (or `date` itself with `includeSelf` when it is one). */
export function previousWorkingDay(
  cal: WorkingCalendar,
  date: string,
  options: { includeSelf?: boolean } = {},
): string {
  return step(cal, date, -1, options.includeSelf ?? false);
}

/**
 * The date `n` working days after `date` (before it when `n` is negative); `date` itself is not
 * counted, so `addWorkingDays(cal, friday, 1)` is the next Monday and `n = 0` gives `date`.
 */
export function addWorkingDays(cal: WorkingCalendar, date: string, n: number): string {
  let d = date;
  const direction = n < 0 ? -1 : 1;
  for (let left = Math.abs(n); left > 0; left -= 1) d = step(cal, d, direction, false);
  return d;
}

/**
 * How many working days a refresher that fell due on `dueDay` is overdue on `today`: the working
 * days from `dueDay` (counted when it is one) up to `today` (not counted). A card due on Friday
 * is 1 working day overdue on Monday, not 3; one due on Sunday, none.
 */
export function overdueWorkingDays(cal: WorkingCalendar, dueDay: string, today: string): number {
  let n = 0;
  for (let d = dueDay; d < today; d = addDays(d, 1)) if (isWorkingDay(cal, d)) n += 1;
  return n;
}

/**
 * The last due day that is overdue on `today` (`overdueWorkingDays` ≥ 1 exactly when a
 * refresher fell due on or before it): the last working day before today. A query counts the
 * overdue refreshers with it, as those due before the end of this day.
 */
export function lastOverdueDueDay(cal: WorkingCalendar, today: string): string {
  return previousWorkingDay(cal, today);
}

/** Every day off from `from` to `to` included, in order, with its reason. */
export function daysOffBetween(
  cal: WorkingCalendar,
  from: string,
  to: string,
): { date: string; reason: DayOffReason }[] {
  const out: { date: string; reason: DayOffReason }[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) {
    const reason = dayOffReason(cal, d);
    if (reason) out.push({ date: d, reason });
  }
  return out;
}

/**
 * A calendar rebuilt from a list of days off (what `GET …/calendar/days` answers), exact inside
 * the listed range: holidays and closures by date, week ends from the working weekdays.
 */
export function calendarFromDaysOff(
  workingWeekdays: readonly number[],
  days: readonly { date: string; reason: DayOffReason }[],
): WorkingCalendar {
  const holidays = new Map<string, string>();
  const closures: ClosureRange[] = [];
  for (const { date, reason } of days) {
    if (reason.kind === 'holiday') holidays.set(date, reason.name);
    else if (reason.kind === 'closure')
      closures.push({ startsOn: date, endsOn: date, label: reason.label });
  }
  return makeCalendar({ workingWeekdays, holidays, closures });
}

// ---- The API's shapes ----

/** The longest closure: a year (longer is not a closure but a change of working week). */
export const MAX_CLOSURE_DAYS = 366;
export const MAX_CALENDAR_MONTHS = 24;

const calendarDate = z.iso.date();
const weekdaySchema = z.number().int().min(1).max(7);

export const calendarSettingsBodySchema = z.strictObject({
  /** ISO 3166-1 alpha-2, as the holidays library knows it. */
  country: z.string().trim().min(2).max(3).toUpperCase(),
  /** A subdivision of the country (ISO 3166-2 suffix: `BY` for Bavaria), or none. */
  region: z.string().trim().min(1).max(6).toUpperCase().nullable().default(null),
  workingWeekdays: z
    .array(weekdaySchema)
    .min(1)
    .max(7)
    .refine((days) => new Set(days).size === days.length, { message: 'Each weekday once' })
    .transform((days) => [...days].sort((a, b) => a - b)),
});
export type CalendarSettingsBody = z.output<typeof calendarSettingsBodySchema>;

export const closureSchema = z.object({
  id: z.uuid(),
  startsOn: calendarDate,
  endsOn: calendarDate,
  label: z.string(),
});
export type Closure = z.infer<typeof closureSchema>;

export const calendarSettingsSchema = z.object({
  country: z.string(),
  region: z.string().nullable(),
  workingWeekdays: z.array(weekdaySchema),
  /** The zone the calendar's dates are in (the organisation's). */
  timeZone: z.string(),
  /** Closures that have not ended yet, soonest first. */
  closures: z.array(closureSchema),
});
export type CalendarSettings = z.infer<typeof calendarSettingsSchema>;

export const createClosureBodySchema = z
  .strictObject({
    startsOn: calendarDate,
    /** The last day, included; the first day when left out (a one-day closure). */
    endsOn: calendarDate.optional(),
    label: z.string().trim().min(1).max(120),
  })
  .transform((b) => ({ ...b, endsOn: b.endsOn ?? b.startsOn }))
  .superRefine((b, ctx) => {
    const days = daysBetween(b.startsOn, b.endsOn) + 1;
    if (days < 1) {
      ctx.addIssue({ code: 'custom', path: ['endsOn'], message: 'Ends before it starts.' });
    } else if (days > MAX_CLOSURE_DAYS) {
      ctx.addIssue({
        code: 'custom',
        path: ['endsOn'],
        message: `A closure lasts at most ${MAX_CLOSURE_DAYS} days.`,
      });
    }
  });
export type CreateClosureBody = z.output<typeof createClosureBodySchema>;
export type CreateClosureInput = z.input<typeof createClosureBodySchema>;

export const closureParamsSchema = z.object({ orgId: z.uuid(), closureId: z.uuid() });

export const calendarDaysQuerySchema = z.strictObject({
  /** First day, included; today in the organisation's zone when absent. */
  from: calendarDate.optional(),
  months: z.coerce.number().int().min(1).max(MAX_CALENDAR_MONTHS).default(12),
  /** The language of holiday names; the caller's own when absent. */
  locale: localeSchema.optional(),
});
export type CalendarDaysQuery = z.output<typeof calendarDaysQuerySchema>;

export const calendarDaysSchema = z.object({
  from: calendarDate,
  /** The last day listed, included. */
  to: calendarDate,
  workingWeekdays: z.array(weekdaySchema),
  days: z.array(z.object({ date: calendarDate, reason: dayOffReasonSchema })),
});
export type CalendarDays = z.infer<typeof calendarDaysSchema>;

export const countriesQuerySchema = z.strictObject({ locale: localeSchema.optional() });
export const countriesSchema = z.object({
  items: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      regions: z.array(z.object({ code: z.string(), name: z.string() })),
    }),
  ),
});
export type Countries = z.infer<typeof countriesSchema>;
