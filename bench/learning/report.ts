/**
 * The bench's runs and figures: for each memory model, the ladder and Rappel (as it is, and
 * with each variant, and with weights fitted to an earlier cohort: fitted.ts) on the same
 * learners, over the desired-retention grid, in three scenarios (everyday work with the default
 * budget; a two-week absence without and with a declared pause, with a 3-minute budget).
 */
import { calibrationRmse } from '../../shared/calibration';
import { DEFAULT_DESIRED_RETENTION, RETENTION_MIN } from '../../shared/learning';
import { type CohortFit, fitCohort } from './fitted';
import type { MemoryModel } from './learners';
import {
  currentRappel,
  ladder,
  rappel,
  type RappelOptions,
  type RappelWith,
  type CardSchedule,
  type Scheduling,
} from './schedulers';
import {
  CARDS_PER_LESSON,
  everydayScenario,
  LESSON_EVERY,
  type Population,
  type RunTotals,
  type Scenario,
  simulate,
} from './simulate';
import { type Day, makeDays } from './world';

/** `cohortLearners`: the earlier cohort whose log the weights are fitted to (same cards and days). */
export const sizes = {
  full: { learners: 300, cards: 40, days: 180, cohortLearners: 100 },
  small: { learners: 20, cards: 12, days: 150, cohortLearners: 20 },
} as const;
export type Size = keyof typeof sizes;

/** From the lowest desired retention an organisation may set. */
export const RETENTION_GRID = [RETENTION_MIN, 0.75, 0.8, 0.85, 0.9, 0.95] as const;
/**
 * Desired retentions (and use-day targets) below what an organisation may set, run for Rappel
 * as it is (with and without fitted weights) only to read its ratios to the ladder where the
 * ladder's recall is under what Rappel reaches at RETENTION_MIN, instead of extrapolating.
 */
export const MEASURE_ONLY_TARGETS = [0.4, 0.5, 0.6] as const;
/** The absence scenario's budget: a learner with three minutes a day. */
const ABSENCE_BUDGET_MINUTES = 3;

/** Each variant changes one switch of Rappel as it is. */
export const variants = {
  'earliest-due-first': { order: 'earliest-due' },
  'days-off-kept': { daysOff: 'none' },
  'days-off-later': { daysOff: 'later' },
  'fast-good': { fast: 'good' },
} as const satisfies Record<string, Partial<RappelOptions>>;
export type VariantName = keyof typeof variants;

export interface BenchOptions {
  size: Size;
  seed: number;
  models: readonly MemoryModel[];
  variants: readonly VariantName[];
  /** Told when each model is done (the full size takes minutes). */
  onModel?: (model: MemoryModel, seconds: number) => void;
}

/** Means per learner of one run. */
export interface Figures {
  everydayReviews: number;
  everydayRecall: number;
  processReviews: number;
  useDayRecall: number;
}

/** A value read off the retention grid; `extrapolated` when the target was outside it. */
export interface Interpolated {
  value: number;
  extrapolated: boolean;
}

export interface AbsenceFigures {
  recall: number;
  ladderRecall: number;
  /** Share of learners with their backlog cleared within 10 working days of return. */
  cleared: number;
  ladderCleared: number;
}

export interface ConfigReport {
  /** `fitted`: Rappel as it is, with the weights fitted to the cohort (when better). */
  variant: 'current' | VariantName | 'fitted';
  grid: (Figures & { desiredRetention: number })[];
  /**
   * Rappel's everyday reviews ÷ the ladder's at the ladder's mean recall, over the grid and, for
   * Rappel as it is, MEASURE_ONLY_TARGETS.
   */
  everydayRatio: Interpolated;
  /**
   * Rappel's process reviews ÷ the ladder's at the ladder's use-day recall, over the grid and,
   * for Rappel as it is, MEASURE_ONLY_TARGETS.
   */
  processRatio: Interpolated;
  /** Everyday reviews ÷ Rappel-as-it-is's at equal mean recall (1 for itself). */
  vsCurrent: number | null;
  /** At the default desired retention. */
  atDefault: Figures;
  afterAbsence: AbsenceFigures;
  /** Predicted against simulated recall at review, RMSE over 10 bins, weighted by answers. */
  calibrationRmse: number;
}

export interface ModelReport {
  model: MemoryModel;
  ladder: Figures;
  configs: ConfigReport[];
  /** The fit the `fitted` config schedules with. */
  fit: CohortFit;
  /** Rappel as it is and the ladder after the same absence declared as a pause. */
  afterPausedAbsence: AbsenceFigures;
}

export interface BenchReport {
  size: Size;
  seed: number;
  learners: number;
  cards: number;
  days: number;
  cohortLearners: number;
  models: ModelReport[];
}

export function figures(t: RunTotals): Figures {
  return {
    everydayReviews: t.everydayReviews / t.learners,
    everydayRecall: t.everydayRecall.sum / t.everydayRecall.n,
    processReviews: t.processReviews / t.learners,
    useDayRecall: t.useDayRecall.sum / t.useDayRecall.n,
  };
}

/** `y` at `x` along the points, linear between neighbours and past the ends. */
export function interpolate(points: readonly { x: number; y: number }[], x: number): Interpolated {
  const sorted = [...points].sort((a, b) => a.x - b.x);
  const inside = x >= sorted[0]!.x && x <= sorted[sorted.length - 1]!.x;
  let i = sorted.findIndex((p) => p.x >= x);
  if (i <= 0) i = i === 0 ? 1 : sorted.length - 1;
  const a = sorted[i - 1]!;
  const b = sorted[i]!;
  const value = b.x === a.x ? (a.y + b.y) / 2 : a.y + ((b.y - a.y) * (x - a.x)) / (b.x - a.x);
  return { value, extrapolated: !inside };
}

/** Two weeks away starting the first Monday at least three weeks after the last lesson opens. */
function absenceStart(days: Day[], cards: number): number {
  const lastLesson = (Math.ceil(cards / CARDS_PER_LESSON) - 1) * LESSON_EVERY;
  const opens = days.find((d) => d.workingIndex >= lastLesson && d.working)!.index;
  let d = opens + 21;
  while (new Date(`${days[d]!.date}T12:00:00Z`).getUTCDay() !== 1) d++;
  return d;
}

/**
 * A variant's everyday reviews ÷ Rappel-as-it-is's at the same mean recall: the mean over the
 * variant's grid points whose recall the current grid spans (null when none does). Unlike the
 * ladder ratio, it needs no extrapolation when the ladder sits outside both grids.
 */
export function reviewsVsCurrent(grid: readonly Figures[], current: readonly Figures[]) {
  const points = current.map((g) => ({ x: g.everydayRecall, y: g.everydayReviews }));
  const ratios = grid
    .map((g) => ({ g, at: interpolate(points, g.everydayRecall) }))
    .filter(({ at }) => !at.extrapolated)
    .map(({ g, at }) => g.everydayReviews / at.value);
  return ratios.length ? ratios.reduce((a, b) => a + b, 0) / ratios.length : null;
}

interface Scenarios {
  everyday: Scenario;
  away: Scenario;
  paused: Scenario;
}

async function runModel(
  population: Population,
  scenarios: Scenarios,
  options: BenchOptions,
  cohortLearners: number,
): Promise<ModelReport> {
  const { everyday, away, paused } = scenarios;
  const fit = await fitCohort({ ...population, learners: cohortLearners }, everyday);
  const run = <S extends CardSchedule>(scenario: Scenario, make: () => Scheduling<S>) =>
    simulate(population, scenario, make);
  const ladderFigures = figures(run(everyday, ladder));
  const ladderAway = run(away, ladder);
  const absence = (rappelRun: RunTotals, ladderRun: RunTotals): AbsenceFigures => ({
    recall: rappelRun.afterAbsenceRecall.sum / rappelRun.afterAbsenceRecall.n,
    ladderRecall: ladderRun.afterAbsenceRecall.sum / ladderRun.afterAbsenceRecall.n,
    cleared: rappelRun.clearedBacklog / rappelRun.learners,
    ladderCleared: ladderRun.clearedBacklog / ladderRun.learners,
  });
  const configs: ConfigReport[] = [];
  for (const variant of ['current', ...options.variants, 'fitted'] as const) {
    const switches =
      variant === 'current' || variant === 'fitted'
        ? currentRappel
        : { ...currentRappel, ...variants[variant] };
    const withWeights: RappelWith = variant === 'fitted' ? { weights: fit.inUse } : {};
    const at = (desiredRetention: number) => () =>
      rappel({ ...switches, desiredRetention }, withWeights);
    const runs = RETENTION_GRID.map((r) => ({ r, totals: run(everyday, at(r)) }));
    const grid = runs.map(({ r, totals }) => ({ desiredRetention: r, ...figures(totals) }));
    const atDefault = runs.find((x) => x.r === DEFAULT_DESIRED_RETENTION)!.totals;
    const measureOnly =
      variant === 'current' || variant === 'fitted'
        ? MEASURE_ONLY_TARGETS.map((r) => figures(run(everyday, at(r))))
        : [];
    const ratio = (x: keyof Figures, y: keyof Figures, points: readonly Figures[]) => {
      const v = interpolate(
        points.map((g) => ({ x: g[x], y: g[y] })),
        ladderFigures[x],
      );
      return { ...v, value: v.value / ladderFigures[y] };
    };
    configs.push({
      variant,
      grid,
      everydayRatio: ratio('everydayRecall', 'everydayReviews', [...measureOnly, ...grid]),
      processRatio: ratio('useDayRecall', 'processReviews', [...measureOnly, ...grid]),
      vsCurrent: configs[0] ? reviewsVsCurrent(grid, configs[0].grid) : 1,
      atDefault: figures(atDefault),
      afterAbsence: absence(run(away, at(DEFAULT_DESIRED_RETENTION)), ladderAway),
      calibrationRmse: calibrationRmse(atDefault.calibration),
    });
  }
  const afterPausedAbsence = absence(
    run(paused, () => rappel({ ...currentRappel, desiredRetention: DEFAULT_DESIRED_RETENTION })),
    run(paused, ladder),
  );
  return { model: population.model, ladder: ladderFigures, configs, fit, afterPausedAbsence };
}

export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const size = sizes[options.size];
  const days = makeDays(size.days);
  const start = absenceStart(days, size.cards);
  const everyday = everydayScenario(start);
  const away: Scenario = {
    budgetMinutes: ABSENCE_BUDGET_MINUTES,
    absence: 'undeclared',
    absenceStart: start,
    sickDays: 0,
  };
  const paused: Scenario = { ...away, absence: 'paused' };
  const models: ModelReport[] = [];
  for (const model of options.models) {
    const started = performance.now();
    const { learners, cards, cohortLearners } = size;
    const population: Population = { model, seed: options.seed, learners, cards, days };
    models.push(await runModel(population, { everyday, away, paused }, options, cohortLearners));
    options.onModel?.(model, (performance.now() - started) / 1000);
  }
  return { size: options.size, seed: options.seed, ...size, models };
}
