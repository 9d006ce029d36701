import { i18n } from '$lib/i18n.svelte';

const DAY = 86_400_000;

/** Midnight of `date`'s day on this device's calendar. */
const dayOf = (date: Date) => new Date(date.getFullYear(), date.getMonth(), date.getDate());

/**
 * "today", "yesterday", "3 days ago", "2 weeks ago", "4 months ago" (and the same in French):
 * how long since `date`, in whole days of the reader's calendar, in a unit a manager reads at a
 * glance rather than an exact date.
 */
export function sinceText(date: Date, now = new Date()): string {
  const days = Math.round((dayOf(now).getTime() - dayOf(date).getTime()) / DAY);
  const format = new Intl.RelativeTimeFormat(i18n.locale, { numeric: 'auto' });
  if (days < 14) return format.format(-Math.max(days, 0), 'day');
  if (days < 60) return format.format(-Math.floor(days / 7), 'week');
  return format.format(-Math.floor(days / 30), 'month');
}
