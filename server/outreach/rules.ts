/**
 * When a learner gets an automatic refresher reminder, and what it says: pure rules, tested
 * with fixed dates. The producer (reminders-sql.ts) applies the same rules to thousands of
 * learners in one statement; tests/outreach/reminder-rules.test.ts holds the two together.
 */
import { isoWeekday } from '../../shared/calendar';
import {
  DEFAULT_REMINDER_MINUTE,
  DEFAULT_REMINDER_WEEKDAY,
  type ReminderFrequency,
} from '../../shared/notify';
import { localDate, startOfDay } from '../lib/zoned-day';
import { fitBudget, type MemoryCard, orderRefreshers } from '../learner/today';

/** When reminders come, as chosen on the account page. */
export interface ReminderPrefs {
  frequency: ReminderFrequency;
  /** Minutes after midnight in the organisation's time zone. */
  minute: number;
  /** ISO weekday (1 = Monday) of weekly reminders. */
  weekday: number;
}

/** No settings row: a reminder every working day at 09:00 in the organisation's zone. */
export const DEFAULT_REMINDER_PREFS: ReminderPrefs = {
  frequency: 'daily',
  minute: DEFAULT_REMINDER_MINUTE,
  weekday: DEFAULT_REMINDER_WEEKDAY,
};

/**
 * The instant of `date`'s reminder in `timeZone`, or null when these preferences ask for none
 * that day (never; weekly on another weekday). The time is wall-clock: 09:00 stays 09:00 on
 * the days the clocks change.
 */
export function reminderInstant(prefs: ReminderPrefs, date: string, timeZone: string) {
  if (prefs.frequency === 'never') return null;
  if (prefs.frequency === 'weekly' && isoWeekday(date) !== prefs.weekday) return null;
  const hh = String(Math.floor(prefs.minute / 60)).padStart(2, '0');
  const mm = String(prefs.minute % 60).padStart(2, '0');
  // The wall-clock time as an instant: the day's start plus the offset the zone has then.
  const midnight = startOfDay(date, timeZone);
  const naive = Date.parse(`${date}T${hh}:${mm}:00Z`) - Date.parse(`${date}T00:00:00Z`);
  let at = new Date(midnight.getTime() + naive);
  // Across a change between midnight and the chosen time, the local clock reads an hour off:
  // correct by the difference between what it reads and what was asked.
  const read = localMinute(at, timeZone);
  if (read !== prefs.minute && localDate(at, timeZone) === date) {
    at = new Date(at.getTime() + (prefs.minute - read) * 60_000);
  }
  return at;
}

function localMinute(instant: Date, timeZone: string) {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hourCycle: 'h23',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return get('hour') * 60 + get('minute');
}

/** What a reminder says: the refreshers Today will serve and about how long they take. */
export interface ReminderSummary {
  /** Refreshers Today shows (those due, in order, within the daily budget). */
  count: number;
  /** Every refresher due by the end of the day. */
  dueCount: number;
  /** Minutes the served ones are expected to take, rounded up. */
  minutes: number;
}

/**
 * Today's refreshers as Today serves them at `now` (server/learner/today.ts); null when none
 * are due.
 */
export function summarise(due: readonly MemoryCard[], budgetSeconds: number, now: Date) {
  if (due.length === 0) return null;
  const served = fitBudget(orderRefreshers(due, now), budgetSeconds);
  const seconds = served.reduce((sum, c) => sum + c.expectedSeconds, 0);
  return { count: served.length, dueCount: due.length, minutes: Math.ceil(seconds / 60) };
}

export interface ReminderFacts {
  now: Date;
  timeZone: string;
  /** Today (in the organisation's zone) is one of its working days (shared/calendar.ts). */
  workingDay: boolean;
  /** The learner is on a refresher pause today. */
  paused: boolean;
  prefs: ReminderPrefs;
  /** Refreshers due before today ends, due dates pushed back by pauses (as Today reads them). */
  due: readonly MemoryCard[];
  budgetSeconds: number;
  /** Expected seconds of the refreshers the learner answered since today began. */
  answeredSecondsToday: number;
  /** Today's reminder already went (its key exists). */
  alreadyReminded: boolean;
}

export type ReminderDecision =
  | { send: true; summary: ReminderSummary }
  | {
      send: false;
      reason: 'day-off' | 'paused' | 'not-today' | 'not-yet' | 'sent' | 'nothing-due' | 'done';
    };

/**
 * Whether the learner gets a reminder at `now`, at most one a day: on a working day of their
 * organisation, outside a pause, once their chosen time has come, when refreshers are due and
 * they have not already done today's (answered a day's budget of refreshers).
 */
export function decideReminder(f: ReminderFacts): ReminderDecision {
  if (!f.workingDay) return { send: false, reason: 'day-off' };
  if (f.paused) return { send: false, reason: 'paused' };
  const at = reminderInstant(f.prefs, localDate(f.now, f.timeZone), f.timeZone);
  if (!at) return { send: false, reason: 'not-today' };
  if (f.now < at) return { send: false, reason: 'not-yet' };
  if (f.alreadyReminded) return { send: false, reason: 'sent' };
  const summary = summarise(f.due, f.budgetSeconds, f.now);
  if (!summary) return { send: false, reason: 'nothing-due' };
  if (f.answeredSecondsToday >= f.budgetSeconds) return { send: false, reason: 'done' };
  return { send: true, summary };
}
