/**
 * Fits FSRS weights to an organisation's own answers, through the FSRS optimizer (fsrs-rs
 * compiled for Node: `@open-spaced-repetition/binding`), and says whether they predict answers
 * it has not seen better than the weights in use. The only door to the optimizer.
 *
 * Days between answers are counted as the scheduler counts them (ts-fsrs: UTC calendar days),
 * so the weights fitted here mean the same thing when they schedule.
 */
import {
  type BindingMemoryState,
  computeParameters,
  FSRSBinding,
  FSRSBindingItem,
  FSRSBindingReview,
} from '@open-spaced-repetition/binding';
import { addToBins, calibrationRmse, emptyBins } from '../../shared/calibration';
import { decayOfWeights, retrievability } from '../../shared/learning';

/** One answer of one learner to one card. */
export interface Answer {
  /** 1 Again … 4 Easy. */
  rating: number;
  at: Date;
}

/** How well weights predict answers: log loss, and calibration (RMSE over bins, shared/calibration.ts). */
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
 * One card's answers, oldest first, as the optimizer reads them: rating and days since the
 * previous answer (0 for the first). A second answer on the same day as the previous one says
 * nothing about day-scale forgetting (the scheduler does not work within a day): it is left out.
 */
function reviewsOf(answers: readonly Answer[]): { rating: number; deltaT: number }[] {
  const reviews: { rating: number; deltaT: number }[] = [];
  let previous: number | null = null;
  for (const a of [...answers].sort((x, y) => x.at.getTime() - y.at.getTime())) {
    const day = utcDay(a.at);
    if (previous !== null && day === previous) continue;
    reviews.push({ rating: a.rating, deltaT: previous === null ? 0 : day - previous });
    previous = day;
  }
  return reviews;
}

/** The optimizer's items for one card's answers: one per answer after the first, with those before it. */
export function itemsOf(answers: readonly Answer[]): FSRSBindingItem[] {
  const reviews = reviewsOf(answers).map((r) => new FSRSBindingReview(r.rating, r.deltaT));
  const items: FSRSBindingItem[] = [];
  for (let k = 2; k <= reviews.length; k += 1) items.push(new FSRSBindingItem(reviews.slice(0, k)));
  return items;
}

/** Predicted recall is kept this far from 0 and 1: one confident miss must not make the loss infinite. */
const P_EDGE = 1e-4;

/**
 * How well `weights` predict the answers of `histories` (each one card's answers): every answer
 * after a first is predicted from the memory the answers before it left (FSRS with `weights`),
 * right meaning anything but Again. Log loss (lower is better) and calibration
 * (shared/calibration.ts).
 */
export function evaluateWeights(weights: readonly number[], histories: readonly Answer[][]): Fit {
  const fsrs = new FSRSBinding([...weights]);
  const decay = decayOfWeights(weights);
  const bins = emptyBins();
  let loss = 0;
  let n = 0;
  for (const history of histories) {
    let memory: BindingMemoryState | null = null;
    for (const { rating, deltaT } of reviewsOf(history)) {
      if (memory) {
        const recall = retrievability(deltaT, memory.stability, decay);
        const p = Math.min(1 - P_EDGE, Math.max(P_EDGE, recall));
        const right = rating > 1;
        loss -= Math.log(right ? p : 1 - p);
        n += 1;
        addToBins(bins, recall, right);
      }
      const next = fsrs.nextStates(memory, 0.9, deltaT);
      memory = [next.again, next.hard, next.good, next.easy][rating - 1]!.memory;
    }
  }
  return { logLoss: n === 0 ? 0 : loss / n, rmseBins: calibrationRmse(bins) };
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
