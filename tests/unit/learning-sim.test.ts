/**
 * The learning simulation bench (`npm run bench:learning`) at its small size: a smoke run, no
 * timing. The same seed gives the same figures; the ladder's refreshers can be counted by hand
 * for learners who never forget; Rappel asks such learners for fewer refreshers than the
 * ladder; every recall figure is a probability. With weights fitted to an earlier cohort's
 * log (the product's fitWeights), Rappel schedules and predicts recall with the fit's curve.
 */
import { describe, expect, it } from 'vitest';
import { calibrationRmse } from '../../shared/calibration';
import { DEFAULT_DECAY } from '../../shared/learning';
import { cohortLog, fitCohort, logUpTo, refreshersIn } from '../../bench/learning/fitted';
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
    async () => {
      report = await runBench(small);
      expect(await runBench(small)).toEqual(report);
      expect(report.models.map((m) => m.configs.map((c) => c.variant))).toEqual([
        ['current', 'fast-good', 'fitted'],
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
    async () => {
      report ??= await runBench(small);
      const figures = report.models.flatMap((m) => [
        m.ladder.everydayRecall,
        m.ladder.useDayRecall,
        m.afterPausedAbsence.recall,
        m.afterPausedAbsence.cleared,
        m.fit.before.rmseBins,
        m.fit.after.rmseBins,
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

  it(
    'fits fast forgetters’ weights to an earlier cohort’s log and predicts recall with their curve',
    async () => {
      const fastForgetters: Population = { ...perfect, model: 'half-life', learners: 8 };
      const log = cohortLog(fastForgetters, everyday);
      // Each learner's answers to each card, oldest first, rated Again … Easy.
      expect(refreshersIn(log)).toBeGreaterThan(500);
      for (const history of log) {
        expect(history.map((a) => a.at.getTime())).toEqual(
          history.map((a) => a.at.getTime()).sort((a, b) => a - b),
        );
        for (const a of history) expect([1, 2, 3, 4]).toContain(a.rating);
      }

      const fit = await fitCohort(fastForgetters, everyday);
      expect(fit.cohortSeed).not.toBe(fastForgetters.seed);
      expect(fit.better).toBe(true);
      expect(fit.after.logLoss).toBeLessThan(fit.before.logLoss);
      expect(fit.decay).toBeGreaterThan(DEFAULT_DECAY);
      expect(fit.inUse?.weights[20]).toBe(fit.decay);

      const at = { ...currentRappel, desiredRetention: 0.9 };
      const defaults = simulate(fastForgetters, everyday, () => rappel(at));
      const fitted = simulate(fastForgetters, everyday, () => rappel(at, { weights: fit.inUse }));
      // The default curve expects fast forgetters to remember far more than they do. (Seed 3:
      // 0.171 with the defaults, 0.082 with the fit, 0.128 with the fit's stabilities read on
      // the default decay, as Today's recallNow would.)
      expect(calibrationRmse(fitted.calibration)).toBeLessThan(
        0.6 * calibrationRmse(defaults.calibration),
      );
    },
    BENCH_TIMEOUT_MS,
  );

  it('cuts a log the moment it holds a number of refreshers, as the weekly fit first sees it', () => {
    const at = (day: number) => ({ rating: 3, at: new Date(Date.UTC(2027, 0, day)) });
    const log = [[at(1), at(3), at(9)], [at(2), at(5)], [at(4)]];
    // Refreshers on days 3, 5 and 9: the second one leaves the log as it was on day 5.
    expect(logUpTo(log, 2)).toEqual([[at(1), at(3)], [at(2), at(5)], [at(4)]]);
    expect(refreshersIn(logUpTo(log, 3)!)).toBe(3);
    expect(logUpTo(log, 4)).toBeNull();
  });
});
