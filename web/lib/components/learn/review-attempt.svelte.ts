/**
 * One answer to one card: its review id is made once, when the question is shown, and reused
 * on every retry, so a lost response never records the answer twice (DESIGN.md §5).
 */
import { goto } from '$app/navigation';
import { page } from '$app/state';
import { type Answer, answerMatches, type ReviewBody, type ReviewResult } from '$shared/learning';
import { api, ApiError } from '$lib/api';
import { errorText } from '$lib/errors';
import { loginPath } from '$lib/navigation';
import { newId } from './learn-format';

/** The longest duration the API accepts (an hour); a forgotten tab is not a slow answer. */
const MAX_DURATION_MS = 60 * 60 * 1000;

/** How an answer is graded; by default it is recorded as a review (`POST reviews`). */
export type Grade = (body: ReviewBody) => Promise<ReviewResult>;

export class ReviewAttempt {
  readonly id = newId();
  sending = $state(false);
  result = $state<ReviewResult | null>(null);
  error = $state<string | null>(null);
  /** Set by the first try and kept: a retry sends exactly the same answer. */
  answer = $state<Answer | null>(null);
  #shownAt = performance.now();
  #durationMs: number | null = null;

  readonly #cardId: string;
  readonly #grade: Grade;

  constructor(orgId: string, cardId: string, grade?: Grade) {
    this.#cardId = cardId;
    this.#grade = grade ?? ((body) => api.review(orgId, body));
  }

  /** Whether the answer can no longer change (sent, or waiting for a retry). */
  get locked(): boolean {
    return this.answer !== null;
  }

  async send(answer: Answer): Promise<ReviewResult | null> {
    if (this.sending || this.result) return this.result;
    if (!this.answer) {
      this.answer = answer;
      this.#durationMs = Math.min(MAX_DURATION_MS, Math.round(performance.now() - this.#shownAt));
    }
    return this.#post();
  }

  /**
   * A practice answer to a card shown again in the same sitting: checked here against the
   * solution of the `first` answer, sent nowhere. The card keeps the first answer's due date.
   */
  practise(answer: Answer, first: ReviewResult): ReviewResult {
    if (!this.answer) this.answer = answer;
    this.result ??= { ...first, id: this.id, correct: answerMatches(first.solution, answer) };
    return this.result;
  }

  /** Sends the same answer with the same id after a failure. */
  retry(): Promise<ReviewResult | null> {
    return this.#post();
  }

  async #post(): Promise<ReviewResult | null> {
    if (!this.answer || this.sending) return null;
    this.sending = true;
    this.error = null;
    try {
      this.result = await this.#grade({
        id: this.id,
        cardId: this.#cardId,
        answer: this.answer,
        durationMs: this.#durationMs ?? 0,
      });
      return this.result;
    } catch (e) {
      if (e instanceof ApiError && e.code === 'UNAUTHENTICATED') {
        // eslint-disable-next-line svelte/no-navigation-without-resolve -- loginPath is a local path
        await goto(loginPath(page.url.pathname));
        return null;
      }
      if (!(e instanceof ApiError)) console.error(e);
      this.error = errorText(e instanceof ApiError ? e.code : 'INTERNAL');
      return null;
    } finally {
      this.sending = false;
    }
  }
}
