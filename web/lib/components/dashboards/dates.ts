import type { RetentionPeriod } from '$shared/dashboards';
import { i18n } from '$lib/i18n.svelte';

/** A calendar date `YYYY-MM-DD` as a Date at midnight UTC (for charts' time axes). */
export function utcDate(date: string): Date {
  return new Date(`${date}T00:00:00Z`);
}

/** "2 mars" / "2 Mar": a short day for axis ticks. */
export function shortDay(date: Date): string {
  return new Intl.DateTimeFormat(i18n.locale, {
    day: 'numeric',
    month: 'short',
    timeZone: 'UTC',
  }).format(date);
}

/** A period in words: "semaine du 2 mars 2026", "mars 2026", "T1 2026" / "Q1 2026". */
export function periodLabel(
  start: string,
  period: RetentionPeriod,
  labels: {
    week: (day: string) => string;
    quarter: (q: number, year: number) => string;
  },
): string {
  const date = utcDate(start);
  if (period === 'week') {
    return labels.week(
      new Intl.DateTimeFormat(i18n.locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(date),
    );
  }
  if (period === 'quarter') {
    return labels.quarter(Math.floor(date.getUTCMonth() / 3) + 1, date.getUTCFullYear());
  }
  return new Intl.DateTimeFormat(i18n.locale, {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(date);
}

/** `days` days after `date` (`YYYY-MM-DD`), as `YYYY-MM-DD`. */
export function addDays(date: string, days: number): string {
  return new Date(utcDate(date).getTime() + days * 86_400_000).toISOString().slice(0, 10);
}
