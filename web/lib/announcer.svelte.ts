/**
 * One polite live region for the whole app (rendered by Announcer.svelte in the root layout):
 * saves, copies and deletions are both shown briefly and read out by screen readers.
 */
class Announcer {
  message = $state('');
  tone = $state<'info' | 'error'>('info');
  #timer: ReturnType<typeof setTimeout> | undefined;

  say(message: string, tone: 'info' | 'error' = 'info') {
    clearTimeout(this.#timer);
    // Clearing first makes a repeated message ("Saved", "Saved") be read again.
    this.message = '';
    this.tone = tone;
    setTimeout(() => {
      this.message = message;
      this.#timer = setTimeout(() => (this.message = ''), 6000);
    }, 50);
  }
}

export const announcer = new Announcer();
