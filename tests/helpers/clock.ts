import type { Clock } from '../../server/lib/clock';

/** A clock that stands still until a test moves it. */
export class TestClock implements Clock {
  private t: number;
  constructor(start: Date | string = '2026-03-02T09:00:00Z') {
    this.t = new Date(start).getTime();
  }
  now() {
    return new Date(this.t);
  }
  advance(ms: number) {
    this.t += ms;
  }
  set(d: Date | string) {
    this.t = new Date(d).getTime();
  }
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
