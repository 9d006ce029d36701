import type { RetentionPeriod } from '$shared/dashboards';
import { i18n } from '$lib/i18n.svelte';

/** A calendar date `YYYY-MM-DD` as a Date at midnight UTC (for charts' time axes). */
export function utcDate(date: string): Date {
  return new Date(`${date}T00:00:00Z`);
}

/** "2 mars" / "2 Mar": a short day for axis ticks. */
export function shortDay(date: Date): string {
  return new Intl.DateTimeFormat(i18n.dateLocale, {
    day: 'numeric',
    month: 'short',
    timeZone: 'UTC',
  }).format(date);
}

/** A period in words: "Semaine du 2 mars 2026", "Mars 2026", "T1 2026" / "Q1 2026". */
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
      new Intl.DateTimeFormat(i18n.dateLocale, { dateStyle: 'medium', timeZone: 'UTC' }).format(
        date,
      ),
    );
  }
  if (period === 'quarter') {
    return labels.quarter(Math.floor(date.getUTCMonth() / 3) + 1, date.getUTCFullYear());
  }
  const month = new Intl.DateTimeFormat(i18n.dateLocale, {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(date);
  // French writes months in lower case ("mars 2026"); a label opening a table row is capitalised.
  return month.charAt(0).toLocaleUpperCase(i18n.locale) + month.slice(1);
}

/** A period's start on a chart's time axis: "5 janv." for a week, "janv. 2026", "T1 2026". */
export function periodTick(
  date: Date,
  period: RetentionPeriod,
  quarter: (q: number, year: number) => string,
): string {
  if (period === 'week') return shortDay(date);
  if (period === 'quarter')
    return quarter(Math.floor(date.getUTCMonth() / 3) + 1, date.getUTCFullYear());
  return new Intl.DateTimeFormat(i18n.dateLocale, {
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(date);
}

/** `days` days after `date` (`YYYY-MM-DD`), as `YYYY-MM-DD`. */
export function addDays(date: string, days: number): string {
  return new Date(utcDate(date).getTime() + days * 86_400_000).toISOString().slice(0, 10);
}
