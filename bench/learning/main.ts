/**
 * `npm run bench:learning [-- --size small|full] [--variant NAME …] [--model NAME …]
 * [--seed N] [--json]`: the learning simulation (see report.ts). Without `--variant`, every
 * variant runs; `--variant none` runs Rappel as it is only. Rappel with weights fitted to an
 * earlier cohort (`fitted`) always runs.
 */
import { parseArgs } from 'node:util';
import { type MemoryModel, memoryModels } from './learners';
import {
  type BenchReport,
  type Interpolated,
  type ModelReport,
  runBench,
  sizes,
  type VariantName,
  variants,
} from './report';

function parse() {
  const { values } = parseArgs({
    options: {
      size: { type: 'string', default: 'full' },
      variant: { type: 'string', multiple: true },
      model: { type: 'string', multiple: true },
      seed: { type: 'string', default: '1' },
      json: { type: 'boolean', default: false },
    },
  });
  const oneOf = <T extends string>(value: string, allowed: readonly T[], flag: string): T => {
    if (!(allowed as readonly string[]).includes(value)) {
      throw new Error(`--${flag} ${value}: expected one of ${allowed.join(', ')}`);
    }
    return value as T;
  };
  const variantNames = Object.keys(variants) as VariantName[];
  const chosen = values.variant ?? variantNames;
  return {
    size: oneOf(values.size, Object.keys(sizes) as (keyof typeof sizes)[], 'size'),
    seed: Number(values.seed),
    models: (values.model ?? memoryModels).map((m) =>
      oneOf<MemoryModel>(m, [...memoryModels, 'perfect'], 'model'),
    ),
    variants: chosen.filter((v) => v !== 'none').map((v) => oneOf(v, variantNames, 'variant')),
    json: values.json,
  };
}

const f2 = (x: number) => x.toFixed(2);
const f3 = (x: number) => x.toFixed(3);
const pct = (x: number) => `${Math.round(x * 100)}%`;
const ratio = (r: Interpolated) => `${f2(r.value)}×${r.extrapolated ? '*' : ''}`;

function printModel(m: ModelReport) {
  const l = m.ladder;
  const fit = m.fit;
  console.log(`\n## ${m.model}`);
  console.log(
    `fitted weights (cohort seed ${fit.cohortSeed}, ${fit.refreshers} refreshers): held-out ` +
      `log loss ${f3(fit.before.logLoss)} → ${f3(fit.after.logLoss)}, calibration ` +
      `${f3(fit.before.rmseBins)} → ${f3(fit.after.rmseBins)}, decay ${f3(fit.decay)}; ` +
      (fit.better ? 'in use' : 'not better: the defaults stay'),
  );
  console.log(
    `ladder: everyday ${f2(l.everydayReviews)} reviews/learner, recall ${f3(l.everydayRecall)}; ` +
      `process ${f2(l.processReviews)} reviews/learner, use-day recall ${f3(l.useDayRecall)}`,
  );
  console.table(
    m.configs.map((c) => ({
      variant: c.variant,
      'everyday ÷ ladder @ equal recall': ratio(c.everydayRatio),
      'process ÷ ladder @ equal use-day recall': ratio(c.processRatio),
      'reviews ÷ current @ equal recall': c.vsCurrent === null ? 'n/a' : f3(c.vsCurrent),
      'use-day recall @0.9 (ladder)': `${f3(c.atDefault.useDayRecall)} (${f3(l.useDayRecall)})`,
      'process reviews @0.9 ÷ ladder': f2(c.atDefault.processReviews / l.processReviews),
      'recall 8 wk after absence ÷ ladder': `${f3(c.afterAbsence.recall)}/${f3(c.afterAbsence.ladderRecall)} = ${f2(c.afterAbsence.recall / c.afterAbsence.ladderRecall)}`,
      'cleared ≤10 wd (ladder)': `${pct(c.afterAbsence.cleared)} (${pct(c.afterAbsence.ladderCleared)})`,
      'calibration RMSE': f3(c.calibrationRmse),
    })),
  );
  const p = m.afterPausedAbsence;
  console.log(
    `declared pause: recall after ${f3(p.recall)} (ladder ${f3(p.ladderRecall)}), ` +
      `cleared ${pct(p.cleared)} (ladder ${pct(p.ladderCleared)})`,
  );
  console.log(
    'grid (desired retention: everyday reviews, recall | process reviews, use-day recall):',
  );
  for (const c of m.configs) {
    const cells = c.grid.map(
      (g) =>
        `${g.desiredRetention}: ${f2(g.everydayReviews)}, ${f3(g.everydayRecall)} | ${f2(g.processReviews)}, ${f3(g.useDayRecall)}`,
    );
    console.log(`  ${c.variant}: ${cells.join('; ')}`);
  }
}

function print(report: BenchReport, ms: number) {
  console.log(
    `# Learning simulation: ${report.learners} learners × ${report.cards} cards × ${report.days} days, seed ${report.seed}; ` +
      `weights fitted to a cohort of ${report.cohortLearners}`,
  );
  console.log('(* extrapolated: the ladder is outside the range the retention grid reaches)');
  for (const m of report.models) printModel(m);
  const cpu = process.cpuUsage();
  console.log(
    `\n${(ms / 1000).toFixed(1)} s (CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s)`,
  );
}

const options = parse();
const started = performance.now();
const report = await runBench({
  ...options,
  onModel: (model, seconds) => console.error(`${model}: ${seconds.toFixed(1)} s`),
});
const ms = performance.now() - started;
if (options.json) console.log(JSON.stringify({ ...report, seconds: ms / 1000 }));
else print(report, ms);
