import { daysBetween } from '$shared/calendar';

/**
 * What is wrong with a first and a last day (`YYYY-MM-DD`), said before asking the API, which
 * checks the same: a last day before the first, or more days than `maxDays` counting both.
 */
export function rangeProblem(
  startsOn: string,
  endsOn: string,
  maxDays: number,
): 'order' | 'too-long' | null {
  if (!startsOn || !endsOn) return null;
  const days = daysBetween(startsOn, endsOn) + 1;
  if (days < 1) return 'order';
  return days > maxDays ? 'too-long' : null;
}
