/**
 * The onboarding rules being edited: shared by the rules editor (which saves them) and the
 * "try the questionnaire" box (which tries them before they are saved).
 */
import {
  CONFIDENCE_MAX,
  CONFIDENCE_MIN,
  MAX_RULES,
  type answerDevices,
  type PersonaRules,
} from '$shared/personas';

export interface DraftRule {
  /** Stable across moves, for keyed lists and focus. */
  key: number;
  minConfidence: number;
  maxConfidence: number;
  devices: (typeof answerDevices)[number][];
  personaId: string;
}

export class RulesDraft {
  rules = $state<DraftRule[]>([]);
  fallbackPersonaId = $state('');
  #saved = $state('');
  #nextKey = 0;

  /** The request body the API expects (checked by the caller with the shared schema). */
  body() {
    return {
      rules: this.rules.map(({ minConfidence, maxConfidence, devices, personaId }) => ({
        minConfidence,
        maxConfidence,
        devices: [...devices],
        personaId,
      })),
      fallbackPersonaId: this.fallbackPersonaId,
    };
  }

  dirty = $derived.by(() => JSON.stringify(this.body()) !== this.#saved);
  full = $derived(this.rules.length >= MAX_RULES);

  /** Starts again from the saved rules; an organisation without a fallback gets its first persona. */
  load(saved: PersonaRules, firstPersonaId: string | undefined) {
    this.rules = saved.rules.map((r) => ({ ...r, devices: [...r.devices], key: this.#nextKey++ }));
    this.fallbackPersonaId = saved.fallbackPersonaId ?? firstPersonaId ?? '';
    this.#saved = JSON.stringify({ ...this.body(), fallbackPersonaId: saved.fallbackPersonaId });
  }

  add(personaId: string): number {
    this.rules.push({
      key: this.#nextKey++,
      minConfidence: CONFIDENCE_MIN,
      maxConfidence: CONFIDENCE_MAX,
      devices: [],
      personaId,
    });
    return this.rules.length - 1;
  }

  remove(index: number) {
    this.rules.splice(index, 1);
  }

  /** Moves a rule one place up (-1) or down (+1); false at either end. */
  move(index: number, delta: -1 | 1): boolean {
    const to = index + delta;
    if (to < 0 || to >= this.rules.length) return false;
    const [rule] = this.rules.splice(index, 1);
    this.rules.splice(to, 0, rule!);
    return true;
  }
}
