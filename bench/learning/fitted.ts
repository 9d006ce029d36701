/**
 * Fitted weights in the simulation: an earlier cohort of the same memory model (other learners:
 * another seed) answers under FSRS-6's default weights; its review log is fitted with the
 * product's own `fitWeights`, which also says whether the fit predicts held-out answers better.
 * Rappel then schedules the bench's learners with those weights, as the weekly job would put
 * them in use: only when they are better.
 */
import { DEFAULT_DESIRED_RETENTION, decayOfWeights } from '../../shared/learning';
import { type Answer, fitWeights, type Fit } from '../../server/srs/fit-weights';
import { DEFAULT_WEIGHTS, type FittedWeights } from '../../server/srs/fsrs';
import { currentRappel, rappel } from './schedulers';
import { type Population, type Scenario, simulate } from './simulate';

/** The cohort's seed is the bench's plus this: other learners, other draws. */
export const COHORT_SEED_OFFSET = 1_000_003;

/**
 * The review log of `population` under Rappel as it is (default weights and retention): each
 * learner's answers to each card they answered twice or more, oldest first, learner by learner.
 */
export function cohortLog(population: Population, scenario: Scenario): Answer[][] {
  const histories: Answer[][] = [];
  simulate(population, scenario, () => {
    const byCard = Array.from({ length: population.cards }, (): Answer[] => []);
    histories.push(...byCard);
    return rappel(
      { ...currentRappel, desiredRetention: DEFAULT_DESIRED_RETENTION },
      { onRating: (card, rating, at) => byCard[card.index]!.push({ rating, at }) },
    );
  });
  return histories.filter((h) => h.length > 1);
}

/** Answers after a first one: what `MIN_ANSWERS_TO_FIT` counts. */
export const refreshersIn = (histories: readonly Answer[][]) =>
  histories.reduce((n, h) => n + h.length - 1, 0);

/** The log as it stood when its `count`-th refresher was answered; null if it never holds that many. */
export function logUpTo(histories: readonly Answer[][], count: number): Answer[][] | null {
  const refreshers = histories
    .flatMap((h) => h.slice(1).map((a) => a.at.getTime()))
    .sort((a, b) => a - b);
  const cut = refreshers[count - 1];
  if (cut === undefined) return null;
  return histories.map((h) => h.filter((a) => a.at.getTime() <= cut)).filter((h) => h.length > 0);
}

export interface CohortFit {
  cohortSeed: number;
  /** Refreshers in the cohort's log. */
  refreshers: number;
  /** Refreshers fitted on and held out (fitWeights' split). */
  answers: number;
  heldOutAnswers: number;
  /** Default and fitted weights on the held-out answers. */
  before: Fit;
  after: Fit;
  better: boolean;
  /** The fitted curve's decay (w[20]). */
  decay: number;
  /** What Rappel schedules with: the fit when better, else null (the defaults). */
  inUse: FittedWeights | null;
}

/** Fits weights to the log of a cohort like `population` (same size and days, another seed). */
export async function fitCohort(population: Population, scenario: Scenario): Promise<CohortFit> {
  const cohortSeed = population.seed + COHORT_SEED_OFFSET;
  const histories = cohortLog({ ...population, seed: cohortSeed }, scenario);
  const fit = await fitWeights(histories, { current: DEFAULT_WEIGHTS });
  return {
    cohortSeed,
    refreshers: refreshersIn(histories),
    answers: fit.answers,
    heldOutAnswers: fit.heldOutAnswers,
    before: fit.before,
    after: fit.after,
    better: fit.better,
    decay: decayOfWeights(fit.weights),
    inUse: fit.better ? { fitId: `cohort-${cohortSeed}`, weights: fit.weights } : null,
  };
}
