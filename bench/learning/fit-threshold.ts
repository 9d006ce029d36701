/**
 * `npx tsx bench/learning/fit-threshold.ts [--model NAME …] [--seeds N] [--first-seed N]
 * [--held-out LEARNERS] [--json]`: how many
 * refreshers an organisation's log needs before fitted weights are reliably better than FSRS-6's
 * defaults (`MIN_ANSWERS_TO_FIT`). For each memory model, seed and organisation size, a cohort
 * answers under the default weights (Rappel as it is); its log is cut the moment it holds N
 * refreshers (as the weekly job sees it the first time it may fit), fitted with the product's
 * `fitWeights`, and both the fit and the defaults are measured on another cohort's whole log
 * (180 days, answers the fit never saw). It also counts how often `fitWeights`' own held-out
 * check puts the fit in use, and how often it does so when the fit is in fact worse.
 */
import { parseArgs } from 'node:util';
import { evaluateWeights, type Fit, fitWeights } from '../../server/srs/fit-weights';
import { DEFAULT_WEIGHTS } from '../../server/srs/fsrs';
import { cohortLog, COHORT_SEED_OFFSET, logUpTo, refreshersIn } from './fitted';
import { type MemoryModel, memoryModels } from './learners';
import { everydayScenario } from './simulate';
import { makeDays } from './world';

export const COUNTS = [250, 500, 1000, 2000, 5000] as const;
/** Learners in the organisation whose log is fitted: a team, and a larger site. */
export const ORG_LEARNERS = [10, 50] as const;
const CARDS = 40;
const DAYS = 180;

const everyday = everydayScenario();

interface Trial {
  model: MemoryModel;
  orgLearners: number;
  count: number;
  seed: number;
  /** On the other cohort's log. */
  defaults: Fit;
  fitted: Fit;
  /** fitWeights' own verdict on its held-out fifth: the fit would be put in use. */
  accepted: boolean;
}

async function trials(model: MemoryModel, seed: number, heldOutLearners: number) {
  const days = makeDays(DAYS);
  const population = (learners: number, s: number) => ({
    model,
    seed: s,
    learners,
    cards: CARDS,
    days,
  });
  const heldOut = cohortLog(population(heldOutLearners, seed + 2 * COHORT_SEED_OFFSET), everyday);
  const defaults = evaluateWeights(DEFAULT_WEIGHTS, heldOut);
  const result: Trial[] = [];
  for (const orgLearners of ORG_LEARNERS) {
    const log = cohortLog(population(orgLearners, seed + COHORT_SEED_OFFSET), everyday);
    for (const count of COUNTS) {
      const cut = logUpTo(log, count);
      if (!cut) continue;
      const fit = await fitWeights(cut, { current: DEFAULT_WEIGHTS });
      const fitted = evaluateWeights(fit.weights, heldOut);
      result.push({ model, orgLearners, count, seed, defaults, fitted, accepted: fit.better });
      console.error(
        `${model} seed ${seed} org ${orgLearners} n ${count} (${refreshersIn(cut)}): ` +
          `${defaults.logLoss.toFixed(3)} → ${fitted.logLoss.toFixed(3)}${fit.better ? ' accepted' : ''}`,
      );
    }
  }
  return result;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const f3 = (x: number) => x.toFixed(3);

function summarise(all: Trial[]) {
  const rows = [];
  for (const model of new Set(all.map((t) => t.model))) {
    for (const orgLearners of ORG_LEARNERS) {
      for (const count of COUNTS) {
        const ts = all.filter(
          (t) => t.model === model && t.orgLearners === orgLearners && t.count === count,
        );
        if (ts.length === 0) continue;
        const gain = ts.map((t) => t.defaults.logLoss - t.fitted.logLoss);
        rows.push({
          model,
          org: orgLearners,
          refreshers: count,
          seeds: ts.length,
          'log loss defaults → fitted': `${f3(mean(ts.map((t) => t.defaults.logLoss)))} → ${f3(mean(ts.map((t) => t.fitted.logLoss)))}`,
          'gain min…max': `${f3(Math.min(...gain))}…${f3(Math.max(...gain))}`,
          'better (seeds)': `${gain.filter((g) => g > 0).length}/${ts.length}`,
          'calibration defaults → fitted': `${f3(mean(ts.map((t) => t.defaults.rmseBins)))} → ${f3(mean(ts.map((t) => t.fitted.rmseBins)))}`,
          'put in use (worse)': `${ts.filter((t) => t.accepted).length} (${ts.filter((t, i) => t.accepted && gain[i]! <= 0).length})`,
        });
      }
    }
  }
  return rows;
}

const { values } = parseArgs({
  options: {
    model: { type: 'string', multiple: true },
    seeds: { type: 'string', default: '5' },
    'first-seed': { type: 'string', default: '1' },
    'held-out': { type: 'string', default: '40' },
    json: { type: 'boolean', default: false },
  },
});
const models = (values.model ?? memoryModels) as MemoryModel[];
const all: Trial[] = [];
for (const model of models) {
  const first = Number(values['first-seed']);
  for (let seed = first; seed < first + Number(values.seeds); seed++) {
    all.push(...(await trials(model, seed, Number(values['held-out']))));
  }
}
if (values.json) console.log(JSON.stringify(all));
console.table(summarise(all));
