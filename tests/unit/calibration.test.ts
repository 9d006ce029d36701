import { describe, expect, it } from 'vitest';
import { addToBins, calibrationRmse, emptyBins } from '../../shared/calibration';

describe('calibration', () => {
  it('compares each bin’s mean prediction with its share of right answers; 0 for no answers', () => {
    const bins = emptyBins();
    // 0.75 predicted, 3 of 4 right: exact. 0.05 predicted, wrong: off by 0.05, one answer of five.
    for (const right of [true, true, true, false]) addToBins(bins, 0.75, right);
    addToBins(bins, 0.05, false);
    expect(calibrationRmse(bins)).toBeCloseTo(0.05 / Math.sqrt(5), 12);
    expect(calibrationRmse(emptyBins())).toBe(0);
  });

  it('weights each bin by its answers, and puts 1.0 in the last bin', () => {
    const bins = emptyBins();
    // Three answers predicted at 0.9, none right: off by 0.9; one at 1.0, right: off by 0.
    for (let i = 0; i < 3; i += 1) addToBins(bins, 0.9, false);
    addToBins(bins, 1, true);
    expect(bins[9]).toEqual({ n: 4, predicted: 3.7, right: 1 });
    // One bin: mean prediction 0.925 against 0.25 right.
    expect(calibrationRmse(bins)).toBeCloseTo(0.675, 12);
  });
});
