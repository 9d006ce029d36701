/**
 * Simulated learners: what they truly remember (the memory model), and how long they take to
 * answer. The schedulers never see this side; they see answers, right or wrong, and durations.
 */
import { clipParameters, default_w, type FSRS, fsrs, generatorParameters } from 'ts-fsrs';
import { normal, streams, uniform } from './random';

/** The memory models the bench compares; `perfect` (never forgets) is for checks. */
export const memoryModels = ['fsrs', 'half-life', 'mixture'] as const;
export type MemoryModel = (typeof memoryModels)[number] | 'perfect';

/** Probability of a right answer to a card just studied in a lesson. */
const LESSON_RECALL = 0.95;

/** One learner's true memory of each card, by card index. */
export interface TrueMemory {
  /** Probability of recall `days` after the card was last studied. */
  recall(card: number, days: number): number;
  /** The card studied in its lesson and answered once (`correct` or not). */
  learn(card: number, correct: boolean): void;
  /** The card answered again `days` after it was last studied. */
  review(card: number, days: number, correct: boolean): void;
}

export interface Learner {
  memory: TrueMemory;
  /** The kind of memory this learner has (a mixture draws one per learner). */
  kind: 'fsrs' | 'half-life' | 'perfect';
  /** Probability of a right answer at the lesson. */
  lessonRecall: number;
  /** How long an answer takes, in ms, to a card of `expectedSeconds` recalled with `p`. */
  answerMs(expectedSeconds: number, p: number, correct: boolean, draw: number): number;
}

/**
 * FSRS-shaped learners whose weights are not the defaults: initial stabilities ×0.3–3, growth
 * after a right answer ±, post-lapse stability ±, and a decay from 0.1 to 0.4 (the default is
 * 0.1542), so the scheduler's curve is not theirs.
 */
function fsrsLearner(seed: number, learner: number, cards: number): TrueMemory {
  const z = (i: number) => normal(seed, streams.learner, learner, 1, i);
  const w = [...default_w];
  const initial = Math.exp(0.6 * z(0));
  for (let i = 0; i < 4; i++) w[i] = w[i]! * initial;
  w[8] = w[8]! + 0.4 * z(1);
  w[11] = w[11]! * Math.exp(0.3 * z(2));
  w[20] = 0.1 + 0.3 * uniform(seed, streams.learner, learner, 1, 3);
  const f: FSRS = fsrs(
    generatorParameters({ w: clipParameters(w, 0, false), enable_short_term: false }),
  );
  const stability = new Float64Array(cards);
  const difficulty = new Float64Array(cards);
  const ease = cardEase(seed, learner, cards);
  return {
    recall: (c, days) => f.forgetting_curve(days, stability[c]!),
    learn(c, correct) {
      const s = f.next_state(null, 0, correct ? 3 : 1);
      stability[c] = s.stability * ease[c]!;
      difficulty[c] = s.difficulty;
    },
    review(c, days, correct) {
      const s = f.next_state(
        { stability: stability[c]!, difficulty: difficulty[c]! },
        days,
        correct ? 3 : 1,
      );
      stability[c] = s.stability;
      difficulty[c] = s.difficulty;
    },
  };
}

/**
 * Fast forgetters with exponential forgetting, p = 2^(−t/h): a first half-life of about two
 * days (1–4; FSRS's default curve after a first right answer takes about 200 days to fall to
 * one half, and its recall is 0.9 after 2.3 days, where these learners are near 0.45), multiplied after a right answer by 1.2 + G·(1 − p) (more when the answer was hard
 * won, G about 4), halved after a wrong one (never below half the first).
 */
function halfLifeLearner(seed: number, learner: number, cards: number): TrueMemory {
  const first = 2 * Math.exp(0.4 * normal(seed, streams.learner, learner, 2, 0));
  const growth = 4 * Math.exp(0.25 * normal(seed, streams.learner, learner, 2, 1));
  const ease = cardEase(seed, learner, cards);
  const halfLife = new Float64Array(cards);
  const recall = (c: number, days: number) => Math.pow(2, -Math.max(days, 0) / halfLife[c]!);
  return {
    recall,
    learn(c, correct) {
      halfLife[c] = first * ease[c]! * (correct ? 1 : 0.5);
    },
    review(c, days, correct) {
      const p = recall(c, days);
      const h = halfLife[c]!;
      halfLife[c] = correct
        ? h * (1.2 + growth * (1 - p))
        : Math.max((first * ease[c]!) / 2, h / 2);
    },
  };
}

const perfectMemory: TrueMemory = { recall: () => 1, learn() {}, review() {} };

/** Some cards are harder than others for a learner: a factor on their first stability. */
function cardEase(seed: number, learner: number, cards: number): Float64Array {
  const ease = new Float64Array(cards);
  for (let c = 0; c < cards; c++) ease[c] = Math.exp(0.3 * normal(seed, streams.card, learner, c));
  return ease;
}

/**
 * Learner `learner` of a model. Answer times: a right answer takes the card's expected time ×
 * the learner's pace (about 0.8–1.25) × (0.55 + 1.1·(1 − p)) × a lognormal spread (σ 0.35),
 * so it is fast when recall is high and slow when it was hard; a wrong answer takes 1.2×.
 */
export function makeLearner(
  model: MemoryModel,
  seed: number,
  learner: number,
  cards: number,
): Learner {
  const kind =
    model === 'mixture'
      ? uniform(seed, streams.model, learner) < 0.5
        ? 'fsrs'
        : 'half-life'
      : model;
  const memory =
    kind === 'fsrs'
      ? fsrsLearner(seed, learner, cards)
      : kind === 'half-life'
        ? halfLifeLearner(seed, learner, cards)
        : perfectMemory;
  const pace = Math.exp(0.2 * normal(seed, streams.learner, learner, 3, 0));
  return {
    memory,
    kind,
    lessonRecall: kind === 'perfect' ? 1 : LESSON_RECALL,
    answerMs(expectedSeconds, p, correct, draw) {
      const effort = correct ? 0.55 + 1.1 * (1 - p) : 1.2;
      return Math.round(expectedSeconds * 1000 * pace * Math.exp(0.35 * draw) * effort);
    },
  };
}
