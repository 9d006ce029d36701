/**
 * The simulated organisation: a French calendar (Monday to Friday, French public holidays
 * through the server's own holiday adapter), its time zone, and the days of the run.
 */
import { addDays, isWorkingDay, makeCalendar, type WorkingCalendar } from '../../shared/calendar';
import { type NextUse, nextUseDates } from '../../shared/tools';
import { holidayLookup } from '../../server/calendar/holidays';
import { startOfDay } from '../../server/lib/zoned-day';

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
export const TIME_ZONE = 'Europe/Paris';
/** A Monday; the run covers Easter, May Day, Ascension and Whit Monday. */
export const FIRST_DAY = '2027-01-04';
/** The process cards' process: a month-end close. */
export const MONTH_END: NextUse = { kind: 'rule', rule: 'last-working-day-of-month' };

export const calendar: WorkingCalendar = makeCalendar({
  holidays: holidayLookup({ country: 'FR', region: null }),
});

export interface Day {
  index: number;
  date: string;
  /** Midnight in the organisation's zone, in ms. */
  start: number;
  /** The next midnight: Today's "due today" is due before it. */
  end: number;
  working: boolean;
  /** Working days before this one in the run. */
  workingIndex: number;
  /** The month-end close is done this day. */
  useDay: boolean;
}

/** The run's days, from FIRST_DAY. */
export function makeDays(count: number): Day[] {
  const last = addDays(FIRST_DAY, count - 1);
  const uses = new Set(nextUseDates(calendar, MONTH_END, FIRST_DAY, Math.ceil(count / 28) + 1));
  const days: Day[] = [];
  let workingIndex = 0;
  for (let i = 0; i < count; i++) {
    const date = addDays(FIRST_DAY, i);
    const working = isWorkingDay(calendar, date);
    days.push({
      index: i,
      date,
      start: startOfDay(date, TIME_ZONE).getTime(),
      end: startOfDay(addDays(date, 1), TIME_ZONE).getTime(),
      working,
      workingIndex,
      useDay: uses.has(date) && date <= last,
    });
    if (working) workingIndex++;
  }
  return days;
}
