/**
 * Runs every benchmark and prints one Markdown section to paste into the README; the same text
 * goes to bench/results/latest.md (git-ignored).
 *
 *   npx tsx bench/run-all.ts      (npm run bench)
 */
import fs from 'node:fs';
import path from 'node:path';
import { runThroughput, throughputMarkdown } from './me-throughput';
import { main, root } from './lib/processes';
import { reviewsMarkdown, runReviews } from './reviews';
import { machine } from './lib/stats';
import { runStartup, startupMarkdown } from './startup';
import { runWebSize, webSizeMarkdown } from './web-size';

void main(async () => {
  const m = machine();
  const log = (line: string) => console.error(`  ${line}`);
  console.error('Start-up…');
  const startup = await runStartup({ log });
  console.error('GET /api/me against a bare route…');
  const throughput = await runThroughput({ log });
  console.error('POST /reviews against a bare INSERT route…');
  const reviews = await runReviews({ log });
  console.error('What a phone downloads, against an empty SvelteKit app…');
  const webSize = await runWebSize({ log });

  const markdown = [
    '## Benchmarks',
    '',
    `${m.date} · ${m.cpus} CPUs (\`nproc\`), ${m.cpuModel} · Node ${m.node} · ${m.os}.`,
    'Figures move with the machine; compare the ratios and the targets, not the absolute values.',
    '',
    startupMarkdown(startup),
    '',
    throughputMarkdown(throughput),
    '',
    reviewsMarkdown(reviews),
    '',
    webSizeMarkdown(webSize),
    '',
  ].join('\n');

  const file = path.join(root, 'bench/results/latest.md');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, markdown);
  console.log(`\n${markdown}`);
  console.error(`Written to ${path.relative(root, file)}`);
});
