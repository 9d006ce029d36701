/**
 * How to show the share `value` read against `target`: as a whole percentage, or, when a value
 * under the target would round up to it, with one decimal rounded down (0.8996 against 0.9:
 * 0.899, "89.9 %"), so that a figure shown in the "under target" colour never reads as the
 * target itself. Pure, so that it is tested apart from the locale's formatting (format.ts).
 */
export function shownPercent(value: number, target?: number): { value: number; digits: 0 | 1 } {
  const whole = (v: number) => Math.round(v * 100);
  if (target !== undefined && value < target && whole(value) >= whole(target)) {
    return { value: Math.floor(value * 1000) / 1000, digits: 1 };
  }
  return { value, digits: 0 };
}
