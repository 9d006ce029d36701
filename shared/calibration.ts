/**
 * Calibration: how far predicted recall is from what people actually recalled. Answers are put
 * in ten bins of predicted recall (0–10%, …, 90–100%); in each, the mean prediction is compared
 * with the share answered right, and the differences are averaged (root mean square) weighted by
 * each bin's answers. 0 is perfect; the fit of an organisation's weights, the learning
 * simulation and the true-retention page all measure it this way.
 */

export interface CalibrationBin {
  /** Answers in the bin. */
  n: number;
  /** Sum of their predicted recall. */
  predicted: number;
  /** How many were right. */
  right: number;
}

export const CALIBRATION_BINS = 10;

export function emptyBins(): CalibrationBin[] {
  return Array.from({ length: CALIBRATION_BINS }, () => ({ n: 0, predicted: 0, right: 0 }));
}

/** Counts one answer predicted at `predicted` (0–1), right or not, in its bin. */
export function addToBins(bins: CalibrationBin[], predicted: number, right: boolean) {
  const bin = bins[Math.min(CALIBRATION_BINS - 1, Math.floor(predicted * CALIBRATION_BINS))]!;
  bin.n += 1;
  bin.predicted += predicted;
  bin.right += Number(right);
}

/** The RMSE of predicted against observed recall over the bins, weighted by answers; 0 for none. */
export function calibrationRmse(bins: readonly CalibrationBin[]): number {
  let sum = 0;
  let n = 0;
  for (const bin of bins) {
    if (bin.n === 0) continue;
    sum += bin.n * ((bin.predicted - bin.right) / bin.n) ** 2;
    n += bin.n;
  }
  return n === 0 ? 0 : Math.sqrt(sum / n);
}
