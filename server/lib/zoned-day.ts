/**
 * Calendar days in an IANA time zone: a learner's "today" follows the organisation's zone
 * (DESIGN.md), whatever zone the server runs in.
 */

const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(timeZone: string) {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formats.set(timeZone, format);
  }
  return format;
}

/** The wall-clock fields of `instant` in `timeZone`. */
function wallClock(instant: Date, timeZone: string) {
  const parts = formatFor(timeZone).formatToParts(instant);
  const get = (type: Intl.DateTimeFormatPartTypes) =>
    Number(parts.find((p) => p.type === type)!.value);
  return {
    year: get('year'),
    month: get('month'),
    day: get('day'),
    hour: get('hour'),
    minute: get('minute'),
    second: get('second'),
  };
}

/** How far the zone's wall clock is ahead of UTC at `instant`, in milliseconds. */
function offsetMs(instant: Date, timeZone: string): number {
  const w = wallClock(instant, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The calendar date (`YYYY-MM-DD`) of `instant` in `timeZone`. */
export function localDate(instant: Date, timeZone: string): string {
  const w = wallClock(instant, timeZone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;
}

/**
 * The first instant of the calendar day `date` (`YYYY-MM-DD`) in `timeZone`: its midnight, or
 * the moment the clocks jump to when a daylight-saving change skips midnight.
 */
export function startOfDay(date: string, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d);
  // Two rounds settle the offset (the guess may fall on the other side of a change).
  let guess = wall - offsetMs(new Date(wall), timeZone);
  guess = wall - offsetMs(new Date(guess), timeZone);
  // A skipped midnight: the guess landed on the previous day; the day starts at the jump.
  while (localDate(new Date(guess), timeZone) < date) guess += 15 * 60_000;
  return new Date(guess);
}

/**
 * The instant on calendar day `date` with the same wall-clock time in `timeZone` as `instant`
 * (a refresher moved to another day keeps its hour across a daylight-saving change). A time
 * the clocks skip on `date` comes out an hour off, on the same day.
 */
export function sameTimeOn(instant: Date, date: string, timeZone: string): Date {
  const from = Date.parse(`${localDate(instant, timeZone)}T00:00:00Z`);
  const guess = instant.getTime() + (Date.parse(`${date}T00:00:00Z`) - from);
  return new Date(guess + offsetMs(instant, timeZone) - offsetMs(new Date(guess), timeZone));
}

/** The day after `date` (`YYYY-MM-DD`). */
export function nextDate(date: string): string {
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString().slice(0, 10);
}

/** Today in `timeZone` at `now`, and the instant tomorrow starts there (today's end, exclusive). */
export function zonedToday(now: Date, timeZone: string): { date: string; end: Date } {
  const date = localDate(now, timeZone);
  return { date, end: startOfDay(nextDate(date), timeZone) };
}
