import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { weekdaysOnlyCalendar } from '../../shared/calendar';
import { ratings, retrievability } from '../../shared/learning';
import type { NextUse } from '../../shared/tools';
import { anchoredDue, BETWEEN_USES_RETENTION, retentionBetweenUses } from '../../server/srs/anchor';
import { createScheduler, type LoggedReview, type Memory } from '../../server/srs/fsrs';

const DAY = 86_400_000;
const start = new Date('2026-03-02T09:00:00Z'); // a Monday
const days = (from: Date, to: Date) => (to.getTime() - from.getTime()) / DAY;
const scheduler = createScheduler({ fuzz: false });

/** Answers `sequence` each on its due date; returns the intervals in days. */
function intervals(sequence: number[]) {
  let memory = scheduler.newMemory(start);
  let now = start;
  const out: number[] = [];
  for (const rating of sequence) {
    memory = scheduler.review(memory, rating, now, 0.9).memory;
    out.push(days(now, memory.due));
    now = memory.due;
  }
  return out;
}

describe('FSRS adapter', () => {
  it('a new card answered Good at the lesson check comes back 1–3 days later', () => {
    const { memory, stateBefore, elapsedDays } = scheduler.review(
      scheduler.newMemory(start),
      ratings.good,
      start,
      0.9,
    );
    expect(stateBefore).toBe(0);
    expect(elapsedDays).toBe(0);
    const first = days(start, memory.due);
    expect(first).toBeGreaterThanOrEqual(1);
    expect(first).toBeLessThanOrEqual(3);
    expect(memory).toMatchObject({ reps: 1, lapses: 0, lastReview: start });
  });

  it('intervals grow on successive Goods: days, then weeks, then months', () => {
    const gaps = intervals([3, 3, 3, 3, 3]);
    for (let i = 1; i < gaps.length; i++) expect(gaps[i]!).toBeGreaterThan(gaps[i - 1]!);
    expect(gaps[1]).toBeGreaterThanOrEqual(7);
    expect(gaps[3]).toBeGreaterThanOrEqual(60);
  });

  it('Again brings the card back the next day, also after a long interval, and counts a lapse', () => {
    let memory = scheduler.newMemory(start);
    let now = start;
    for (const rating of [3, 3, 3]) {
      memory = scheduler.review(memory, rating, now, 0.9).memory;
      now = memory.due;
    }
    const lapse = scheduler.review(memory, ratings.again, now, 0.9);
    expect(days(now, lapse.memory.due)).toBe(1);
    expect(lapse.scheduledDays).toBe(1);
    expect(lapse.memory.lapses).toBe(1);
    expect(lapse.memory.stability).toBeLessThan(memory.stability);
    const first = scheduler.review(scheduler.newMemory(start), ratings.again, start, 0.9);
    expect(days(start, first.memory.due)).toBe(1);
  });

  it('a higher desired retention gives shorter intervals', () => {
    const at = (r: number) => {
      const m = scheduler.review(scheduler.newMemory(start), 3, start, r).memory;
      const next = scheduler.review(m, 3, m.due, r).memory;
      return days(m.due, next.due);
    };
    expect(at(0.95)).toBeLessThan(at(0.9));
    expect(at(0.8)).toBeGreaterThan(at(0.9));
  });

  it('replaying the log reproduces the memory', () => {
    const logs: LoggedReview[] = [];
    let memory = scheduler.newMemory(start);
    let now = start;
    for (const [rating, gap] of [
      [3, 3],
      [4, 10],
      [1, 1],
      [2, 5],
      [3, 0.2],
    ] as const) {
      memory = scheduler.review(memory, rating, now, 0.9).memory;
      logs.push({ rating, reviewedAt: now, requestRetention: 0.9, anchoredDue: null });
      now = new Date(now.getTime() + gap * DAY);
    }
    expect(scheduler.replay(logs)).toEqual(memory);
  });

  it('fuzz spreads due dates but a replay with fuzz draws the same ones', () => {
    const fuzzy = createScheduler({ fuzz: true });
    let m = fuzzy.newMemory(start);
    const logs: LoggedReview[] = [];
    let now = start;
    const dues = new Set<number>();
    for (let i = 0; i < 6; i++) {
      m = fuzzy.review(m, 3, now, 0.9).memory;
      logs.push({ rating: 3, reviewedAt: now, requestRetention: 0.9, anchoredDue: null });
      now = m.due;
    }
    expect(fuzzy.replay(logs)).toEqual(m);
    // Across many cards answered at different minutes, a 60-day interval does not land on one day.
    for (let k = 0; k < 30; k++) {
      let c = fuzzy.newMemory(start);
      let t = new Date(start.getTime() + k * 60_000);
      for (let i = 0; i < 4; i++) {
        c = fuzzy.review(c, 3, t, 0.9).memory;
        t = c.due;
      }
      dues.add(Math.round(c.scheduledDays));
    }
    expect(dues.size).toBeGreaterThan(1);
  });
});

describe('replay, property over random histories', () => {
  const history = fc.array(
    fc.record({
      rating: fc.integer({ min: 1, max: 4 }),
      // Gaps from minutes to a year, in ms; 0 too (two answers at once).
      gapMs: fc.oneof(
        fc.constant(0),
        fc.integer({ min: 1, max: 3 * 3_600_000 }),
        fc.integer({ min: 1, max: 365 * DAY }),
      ),
      retention: fc.constantFrom(0.8, 0.9, 0.95),
      anchorDays: fc.option(fc.integer({ min: 1, max: 5 }), { nil: null }),
    }),
    { minLength: 1, maxLength: 25 },
  );

  for (const fuzz of [false, true]) {
    it(`replaying the log reproduces the stored state exactly (fuzz ${fuzz ? 'on' : 'off'})`, () => {
      const s = createScheduler({ fuzz });
      fc.assert(
        fc.property(history, (steps) => {
          let memory: Memory = s.newMemory(start);
          let now = start;
          const logs: LoggedReview[] = [];
          for (const step of steps) {
            // Strictly later than the previous answer, as the review service guarantees.
            now = new Date(now.getTime() + Math.max(step.gapMs, 1));
            const result = s.review(memory, step.rating, now, step.retention);
            let anchored: Date | null = null;
            if (step.anchorDays !== null) {
              const candidate = new Date(now.getTime() + step.anchorDays * DAY);
              if (candidate < result.due) anchored = candidate;
            }
            memory = anchored ? s.anchor(result.memory, anchored) : result.memory;
            logs.push({
              rating: step.rating,
              reviewedAt: now,
              requestRetention: step.retention,
              anchoredDue: anchored,
            });
          }
          const replayed = s.replay(logs);
          expect(replayed).toEqual(memory);
          expect(replayed.reps).toBe(steps.length);
          // Forgetting a card never learnt is not a lapse.
          expect(replayed.lapses).toBe(steps.slice(1).filter((x) => x.rating === 1).length);
        }),
        { numRuns: 300 },
      );
    });
  }
});

describe('event-anchored due date', () => {
  const monthEnd = { kind: 'rule', rule: 'last-working-day-of-month' } as const;
  // Monday to Friday, UTC: holidays and zones are in tests/unit/calendar-anchor.test.ts.
  const base = {
    reviewedAt: start,
    useDayTarget: 0.9,
    calendar: weekdaysOnlyCalendar,
    timeZone: 'UTC',
  };

  it('moves the refresher two working days before a use that recall would not reach', () => {
    // Learnt on Monday 2 March; the use is Thursday 5 March; FSRS says Friday 6 March.
    const use: NextUse = { kind: 'dates', dates: ['2026-03-05'] };
    const due = new Date('2026-03-06T09:00:00Z');
    const stability = 2.3;
    expect(retrievability(days(start, new Date('2026-03-06T00:00:00Z')), stability)).toBeLessThan(
      0.9,
    );
    expect(anchoredDue({ ...base, due, stability, nextUse: use })).toEqual(
      new Date('2026-03-03T09:00:00Z'),
    );
  });

  it('skips the weekend when counting working days back', () => {
    // Use on Tuesday 31 March 2026 (last working day); two working days before: Friday 27.
    const due = new Date('2026-04-10T09:00:00Z');
    const stability = 20;
    const anchored = anchoredDue({ ...base, due, stability, nextUse: monthEnd });
    expect(retrievability(days(start, new Date('2026-04-01T00:00:00Z')), stability)).toBeLessThan(
      0.9,
    );
    expect(anchored).toEqual(new Date('2026-03-27T09:00:00Z'));
  });

  it('keeps the scheduled date when recall on the use day stays above target', () => {
    const due = new Date('2026-05-01T09:00:00Z');
    expect(anchoredDue({ ...base, due, stability: 60, nextUse: monthEnd })).toBeNull();
  });

  it('keeps the scheduled date when the refresher comes before the use anyway', () => {
    const due = new Date('2026-03-20T09:00:00Z');
    expect(anchoredDue({ ...base, due, stability: 2, nextUse: monthEnd })).toBeNull();
  });

  it('checks every use before the due date, not only the next one', () => {
    // Stability 40: recall holds 0.9 at the end of 31 March, not at the end of 30 April.
    const stability = 40;
    expect(
      retrievability(days(start, new Date('2026-04-01T00:00:00Z')), stability),
    ).toBeGreaterThan(0.9);
    expect(retrievability(days(start, new Date('2026-05-01T00:00:00Z')), stability)).toBeLessThan(
      0.9,
    );
    const due = new Date('2026-06-10T09:00:00Z');
    // Thursday 30 April's close: Tuesday 28 April; with a lead of one working day, Wednesday.
    expect(anchoredDue({ ...base, due, stability, nextUse: monthEnd })).toEqual(
      new Date('2026-04-28T09:00:00Z'),
    );
    expect(anchoredDue({ ...base, due, stability, nextUse: monthEnd, leadWorkingDays: 1 })).toEqual(
      new Date('2026-04-29T09:00:00Z'),
    );
  });

  it('a lower use-day target lets the card wait past the uses recall still covers', () => {
    const due = new Date('2026-06-10T09:00:00Z');
    // At 0.8 a stability of 40 days lasts past 10 June: every close before it is covered.
    expect(retrievability(days(start, due), 40)).toBeGreaterThan(0.8);
    expect(
      anchoredDue({ ...base, useDayTarget: 0.8, due, stability: 40, nextUse: monthEnd }),
    ).toBeNull();
    // At 0.95 the end of March is already too far.
    expect(
      anchoredDue({ ...base, useDayTarget: 0.95, due, stability: 40, nextUse: monthEnd }),
    ).toEqual(new Date('2026-03-27T09:00:00Z'));
  });

  it('never before tomorrow, and nothing without next-use dates', () => {
    const use: NextUse = { kind: 'dates', dates: ['2026-03-03'] };
    const due = new Date('2026-03-05T09:00:00Z');
    expect(anchoredDue({ ...base, due, stability: 0.5, nextUse: use })).toEqual(
      new Date('2026-03-03T09:00:00Z'),
    );
    expect(anchoredDue({ ...base, due, stability: 0.5, nextUse: { kind: 'none' } })).toBeNull();
    // A use date on the review's own day does not count: the next one is looked at.
    const today: NextUse = { kind: 'dates', dates: ['2026-03-02'] };
    expect(anchoredDue({ ...base, due, stability: 0.5, nextUse: today })).toBeNull();
  });
});

describe('retention between uses', () => {
  const monthEnd: NextUse = { kind: 'rule', rule: 'last-working-day-of-month' };
  const at = { reviewedAt: start, calendar: weekdaysOnlyCalendar, timeZone: 'UTC' };

  it('lowers a process card’s retention while its process has a use ahead', () => {
    expect(retentionBetweenUses({ ...at, retention: 0.9, nextUse: monthEnd })).toBe(
      BETWEEN_USES_RETENTION,
    );
    expect(BETWEEN_USES_RETENTION).toBeLessThan(0.9);
  });

  it('never raises it, and leaves other cards and past processes alone', () => {
    expect(
      retentionBetweenUses({ ...at, retention: 0.72, nextUse: monthEnd, betweenUses: 0.8 }),
    ).toBe(0.72);
    expect(retentionBetweenUses({ ...at, retention: 0.9, nextUse: null })).toBe(0.9);
    expect(retentionBetweenUses({ ...at, retention: 0.9, nextUse: { kind: 'none' } })).toBe(0.9);
    // The only use is the review's own day: none is ahead.
    const past: NextUse = { kind: 'dates', dates: ['2026-01-30', '2026-03-02'] };
    expect(retentionBetweenUses({ ...at, retention: 0.9, nextUse: past })).toBe(0.9);
  });
});
