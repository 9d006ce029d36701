/**
 * Fits FSRS weights to an organisation's own answers, through the FSRS optimizer (fsrs-rs
 * compiled for Node: `@open-spaced-repetition/binding`), and says whether they predict answers
 * it has not seen better than the weights in use. The only door to the optimizer.
 *
 * Days between answers are counted as the scheduler counts them (ts-fsrs: UTC calendar days),
 * so the weights fitted here mean the same thing when they schedule.
 */
import {
  computeParameters,
  FSRSBinding,
  FSRSBindingItem,
  FSRSBindingReview,
} from '@open-spaced-repetition/binding';

/** One answer of one learner to one card. */
export interface Answer {
  /** 1 Again … 4 Easy. */
  rating: number;
  at: Date;
}

/** How well weights predict answers: FSRS's log loss, and calibration (RMSE over bins). */
export interface Fit {
  logLoss: number;
  rmseBins: number;
}

export interface WeightsFit {
  weights: number[];
  /** Answers after a first one (those the weights predict), in the fitting part. */
  answers: number;
  /** Answers after a first one held out of the fitting, on which `before` and `after` are measured. */
  heldOutAnswers: number;
  /** The weights in use, on the held-out answers. */
  before: Fit;
  /** The fitted weights, on the same answers. */
  after: Fit;
  /** Whether the fitted weights predict the held-out answers better (lower log loss). */
  better: boolean;
}

const DAY_MS = 86_400_000;
const utcDay = (d: Date) => Math.floor(d.getTime() / DAY_MS);

/**
 * The optimizer's items for one card's answers, oldest first: one item per answer after the
 * first, holding the answers before it. A second answer on the same day as the previous one
 * says nothing about day-scale forgetting (the scheduler does not work within a day): it is left out.
 */
export function itemsOf(answers: readonly Answer[]): FSRSBindingItem[] {
  const reviews: FSRSBindingReview[] = [];
  let previous: number | null = null;
  for (const a of [...answers].sort((x, y) => x.at.getTime() - y.at.getTime())) {
    const day = utcDay(a.at);
    if (previous !== null && day === previous) continue;
    reviews.push(new FSRSBindingReview(a.rating, previous === null ? 0 : day - previous));
    previous = day;
  }
  const items: FSRSBindingItem[] = [];
  for (let k = 2; k <= reviews.length; k += 1) items.push(new FSRSBindingItem(reviews.slice(0, k)));
  return items;
}

/** How well `weights` predict the answers of `histories` (each one card's answers). */
export function evaluateWeights(weights: readonly number[], histories: readonly Answer[][]): Fit {
  const items = histories.flatMap(itemsOf);
  const { logLoss, rmseBins } = new FSRSBinding([...weights]).evaluate(items);
  return { logLoss, rmseBins };
}

/** Every `heldOutEvery`-th history is held out of the fitting, to measure the weights on. */
export function splitHistories(histories: readonly Answer[][], heldOutEvery: number) {
  const fitting: Answer[][] = [];
  const heldOut: Answer[][] = [];
  histories.forEach((h, i) => (i % heldOutEvery === heldOutEvery - 1 ? heldOut : fitting).push(h));
  return { fitting, heldOut };
}

/**
 * Fits weights to `histories` (each one learner's answers to one card) and measures them
 * against `current` on every `heldOutEvery`-th history, which the fit does not see (whole
 * histories are held out, so no answer is predicted from its own card's later answers).
 */
export async function fitWeights(
  histories: readonly Answer[][],
  { current, heldOutEvery = 5 }: { current: readonly number[]; heldOutEvery?: number },
): Promise<WeightsFit> {
  const { fitting, heldOut } = splitHistories(histories, heldOutEvery);
  const items = fitting.flatMap(itemsOf);
  const weights = await computeParameters(items, { enableShortTerm: false });
  const before = evaluateWeights(current, heldOut);
  const after = evaluateWeights(weights, heldOut);
  return {
    weights,
    answers: items.length,
    heldOutAnswers: heldOut.flatMap(itemsOf).length,
    before,
    after,
    better: after.logLoss < before.logLoss,
  };
}
