/**
 * Saves a draft a moment after each change, one save at a time, without losing what is typed
 * while a save is in flight: the state is a serialised snapshot, and whatever differs from the
 * last saved snapshot when a save ends is saved next.
 */
export type AutosaveStatus = 'saved' | 'pending' | 'saving' | 'error';

export interface AutosaveOptions {
  /** Sends one snapshot (as given to `update`); throws when it was not saved. */
  save: (snapshot: string) => Promise<void>;
  /** Says why a save failed, for the status line. */
  explain: (error: unknown) => string;
  /** Whether a failure is worth retrying by itself (a network blip), not a refusal. */
  retryable?: (error: unknown) => boolean;
  /** Quiet time after the last change before saving, in ms. */
  delay?: number;
  retryDelay?: number;
}

export class Autosave {
  status = $state<AutosaveStatus>('saved');
  /** When the last save ended (ms since the epoch). */
  savedAt = $state<number | null>(null);
  error = $state<string | null>(null);

  #options: AutosaveOptions;
  #saved: string;
  #latest: string;
  #failed: string | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running: Promise<void> | null = null;

  /** `initial` is the snapshot already stored (nothing to save yet). */
  constructor(initial: string, options: AutosaveOptions) {
    this.#saved = initial;
    this.#latest = initial;
    this.#options = options;
  }

  /** Whether some change is not stored yet (pending, in flight or failed). */
  get dirty(): boolean {
    return this.#latest !== this.#saved;
  }

  /** Takes the current state; schedules a save when it differs from what is stored. */
  update(snapshot: string) {
    this.#latest = snapshot;
    if (!this.dirty) {
      clearTimeout(this.#timer);
      if (!this.#running) this.#settle();
      return;
    }
    // A refused snapshot is not sent again until something changes.
    if (snapshot === this.#failed) return;
    if (!this.#running) this.status = 'pending';
    this.#schedule(this.#options.delay ?? 800);
  }

  /** Saves now whatever is not stored, waiting for a save in flight; true when all is stored. */
  async flush(): Promise<boolean> {
    clearTimeout(this.#timer);
    while (this.#running) await this.#running;
    if (this.dirty) {
      this.#failed = null;
      await this.#run();
    }
    return !this.dirty;
  }

  /** Stops the timers (the page is going away). */
  dispose() {
    clearTimeout(this.#timer);
  }

  #schedule(delay: number) {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#run(), delay);
  }

  #settle() {
    this.status = 'saved';
    this.error = null;
  }

  async #run(): Promise<void> {
    if (this.#running) return; // the save in flight picks up the change when it ends
    if (!this.dirty) return;
    const snapshot = this.#latest;
    this.status = 'saving';
    const attempt = this.#attempt(snapshot);
    this.#running = attempt.then(() => undefined);
    const outcome = await attempt;
    this.#running = null;
    if (outcome === 'saved' && this.dirty) {
      // Typed during the save: save again after the usual quiet time.
      this.status = 'pending';
      this.#schedule(this.#options.delay ?? 800);
    } else if (outcome === 'refused' && this.#latest !== this.#failed) {
      // Changed since the refused attempt: try the new state.
      this.#schedule(this.#options.delay ?? 800);
    }
  }

  async #attempt(snapshot: string): Promise<'saved' | 'retrying' | 'refused'> {
    try {
      await this.#options.save(snapshot);
      this.#saved = snapshot;
      this.#failed = null;
      this.savedAt = Date.now();
      this.error = null;
      this.status = 'saved';
      return 'saved';
    } catch (e) {
      this.status = 'error';
      this.error = this.#options.explain(e);
      if (this.#options.retryable?.(e)) {
        this.#schedule(this.#options.retryDelay ?? 5000);
        return 'retrying';
      }
      this.#failed = snapshot;
      return 'refused';
    }
  }
}
