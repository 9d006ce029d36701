/** Plain words for the learner screens: recall, durations and "when" a refresher comes. */
import { daysBetween } from '$shared/calendar';
import { i18n } from '$lib/i18n.svelte';
import { m } from '$lib/paraglide/messages.js';

/** Recall as "about 85 %": rounded to 5 points, since the model is not more precise than that. */
export function recallPercent(recall: number): string {
  const rounded = Math.min(100, Math.max(0, Math.round(recall * 20) * 5));
  return new Intl.NumberFormat(i18n.locale, { style: 'percent' }).format(rounded / 100);
}

/** Whole minutes for a duration in seconds, at least 1. */
export function minutesOf(seconds: number): number {
  return Math.max(1, Math.round(seconds / 60));
}

/** The calendar date (`YYYY-MM-DD`) of a moment in a time zone. */
export function calendarDateIn(date: Date, timeZone: string): string {
  // en-CA writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(date);
}

/**
 * When a refresher comes, relative to `today` (both in the organisation's time zone):
 * "today", "tomorrow", "on Thursday" within the week, else "on 12 March".
 */
export function whenText(date: Date, today: string, timeZone: string): string {
  return dayWhenText(calendarDateIn(date, timeZone), today);
}

/** `whenText` for a calendar date (`YYYY-MM-DD`): "today", "tomorrow", "on Thursday"… */
export function dayWhenText(day: string, today: string): string {
  const diff = daysBetween(today, day);
  if (diff <= 0) return m.learn_when_today();
  if (diff === 1) return m.learn_when_tomorrow();
  const date = new Date(`${day}T00:00:00Z`);
  if (diff < 7) {
    const weekday = new Intl.DateTimeFormat(i18n.dateLocale, {
      weekday: 'long',
      timeZone: 'UTC',
    }).format(date);
    return m.learn_when_weekday({ day: weekday });
  }
  const long = new Intl.DateTimeFormat(i18n.dateLocale, {
    day: 'numeric',
    month: 'long',
    timeZone: 'UTC',
  }).format(date);
  return m.learn_when_date({ date: long });
}

/** A v4 UUID; `crypto.randomUUID` exists only in secure contexts (https or localhost). */
export function newId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A calendar date (`YYYY-MM-DD`) in words: "Monday 3 August", "lundi 3 août". */
export function dayText(date: string): string {
  return new Intl.DateTimeFormat(i18n.dateLocale, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    timeZone: 'UTC',
  }).format(new Date(`${date}T00:00:00Z`));
}
