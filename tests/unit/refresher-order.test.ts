/**
 * Which refreshers come first under the daily budget (server/learner/today.ts): the order and
 * budget rules on hand-made cards, then the one simulation where the order chosen (lowest
 * predicted recall first, chosen with bench/learning) keeps less than earliest-due-first,
 * with its figures, so the trade-off stays measured.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_DECAY, ratings, retrievability } from '../../shared/learning';
import {
  elapsedOverStability,
  fitBudget,
  meanRecall,
  type MemoryCard,
  orderRefreshers,
  recallNow,
} from '../../server/learner/today';
import { createScheduler, type Memory } from '../../server/srs/fsrs';
import { orderByEarliestDue } from '../../bench/learning/schedulers';

const DAY = 86_400_000;

describe('the order and the budget', () => {
  const now = new Date('2026-03-02T09:00:00Z');
  /** Last reviewed `reviewedDaysAgo` days ago with stability `stability`, due `dueDaysAgo` ago. */
  const card = (
    cardId: string,
    dueDaysAgo: number,
    reviewedDaysAgo: number,
    stability: number,
    extra: Partial<MemoryCard> = {},
  ): MemoryCard => ({
    cardId,
    due: new Date(now.getTime() - dueDaysAgo * DAY),
    stability,
    lastReview: new Date(now.getTime() - reviewedDaysAgo * DAY),
    expectedSeconds: 30,
    critical: false,
    ...extra,
  });

  it('the key is days since the last review ÷ stability; never reviewed is Infinity', () => {
    expect(elapsedOverStability(card('a', 0, 15, 10), now)).toBe(1.5);
    expect(elapsedOverStability(card('a', 0, 0, 10), now)).toBe(0);
    expect(elapsedOverStability({ stability: 10, lastReview: null }, now)).toBe(Infinity);
    expect(elapsedOverStability({ stability: 0, lastReview: now }, now)).toBe(Infinity);
  });

  it('critical cards first, then the lowest predicted recall, then the earliest due, then by id', () => {
    const cards = [
      card('b', 2, 12, 10), // t/S 1.2
      card('a', 2, 12, 10), // t/S 1.2, same due: by id
      card('c', 3, 12, 10), // t/S 1.2, due earlier
      // Overdue a month yet still well recalled (t/S 1.3, R 0.87): after the weak card.
      card('long', 30, 130, 100),
      // Due only yesterday, but half forgotten already (t/S 2.5, R 0.80).
      card('weak', 1, 5, 2),
      card('never', 0, 0, 1, { lastReview: null }),
      card('crit-fresh', 0, 1, 10, { critical: true }),
      card('crit-faded', 5, 20, 10, { critical: true }),
    ];
    const order = ['crit-faded', 'crit-fresh', 'never', 'weak', 'long', 'c', 'a', 'b'];
    expect(orderRefreshers(cards, now).map((c) => c.cardId)).toEqual(order);
    // The same as sorting by recall with any decay (the organisation's weights): t/S decides.
    for (const decay of [0.1, 0.1542, 0.5]) {
      const recall = (c: MemoryCard) =>
        c.lastReview
          ? retrievability((now.getTime() - c.lastReview.getTime()) / DAY, c.stability, decay)
          : 0;
      const byRecall = orderByEarliestDue(cards).sort(
        (x, y) => Number(y.critical) - Number(x.critical) || recall(x) - recall(y),
      );
      expect(byRecall.map((c) => c.cardId)).toEqual(order);
    }
    // Earliest due first, the order this one replaced, would serve the month-old card first.
    expect(
      orderByEarliestDue(cards)
        .map((c) => c.cardId)
        .slice(2, 4),
    ).toEqual(['long', 'c']);
  });

  it('takes the longest prefix within the budget, at least one card, never skipping ahead', () => {
    const cards = [
      card('a', 3, 13, 10, { expectedSeconds: 100 }),
      card('b', 2, 12, 10, { expectedSeconds: 200 }),
      card('c', 1, 11, 10, { expectedSeconds: 10 }),
    ];
    expect(fitBudget(cards, 300).map((c) => c.cardId)).toEqual(['a', 'b']);
    expect(fitBudget(cards, 299).map((c) => c.cardId)).toEqual(['a']);
    expect(fitBudget(cards, 50).map((c) => c.cardId)).toEqual(['a']);
    expect(fitBudget(cards, 310).map((c) => c.cardId)).toEqual(['a', 'b', 'c']);
    expect(fitBudget([], 300)).toEqual([]);
  });

  it('mean recall counts the cards reviewed at least once', () => {
    // R(10, 10) = 0.9 by construction of the factor; R(0, S) = 1.
    const reviewed = card('a', 0, 10, 10);
    const fresh = card('b', 0, 0, 3);
    expect(meanRecall([reviewed, fresh], now, DEFAULT_DECAY)).toBeCloseTo(0.95, 12);
    expect(meanRecall([{ ...reviewed, lastReview: null }], now, DEFAULT_DECAY)).toBeNull();
    expect(meanRecall([], now, DEFAULT_DECAY)).toBeNull();
    // With another decay, the same card 20 days on: R(20, 10) = (1 + factor·2)^(−decay).
    const later = new Date(now.getTime() + 10 * DAY);
    for (const decay of [0.1, 0.5]) {
      const expected = Math.pow(1 + (Math.pow(0.9, -1 / decay) - 1) * 2, -decay);
      expect(meanRecall([reviewed], later, decay)).toBeCloseTo(expected, 12);
    }
  });
});

/** mulberry32: a small seeded generator, so every run is the same. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Card = MemoryCard & { i: number };
type Order = (due: Card[], now: Date) => Card[];
const orders = {
  chosen: (due, now) => orderRefreshers(due, now),
  earliestDue: (due) => orderByEarliestDue(due),
  highestRFirst: (due, now) =>
    [...due].sort((x, y) => recallNow(y, now, DEFAULT_DECAY) - recallNow(x, now, DEFAULT_DECAY)),
} satisfies Record<string, Order>;

const START = Date.parse('2026-03-02T00:00:00Z');

/**
 * One learner, 120 days: ten new cards a day for the first 40 days (answered right at the end
 * of the lesson), then each morning the due cards in `order`, at most ten (30 s each, a
 * 5-minute budget), so the backlog is more than ten days' budget on most days. Their true
 * memory is FSRS's curve with half the stability the scheduler believes; any review, right or
 * wrong, shows the answer and restarts it. Returns the mean true recall over every card
 * learnt, averaged over days 30–120, and the pass rate of the refreshers shown.
 */
function simulate(order: Order, seed: number) {
  const random = rng(seed);
  const scheduler = createScheduler({ fuzz: false });
  const cards: Memory[] = [];
  const trueRecall = (m: Memory, at: number) =>
    retrievability((at - m.lastReview!.getTime()) / DAY, m.stability / 2);
  const daily: number[] = [];
  let passed = 0;
  let shown = 0;
  for (let day = 0; day < 120; day++) {
    const session = START + day * DAY + 9 * 3_600_000;
    const now = new Date(session);
    const endOfDay = START + (day + 1) * DAY;
    const due = cards
      .map((m, i) => ({
        i,
        cardId: String(i).padStart(6, '0'),
        due: m.due,
        stability: m.stability,
        lastReview: m.lastReview,
        expectedSeconds: 30,
        critical: false,
      }))
      .filter((c) => c.due.getTime() < endOfDay);
    for (const card of fitBudget(order(due, now), 300)) {
      const memory = cards[card.i]!;
      const correct = random() < trueRecall(memory, session);
      passed += Number(correct);
      shown++;
      const rating = correct ? ratings.good : ratings.again;
      cards[card.i] = scheduler.review(memory, rating, now, 0.9).memory;
    }
    if (day < 40) {
      for (let k = 0; k < 10; k++) {
        const at = new Date(session + 3_600_000 + k * 60_000);
        cards.push(scheduler.review(scheduler.newMemory(at), ratings.good, at, 0.9).memory);
      }
    }
    if (day >= 30) {
      daily.push(cards.reduce((sum, m) => sum + trueRecall(m, endOfDay), 0) / cards.length);
    }
  }
  return { recall: daily.reduce((x, y) => x + y, 0) / daily.length, passRate: passed / shown };
}

describe('where the order chosen keeps less: FSRS-shaped fast forgetters, permanently overloaded', () => {
  // Measured, seeds 1–8 (mean recall kept; pass rate): earliest-due-first 0.825, 0.69; the
  // order chosen 0.804, 0.68; highest-R-first 0.763, 0.82. Earliest-due-first keeps more on
  // every seed here, and on average in the same simulation with a right model (stability
  // not halved: 0.896 against 0.889), five new cards a day or twenty refreshers a day (a
  // backlog of at most 10 days' budget: 0.901 against 0.896, 0.903 against 0.898). The gap
  // comes from this memory model, not from the backlog's size, which is why there is no
  // triage on the backlog. With the bench's learners (bench/learning) the order chosen is
  // never worse and much better after an absence; see orderRefreshers.
  const seeds = [1, 2, 3, 4, 5, 6, 7, 8];
  const runs = seeds.map((seed) => ({
    chosen: simulate(orders.chosen, seed),
    earliestDue: simulate(orders.earliestDue, seed),
    highest: simulate(orders.highestRFirst, seed),
  }));
  const mean = (pick: (r: (typeof runs)[number]) => number) =>
    runs.reduce((sum, r) => sum + pick(r), 0) / runs.length;

  it('keeps 0.804 of recall against earliest-due-first’s 0.825, less on every seed', () => {
    expect(mean((r) => r.chosen.recall)).toBeCloseTo(0.804, 3);
    expect(mean((r) => r.earliestDue.recall)).toBeCloseTo(0.825, 3);
    for (const r of runs) expect(r.earliestDue.recall).toBeGreaterThan(r.chosen.recall);
  });

  it('still keeps more than highest-R-first (0.763), whose better pass rate (0.82) is not more remembered', () => {
    expect(mean((r) => r.highest.recall)).toBeCloseTo(0.763, 3);
    for (const r of runs) {
      expect(r.chosen.recall).toBeGreaterThan(r.highest.recall);
      expect(r.highest.passRate).toBeGreaterThan(r.chosen.passRate);
    }
    expect(mean((r) => r.highest.passRate)).toBeCloseTo(0.817, 3);
    expect(mean((r) => r.chosen.passRate)).toBeCloseTo(0.682, 3);
  });
});
