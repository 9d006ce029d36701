/**
 * The learning simulation bench (`npm run bench:learning`) at its small size: a smoke run, no
 * timing. The same seed gives the same figures; the ladder's refreshers can be counted by hand
 * for learners who never forget; Rappel asks such learners for fewer refreshers than the
 * ladder; every recall figure is a probability.
 */
import { describe, expect, it } from 'vitest';
import { type BenchReport, runBench, sizes } from '../../bench/learning/report';
import { currentRappel, ladder, LADDER_DAYS, rappel } from '../../bench/learning/schedulers';
import { type Population, type Scenario, simulate } from '../../bench/learning/simulate';
import { makeDays } from '../../bench/learning/world';

const small = { size: 'small', seed: 7, models: ['mixture'], variants: ['fast-good'] } as const;

const perfect: Population = {
  model: 'perfect',
  seed: 3,
  learners: 3,
  // Three lessons of four cards: two everyday lessons, then the month-end close.
  cards: 12,
  days: makeDays(sizes.small.days),
};
const everyday: Scenario = { budgetMinutes: 5, absence: 'none', absenceStart: 0, sickDays: 0 };
/** Two small runs of every scheduler take seconds, more on a machine shared with other jobs. */
const BENCH_TIMEOUT_MS = 120_000;

describe('learning simulation (small)', () => {
  let report: BenchReport;

  it(
    'gives the same figures twice for one seed',
    () => {
      report = runBench(small);
      expect(runBench(small)).toEqual(report);
      expect(report.models.map((m) => m.configs.map((c) => c.variant))).toEqual([
        ['current', 'fast-good'],
      ]);
    },
    BENCH_TIMEOUT_MS,
  );

  it('counts the ladder’s five refreshers per card for learners who never forget', () => {
    const totals = simulate(perfect, everyday, ladder);
    expect(LADDER_DAYS).toHaveLength(5);
    // 8 everyday and 4 process cards, each refreshed 1, 3, 10, 30 and 60 days after the
    // previous answer (the last by day 130 of 150), then retired.
    expect(totals.everydayReviews).toBe(3 * 8 * 5);
    expect(totals.processReviews).toBe(3 * 4 * 5);
    expect(totals.everydayRecall.sum / totals.everydayRecall.n).toBe(1);
  });

  it('asks a learner who never forgets for fewer refreshers under Rappel than the ladder', () => {
    const ladderTotals = simulate(perfect, everyday, ladder);
    const rappelTotals = simulate(perfect, everyday, () =>
      rappel({ ...currentRappel, desiredRetention: 0.9 }),
    );
    expect(rappelTotals.everydayReviews).toBeGreaterThan(0);
    expect(rappelTotals.everydayReviews).toBeLessThan(ladderTotals.everydayReviews);
    expect(rappelTotals.processReviews).toBeLessThan(ladderTotals.processReviews);
  });

  it(
    'reports recall, clearance and calibration as probabilities',
    () => {
      report ??= runBench(small);
      const figures = report.models.flatMap((m) => [
        m.ladder.everydayRecall,
        m.ladder.useDayRecall,
        m.afterPausedAbsence.recall,
        m.afterPausedAbsence.cleared,
        ...m.configs.flatMap((c) => [
          ...c.grid.flatMap((g) => [g.everydayRecall, g.useDayRecall]),
          c.afterAbsence.recall,
          c.afterAbsence.ladderRecall,
          c.afterAbsence.cleared,
          c.afterAbsence.ladderCleared,
          c.calibrationRmse,
        ]),
      ]);
      expect(figures.length).toBeGreaterThan(20);
      for (const p of figures) {
        expect(p).toBeGreaterThanOrEqual(0);
        expect(p).toBeLessThanOrEqual(1);
      }
      for (const c of report.models[0]!.configs) {
        expect(c.everydayRatio.value).toBeGreaterThan(0);
        expect(Number.isFinite(c.processRatio.value)).toBe(true);
      }
    },
    BENCH_TIMEOUT_MS,
  );
});
