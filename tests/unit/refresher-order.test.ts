/**
 * Which refreshers come first under the daily budget (server/learner/today.ts): a simulation of
 * learners who forget faster than the model expects, under a cap of ten cards a day, comparing
 * earliest-due-first (the order chosen) with lowest-R-first and highest-R-first (DESIGN.md §5);
 * then the order and budget rules on hand-made cards.
 */
import { describe, expect, it } from 'vitest';
import { ratings, retrievability } from '../../shared/learning';
import {
  fitBudget,
  meanRecall,
  type MemoryCard,
  orderRefreshers,
  recallNow,
} from '../../server/learner/today';
import { createScheduler, type Memory } from '../../server/srs/fsrs';

const DAY = 86_400_000;
const START = Date.parse('2026-03-02T00:00:00Z');

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
const byRecall = (due: Card[], now: Date, sign: 1 | -1) =>
  [...due].sort((x, y) => sign * (recallNow(x, now) - recallNow(y, now)));

const orders: Record<string, Order> = {
  chosen: (due) => orderRefreshers(due),
  lowestRFirst: (due, now) => byRecall(due, now, 1),
  highestRFirst: (due, now) => byRecall(due, now, -1),
};

/**
 * One learner, 120 days: ten new cards a day for the first 40 days (answered right at the end
 * of the lesson), then each morning the due cards in `order`, at most ten (30 s each, a
 * 5-minute budget). Their true memory fades twice as fast as the scheduler believes (true
 * stability = half of FSRS's), so a backlog builds; any review, right or wrong, shows the
 * answer and restarts the forgetting curve. Returns the mean true recall over every card
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

describe('the order of refreshers under a daily cap (simulation)', () => {
  // Measured, seeds 1–8: mean recall chosen 0.825, lowest-R-first 0.804, highest-R-first
  // 0.763, in that order for every seed; pass rates 0.69, 0.68, 0.82.
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`earliest-due-first keeps the most remembered (seed ${seed})`, () => {
      const chosen = simulate(orders.chosen!, seed);
      const lowest = simulate(orders.lowestRFirst!, seed);
      const highest = simulate(orders.highestRFirst!, seed);
      expect(chosen.recall).toBeGreaterThan(lowest.recall);
      expect(lowest.recall).toBeGreaterThan(highest.recall);
      // What highest-R-first buys is a better pass rate, not more remembered.
      expect(highest.passRate).toBeGreaterThan(chosen.passRate);
    });
  }
});

describe('the order and the budget', () => {
  const now = new Date('2026-03-02T09:00:00Z');
  const card = (cardId: string, dueDaysAgo: number, extra: Partial<MemoryCard> = {}) => ({
    cardId,
    due: new Date(now.getTime() - dueDaysAgo * DAY),
    stability: 10,
    lastReview: new Date(now.getTime() - (dueDaysAgo + 10) * DAY),
    expectedSeconds: 30,
    critical: false,
    ...extra,
  });

  it('critical cards first, then the earliest due, then by id', () => {
    const cards = [
      card('b', 1),
      card('a', 1),
      card('old', 20),
      card('crit-new', 0, { critical: true }),
      card('crit-old', 5, { critical: true }),
    ];
    expect(orderRefreshers(cards).map((c) => c.cardId)).toEqual([
      'crit-old',
      'crit-new',
      'old',
      'a',
      'b',
    ]);
  });

  it('takes the longest prefix within the budget, at least one card, never skipping ahead', () => {
    const cards = [
      card('a', 3, { expectedSeconds: 100 }),
      card('b', 2, { expectedSeconds: 200 }),
      card('c', 1, { expectedSeconds: 10 }),
    ];
    expect(fitBudget(cards, 300).map((c) => c.cardId)).toEqual(['a', 'b']);
    expect(fitBudget(cards, 299).map((c) => c.cardId)).toEqual(['a']);
    expect(fitBudget(cards, 50).map((c) => c.cardId)).toEqual(['a']);
    expect(fitBudget(cards, 310).map((c) => c.cardId)).toEqual(['a', 'b', 'c']);
    expect(fitBudget([], 300)).toEqual([]);
  });

  it('mean recall counts the cards reviewed at least once', () => {
    // R(10, 10) = 0.9 by construction of the factor; R(0, S) = 1.
    const reviewed = card('a', 0);
    const fresh = { ...card('b', 0), lastReview: now, stability: 3 };
    expect(meanRecall([reviewed, fresh], now)).toBeCloseTo(0.95, 12);
    expect(meanRecall([{ ...reviewed, lastReview: null }], now)).toBeNull();
    expect(meanRecall([], now)).toBeNull();
  });
});
