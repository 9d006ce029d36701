/**
 * An organisation's FSRS weights: fitted every week to its own answers once it has enough of
 * them, put in use only when they predict answers the fit did not see better than the weights in
 * use; admins see every fit and may go back to an earlier one or to FSRS's defaults.
 */
import { z } from 'zod';
import { idSchema, isoDate } from './common';
import { orgIdParamsSchema } from './orgs';

/**
 * Refreshers (answers after a first one) an organisation's log needs before weights are fitted
 * to it. Below it, a fit follows the few learners there are more than forgetting in general.
 *
 * Weighed with the learning simulation (bench/learning/fit-threshold.ts, 2026-12-07): the log
 * of an organisation of 10 or 50 learners cut when it first holds N refreshers, fitted, and both
 * weights measured on another cohort's whole log. Where learners forget unlike FSRS's defaults
 * (fast forgetters, a mixture), the fit is better from N = 250 in every seed (log loss 0.63 →
 * 0.49 and 0.57 → 0.50). Where they are FSRS-shaped around the defaults, the fit is better in
 * every seed only from 5000 (15 of 15; at 1000 in 21 of 30), and below 5000 the fit's own
 * held-out check put worse weights in use 5 to 8 times in 30 (log loss up to +0.020).
 * The loss where the defaults already fit is a seventh of the gain where they do not, and 5000
 * is months of answers for a small organisation (10 FSRS-shaped learners give about 2,150 in
 * six months): 1000, with the weekly fit comparing each new fit against the weights in use.
 */
export const MIN_ANSWERS_TO_FIT = 1000;

/** Days between two weekly fits of one organisation. */
export const FIT_EVERY_DAYS = 7;

export const weightsFitSchema = z.object({
  id: idSchema,
  fittedAt: isoDate,
  /** Refreshers fitted on, and refreshers held out to measure the fit on. */
  answers: z.number().int(),
  heldOutAnswers: z.number().int(),
  /** On the held-out refreshers: log loss (lower is better) of the weights then in use and of the fit. */
  logLossBefore: z.number(),
  logLossAfter: z.number(),
  /** On the same refreshers: calibration, the RMSE of predicted against observed recall over bins. */
  rmseBefore: z.number(),
  rmseAfter: z.number(),
  /** Whether the fit predicted better than the weights then in use (then it was put in use). */
  better: z.boolean(),
  inUse: z.boolean(),
  /** The forgetting curve's decay these weights give (FSRS-6's w[20]). */
  decay: z.number(),
  weights: z.array(z.number()),
});
export type WeightsFit = z.infer<typeof weightsFitSchema>;

export const weightsStatusSchema = z.object({
  /** The fit in use; null: FSRS's default weights. */
  inUseId: idSchema.nullable(),
  defaultDecay: z.number(),
  /** Refreshers in the organisation's log, counted up to `minAnswers`. */
  answers: z.number().int(),
  minAnswers: z.number().int(),
  /** When the weekly fit next looks at the log (null: not before there are `minAnswers`). */
  nextFitAfter: isoDate.nullable(),
  /** A fit asked for and not done yet. */
  fitPending: z.boolean(),
  /** Newest first. */
  fits: z.array(weightsFitSchema),
});
export type WeightsStatus = z.infer<typeof weightsStatusSchema>;

/** `PUT …/settings/learning/weights`: the fit to use, or null for FSRS's defaults. */
export const useWeightsBodySchema = z.strictObject({ fitId: idSchema.nullable() });
export type UseWeightsBody = z.output<typeof useWeightsBodySchema>;

export const weightsParamsSchema = orgIdParamsSchema;
