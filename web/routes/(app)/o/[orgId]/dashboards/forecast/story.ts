/** What these functions read of a forecast point (`ForecastPoint` in shared/dashboards.ts). */
interface ForecastPoint {
  date: string;
  withoutReviews: number;
  withScheduled: number;
}

/**
 * What the curve "with the scheduled refreshers" does, told the way a manager asks it. The API's
 * `crossesTargetWithScheduledOn` is the first day under the target, which is today whenever the
 * team is under it now, even when tomorrow's refreshers lift it back above: saying "it falls
 * under the target today" then hides the good news and the next real drop.
 */
export type ScheduledStory =
  | { kind: 'holds' }
  | { kind: 'crosses'; on: string }
  | { kind: 'recovers'; on: string; again: string | null }
  | { kind: 'stays-under' };

export function scheduledStory(points: readonly ForecastPoint[], target: number): ScheduledStory {
  const under = (p: ForecastPoint) => p.withScheduled < target;
  const first = points[0];
  if (!first) return { kind: 'holds' };
  if (!under(first)) {
    const drop = points.find(under);
    return drop ? { kind: 'crosses', on: drop.date } : { kind: 'holds' };
  }
  const back = points.findIndex((p) => !under(p));
  if (back < 0) return { kind: 'stays-under' };
  const again = points.slice(back).find(under);
  return { kind: 'recovers', on: points[back]!.date, again: again?.date ?? null };
}

/** Whether recall is already under the target today (day 0), if nobody reviews. */
export function underNow(points: readonly ForecastPoint[], target: number): boolean {
  const first = points[0];
  return first !== undefined && first.withoutReviews < target;
}
