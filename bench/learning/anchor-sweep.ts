/**
 * `npx tsx bench/learning/anchor-sweep.ts [--model NAME …] [--size small|full] [--lead N …]
 * [--between R …] [--seed N]`: the study behind event anchoring's settings
 * (`ANCHOR_WORKING_DAYS`, `BETWEEN_USES_RETENTION` in server/srs/anchor.ts). For each memory
 * model, lead time and retention between uses, Rappel runs the everyday scenario over a grid
 * of use-day targets, reaching below the lowest target an organisation may set so that the
 * ladder's use-day recall falls inside it; it prints the process cards' reviews ÷ the ladder's
 * at the ladder's use-day recall, and at the lowest settable target with the recall it reaches.
 */
import { parseArgs } from 'node:util';
import { RETENTION_MIN } from '../../shared/learning';
import { type MemoryModel, memoryModels } from './learners';
import { figures, interpolate, sizes } from './report';
import { currentRappel, ladder, rappel } from './schedulers';
import { everydayScenario, simulate } from './simulate';
import { makeDays } from './world';

/** Use-day targets; those under RETENTION_MIN are for measuring only. */
const TARGETS = [0.3, 0.4, 0.5, 0.6, RETENTION_MIN, 0.8, 0.9] as const;

const { values } = parseArgs({
  options: {
    model: { type: 'string', multiple: true },
    size: { type: 'string', default: 'full' },
    lead: { type: 'string', multiple: true },
    between: { type: 'string', multiple: true },
    seed: { type: 'string', default: '1' },
  },
});
const size = sizes[values.size as keyof typeof sizes];
const models = (values.model ?? memoryModels) as MemoryModel[];
const leads = (values.lead ?? ['1', '2', '3']).map(Number);
const betweens = (values.between ?? ['0.5', '0.7', '0.8', '1']).map(Number);
const days = makeDays(size.days);
const everyday = everydayScenario();
const f2 = (x: number) => x.toFixed(2);
const f3 = (x: number) => x.toFixed(3);

for (const model of models) {
  const population = {
    model,
    seed: Number(values.seed),
    learners: size.learners,
    cards: size.cards,
    days,
  };
  const l = figures(simulate(population, everyday, ladder));
  console.log(
    `\n## ${model}: ladder ${f2(l.processReviews)} process reviews/learner, use-day recall ${f3(l.useDayRecall)}`,
  );
  const rows = [];
  for (const lead of leads) {
    for (const betweenUses of betweens) {
      const grid = TARGETS.map((desiredRetention) => ({
        desiredRetention,
        ...figures(
          simulate(population, everyday, () =>
            rappel({ ...currentRappel, desiredRetention, lead, betweenUses }),
          ),
        ),
      }));
      const at = interpolate(
        grid.map((g) => ({ x: g.useDayRecall, y: g.processReviews })),
        l.useDayRecall,
      );
      const lowest = grid.find((g) => g.desiredRetention === RETENTION_MIN)!;
      rows.push({
        lead,
        'between uses': betweenUses >= 1 ? 'target' : betweenUses,
        '÷ ladder @ equal use-day recall': `${f2(at.value / l.processReviews)}${at.extrapolated ? '*' : ''}`,
        [`@${RETENTION_MIN}: ÷ ladder`]: f2(lowest.processReviews / l.processReviews),
        [`@${RETENTION_MIN}: use-day recall`]: f3(lowest.useDayRecall),
        '@0.9: ÷ ladder, recall': `${f2(grid.at(-1)!.processReviews / l.processReviews)}, ${f3(grid.at(-1)!.useDayRecall)}`,
      });
    }
  }
  console.table(rows);
}
