/**
 * Which refreshers a learner does today, in which order, within the daily budget: pure rules
 * over the learner's card memory, tested with fixed dates.
 */
import { retrievability } from '../../shared/learning';

const DAY_MS = 86_400_000;

/** What the rules need to know of one card in memory. */
export interface MemoryCard {
  cardId: string;
  due: Date;
  stability: number;
  lastReview: Date | null;
  expectedSeconds: number;
  /** The card's module is critical. */
  critical: boolean;
}

/** Predicted probability of recall at `now` (R(t, S), t in days since the last review). */
export function recallNow(card: Pick<MemoryCard, 'stability' | 'lastReview'>, now: Date) {
  if (!card.lastReview) return 0;
  return retrievability((now.getTime() - card.lastReview.getTime()) / DAY_MS, card.stability);
}

/** Mean predicted recall at `now` over the cards reviewed at least once; null when none are. */
export function meanRecall(
  cards: readonly Pick<MemoryCard, 'stability' | 'lastReview'>[],
  now: Date,
) {
  const reviewed = cards.filter((c) => c.lastReview !== null);
  if (reviewed.length === 0) return null;
  return reviewed.reduce((sum, c) => sum + recallNow(c, now), 0) / reviewed.length;
}

/**
 * The order to do due refreshers in: cards of critical modules first; then the card that has
 * waited longest past its due date (earliest due); then by id, so the order is stable.
 *
 * Picked by simulation (tests/unit/refresher-order.test.ts): learners who forget twice as fast
 * as the model expects, a cap of ten cards a day, so a backlog builds. Measured by what they
 * remember (mean true recall over every card learnt, days 30–120, 8 seeds), earliest-due-first
 * keeps 0.825, lowest-R-first 0.804 and highest-R-first 0.763, every seed in that order.
 * Highest-R-first has the best pass rate on the cards it shows (0.82 against 0.69), which is
 * why backlogs "feel" better that way, but it keeps serving the cards that were just due and
 * lets the others fade for good. Earliest-due differs from lowest-R on cards with long
 * stability: overdue for weeks yet still fairly well recalled, they still get their turn
 * before fresher, weaker cards that will come back soon anyway. This disagrees with
 * DESIGN.md §5's note; the simulation is there to be rerun with a better learner model.
 */
export function orderRefreshers<C extends MemoryCard>(cards: readonly C[]): C[] {
  return [...cards].sort(
    (x, y) =>
      Number(y.critical) - Number(x.critical) ||
      x.due.getTime() - y.due.getTime() ||
      (x.cardId < y.cardId ? -1 : x.cardId > y.cardId ? 1 : 0),
  );
}

/**
 * The longest prefix of `ordered` whose expected times add up to at most `budgetSeconds`, and
 * at least the first card (a long card never blocks the day). A prefix, not a knapsack: a card
 * that does not fit is not skipped for smaller ones behind it, which would break the order.
 */
export function fitBudget<C extends Pick<MemoryCard, 'expectedSeconds'>>(
  ordered: readonly C[],
  budgetSeconds: number,
): C[] {
  let spent = 0;
  let count = 0;
  for (const card of ordered) {
    if (count > 0 && spent + card.expectedSeconds > budgetSeconds) break;
    spent += card.expectedSeconds;
    count++;
  }
  return ordered.slice(0, count);
}

/**
 * A learner's refresher time per day: the organisation's budget, but never more than the
 * minutes a day their persona has for learning (a "Step by step" profile with 3 minutes gets
 * 3, even where the organisation allows 5). No persona yet: the organisation's.
 */
export function dailyBudgetSeconds(orgMinutes: number, personaMinutes: number | null): number {
  return Math.min(orgMinutes, personaMinutes ?? orgMinutes) * 60;
}
