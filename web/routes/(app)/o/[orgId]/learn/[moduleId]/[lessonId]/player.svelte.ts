/**
 * Where a learner is in one lesson (reading a block, the check, done) and the quiet saving of
 * that place, so the lesson resumes where it was left.
 */
import { goto } from '$app/navigation';
import { page } from '$app/state';
import { api, ApiError } from '$lib/api';
import { errorText } from '$lib/errors';
import { loginPath } from '$lib/navigation';

export type Phase = 'read' | 'check' | 'done';

export class PlayerState {
  /** Index of the block shown (0-based); equals the block count once reading is over. */
  step = $state(0);
  phase = $state<Phase>('read');
  readonly blockCount: number;
  readonly cardCount: number;

  constructor(blockCount: number, cardCount: number, resumeAt: number) {
    this.blockCount = blockCount;
    this.cardCount = cardCount;
    this.step = Math.max(0, Math.min(resumeAt, blockCount));
    if (this.step >= blockCount) {
      if (cardCount > 0) this.phase = 'check';
      else this.step = Math.max(0, blockCount - 1);
    }
  }

  get canGoBack(): boolean {
    return this.phase === 'read' && this.step > 0;
  }

  get onLastBlock(): boolean {
    return this.step >= this.blockCount - 1;
  }

  /** The next block, or the check after the last one; false when reading is over. */
  forward(): boolean {
    if (this.phase !== 'read') return false;
    if (!this.onLastBlock) {
      this.step += 1;
      return true;
    }
    if (this.cardCount === 0) return false;
    this.step = this.blockCount;
    this.phase = 'check';
    return true;
  }

  back(): boolean {
    if (!this.canGoBack) return false;
    this.step -= 1;
    return true;
  }
}

/** Saves the reading place in order (one request at a time) and, at the end, completion. */
export class ProgressSaver {
  completing = $state(false);
  error = $state<string | null>(null);
  #chain: Promise<unknown> = Promise.resolve();
  readonly #orgId: string;
  readonly #lessonId: string;
  readonly #alreadyDone: boolean;

  constructor(orgId: string, lessonId: string, alreadyDone: boolean) {
    this.#orgId = orgId;
    this.#lessonId = lessonId;
    this.#alreadyDone = alreadyDone;
  }

  /** Best effort: a lost save only means resuming a step earlier. Re-reading saves nothing. */
  save(position: number) {
    if (this.#alreadyDone) return;
    this.#chain = this.#chain
      .then(() => api.saveLessonProgress(this.#orgId, this.#lessonId, { position }))
      .catch((e: unknown) => this.#loginIfNeeded(e));
  }

  /** Marks the lesson done; true once the API has it. */
  async complete(position: number): Promise<boolean> {
    this.completing = true;
    this.error = null;
    try {
      await this.#chain;
      await api.saveLessonProgress(this.#orgId, this.#lessonId, { position, completed: true });
      return true;
    } catch (e) {
      await this.#loginIfNeeded(e);
      this.error = errorText(e instanceof ApiError ? e.code : 'INTERNAL');
      return false;
    } finally {
      this.completing = false;
    }
  }

  async #loginIfNeeded(e: unknown) {
    if (e instanceof ApiError && e.code === 'UNAUTHENTICATED') {
      // eslint-disable-next-line svelte/no-navigation-without-resolve -- loginPath is a local path
      await goto(loginPath(page.url.pathname));
    } else if (!(e instanceof ApiError)) console.error(e);
  }
}
