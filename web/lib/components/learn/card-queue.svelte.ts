/**
 * The cards of one sitting (a lesson's check or the day's refreshers), in order. A card
 * answered wrong comes back once more at the end of the same sitting (DESIGN.md §5), as
 * practice: that second answer is checked in the browser against the solution the first one
 * brought back and recorded nowhere, so the card still comes back the next day, as a wrong
 * answer must, whatever the practice gives.
 */
import type { LearnerCard, ReviewResult } from '$shared/learning';

export interface QueueItem {
  /** Unique within the sitting: a card shown again gets a new key (and a new review id). */
  key: string;
  card: LearnerCard;
  /** The second showing of a card answered wrong. */
  again: boolean;
  /** For that second showing: what the first answer recorded (solution, next due date). */
  first?: ReviewResult;
}

export interface Outcome {
  cardId: string;
  again: boolean;
  result: ReviewResult;
}

export class CardQueue {
  items = $state<QueueItem[]>([]);
  index = $state(0);
  outcomes = $state<Outcome[]>([]);

  current = $derived(this.items[this.index] ?? null);
  done = $derived(this.index >= this.items.length);
  /** Answered so far, for the progress bar (the total grows when a card comes back). */
  answered = $derived(this.outcomes.length);

  /** Whether a card answered wrong comes back at the end (not in a placement check). */
  readonly repeatWrong: boolean;

  constructor(cards: readonly LearnerCard[], { repeatWrong = true } = {}) {
    this.items = cards.map((card) => ({ key: card.id, card, again: false }));
    this.repeatWrong = repeatWrong;
  }

  record(item: QueueItem, result: ReviewResult) {
    if (this.outcomes.some((o) => o.result.id === result.id)) return;
    this.outcomes.push({ cardId: item.card.id, again: item.again, result });
    if (this.repeatWrong && !result.correct && !item.again) {
      this.items.push({
        key: `${item.card.id}:again`,
        card: item.card,
        again: true,
        first: result,
      });
    }
  }

  next() {
    if (!this.done) this.index += 1;
  }

  /** Cards right the first time they were shown in this sitting. */
  get rightFirstTime(): number {
    return this.outcomes.filter((o) => !o.again && o.result.correct).length;
  }

  /** Distinct cards of the sitting. */
  get cardCount(): number {
    return this.items.filter((i) => !i.again).length;
  }
}
