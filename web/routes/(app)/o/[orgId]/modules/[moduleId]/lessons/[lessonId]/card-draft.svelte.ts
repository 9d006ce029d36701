/**
 * One card being edited. It holds the fields of every kind, so switching kind keeps what was
 * typed (a single-choice card turned into a multiple-choice one keeps its options).
 */
import {
  defaultExpectedSeconds,
  MIN_ORDER_STEPS,
  type Card,
  type CardContentInput,
  type CardContentSource,
  type CardKind,
} from '$shared/modules';

export interface DraftOption {
  /** Stable across moves, for keyed lists and focus. */
  key: number;
  /** The stored option's id: kept so learners' history follows the option. */
  id?: string;
  text: string;
  correct: boolean;
}

export class CardDraft {
  kind = $state<CardKind>('single');
  question = $state('');
  explanation = $state('');
  expectedSeconds = $state<number | null>(null);
  options = $state<DraftOption[]>([]);
  answer = $state(true);
  /** Order steps, in the right order (`correct` unused). */
  steps = $state<DraftOption[]>([]);
  modelAnswer = $state('');
  #nextKey = 0;
  #saved = '';

  constructor(from: Card | CardKind) {
    if (typeof from === 'string') {
      this.kind = from;
    } else {
      this.kind = from.kind;
      this.question = from.question;
      this.explanation = from.explanation;
      this.expectedSeconds = from.expectedSeconds;
      if (from.kind === 'single' || from.kind === 'multiple') {
        this.options = from.options.map((o) => this.#option(o.text, o.correct, o.id));
      } else if (from.kind === 'truefalse') {
        this.answer = from.answer;
      } else if (from.kind === 'order') {
        this.steps = from.steps.map((s) => this.#option(s.text, false, s.id));
      } else {
        this.modelAnswer = from.modelAnswer;
      }
    }
    this.fill();
    this.#saved = JSON.stringify(this.body());
  }

  /**
   * Empty rows so a new card (or a card changing kind) starts with what it needs. No option
   * starts marked right: a preset one is easily left on the wrong answer, and saving refuses a
   * card with none, so the trainer has to choose.
   */
  fill() {
    if ((this.kind === 'single' || this.kind === 'multiple') && this.options.length === 0) {
      this.options = [this.#option('', false), this.#option('', false)];
    }
    if (this.kind === 'order') {
      while (this.steps.length < MIN_ORDER_STEPS) this.steps.push(this.#option('', false));
    }
  }

  setKind(kind: CardKind) {
    this.kind = kind;
    // At most one right option for a single-choice card: keep the first one ticked, if any.
    if (kind === 'single') {
      const first = this.options.findIndex((o) => o.correct);
      this.options.forEach((o, i) => (o.correct = i === first));
    }
    this.fill();
  }

  /** The request body (checked by the caller with the shared schema). */
  body(): CardContentInput {
    const base = {
      question: this.question,
      explanation: this.explanation,
      expectedSeconds: this.expectedSeconds,
    };
    const option = (o: DraftOption) => ({ ...(o.id ? { id: o.id } : {}), text: o.text });
    switch (this.kind) {
      case 'single':
      case 'multiple':
        return {
          ...base,
          kind: this.kind,
          options: this.options.map((o) => ({ ...option(o), correct: o.correct })),
        };
      case 'truefalse':
        return { ...base, kind: 'truefalse', answer: this.answer };
      case 'order':
        return { ...base, kind: 'order', steps: this.steps.map(option) };
      case 'short':
        return { ...base, kind: 'short', modelAnswer: this.modelAnswer };
    }
  }

  dirty = $derived.by(() => JSON.stringify(this.body()) !== this.#saved);

  /** What the app would expect without a value set: shown as the placeholder. */
  defaultSeconds = $derived.by(() =>
    defaultExpectedSeconds({ ...this.body(), explanation: '' } as CardContentSource),
  );

  addOption(list: 'options' | 'steps'): number {
    this[list].push(this.#option('', false));
    return this[list].length - 1;
  }

  removeOption(list: 'options' | 'steps', index: number) {
    this[list].splice(index, 1);
  }

  moveOption(list: 'options' | 'steps', index: number, to: number): boolean {
    const items = this[list];
    if (to < 0 || to >= items.length) return false;
    const [item] = items.splice(index, 1);
    items.splice(to, 0, item!);
    return true;
  }

  /** Ticks the one right option of a single-choice card. */
  setOnlyCorrect(index: number) {
    this.options.forEach((o, i) => (o.correct = i === index));
  }

  #option(text: string, correct: boolean, id?: string): DraftOption {
    return { key: this.#nextKey++, ...(id ? { id } : {}), text, correct };
  }
}
