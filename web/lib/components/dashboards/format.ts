import { i18n } from '$lib/i18n.svelte';
import { shownPercent } from '$shared/percent';

/**
 * "87 %" in French, "87%" in English; "—" when there is nothing to show. Given the `target` it
 * is read against, a value just under it keeps a decimal ("89,9 %", see rounding.ts).
 */
export function percent(value: number | null | undefined, target?: number): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const shown = shownPercent(value, target);
  return new Intl.NumberFormat(i18n.locale, {
    style: 'percent',
    minimumFractionDigits: shown.digits,
    maximumFractionDigits: shown.digits,
  }).format(shown.value);
}

/** A whole number with the locale's grouping ("1 234" / "1,234"). */
export function count(value: number): string {
  return new Intl.NumberFormat(i18n.locale).format(value);
}

/** Three rounded decimals: what a CSV gets for a probability (0.873). */
export function ratio(value: number | null | undefined): number | null {
  return value === null || value === undefined ? null : Math.round(value * 1000) / 1000;
}

/** How a recall compares to the target, for colour and words: at target, close, under. */
export type Level = 'ok' | 'near' | 'low';

export function level(recall: number, target: number): Level {
  if (recall >= target) return 'ok';
  return recall >= target - 0.1 ? 'near' : 'low';
}

/** A score with at most two decimals ("1,25" / "1.25"). */
export function decimal(value: number): string {
  return new Intl.NumberFormat(i18n.locale, { maximumFractionDigits: 2 }).format(value);
}
