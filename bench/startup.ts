/**
 * Start-up time and memory of the real entry point on existing data: one first start creates
 * the data and applies the migrations, then N restarts are timed from spawn to the first 200
 * from GET /api/health. RSS is read from /proc for the process that holds the listening socket
 * (npm, or the tsx CLI, puts a parent process in front of it).
 *
 *   npx tsx bench/startup.ts [--runs 5]
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  commandOf,
  freePort,
  listeningPid,
  main,
  root,
  rssMiB,
  startServer,
  waitFor200,
} from './lib/processes';
import { scratchDatabase, scratchDataDir } from './lib/scratch';
import { isEntryPoint, machine, max, median, num, seconds } from './lib/stats';

export const STARTUP_TARGET_MS = 5_000;

interface Variant {
  label: string;
  database: 'PGlite' | 'PostgreSQL';
  command: string;
  args: string[];
}

export interface StartupResult {
  label: string;
  database: string;
  /** The process whose RSS was read. */
  measured: string;
  firstStartMs: number;
  startsMs: number[];
  rssMiB: number[];
  /** Timed restarts during which `npm start` built the web app (sources changed meanwhile). */
  rebuilds: number[];
}

const nodeImportTsx = (database: Variant['database']): Variant => ({
  label: '`node --import tsx server/main.ts`',
  database,
  command: process.execPath,
  args: ['--import', 'tsx', 'server/main.ts'],
});

/** The least a restart must do (bench/bare-pglite-server.mjs): what the ratios divide by. */
const BARE_PGLITE: Variant = {
  label: 'bare script: PGlite opened, one query, Fastify `/api/health`',
  database: 'PGlite',
  command: process.execPath,
  args: ['bench/bare-pglite-server.mjs'],
};

/** A restart of `npm start` on PGlite at most this many times the bare script's. */
export const RESTART_RATIO_TARGET = 2;

/**
 * `npm start` execs scripts/start.mjs (the web build check, then the server in the same process);
 * measured only when it can run.
 */
function variants(): { run: Variant[]; skipped: string[] } {
  const run: Variant[] = [
    BARE_PGLITE,
    nodeImportTsx('PGlite'),
    {
      label: '`tsx server/main.ts` (the tsx CLI)',
      database: 'PGlite',
      command: path.join(root, 'node_modules/.bin/tsx'),
      args: ['server/main.ts'],
    },
  ];
  const skipped: string[] = [];
  const ensure = path.join(root, 'scripts/ensure-web-build.mjs');
  const built = fs.existsSync(path.join(root, 'build/web/index.html'));
  if (fs.existsSync(ensure) && built) {
    run.push({
      label: '`npm start`',
      database: 'PGlite',
      command: 'npm',
      args: ['start', '--silent'],
    });
  } else {
    skipped.push(
      `\`npm start\` not measured: ${fs.existsSync(ensure) ? 'no build/web (run `npm run build`)' : 'scripts/ensure-web-build.mjs is missing'}.`,
    );
  }
  run.push(nodeImportTsx('PostgreSQL'));
  return { run, skipped };
}

/** One start: milliseconds to the first 200, then the RSS of the serving process; stopped after. */
async function startOnce(variant: Variant, env: Record<string, string>) {
  const port = await freePort();
  const since = performance.now();
  const server = startServer(variant.command, variant.args, env, port);
  try {
    const ms = await waitFor200(`${server.url}/api/health`, since, server);
    const pid = listeningPid(server.child.pid!, port);
    // ensure-web-build prints only when it builds or waits for another build.
    const rebuilt = /ensure-web-build: /.test(server.output());
    return { ms, rss: rssMiB(pid), measured: commandOf(pid), rebuilt };
  } finally {
    await server.stop();
  }
}

export async function runStartup(options: { runs?: number; log?: (line: string) => void } = {}) {
  const runs = options.runs ?? 5;
  const log = options.log ?? console.log;
  const { run, skipped } = variants();
  const dataDir = scratchDataDir();
  const results: StartupResult[] = [];
  let pgUrl: string | undefined;
  const envOf = async (variant: Variant) => {
    const env: Record<string, string> = { LOG_LEVEL: 'silent', DATA_DIR: dataDir };
    if (variant.database === 'PGlite') return env;
    pgUrl ??= await scratchDatabase();
    return { ...env, DATABASE_URL: pgUrl };
  };
  for (const variant of run) {
    // The first start of each variant also warms the file-system cache for the ones after it.
    const first = await startOnce(variant, await envOf(variant));
    results.push({
      label: variant.label,
      database: variant.database,
      measured: first.measured,
      firstStartMs: first.ms,
      startsMs: [],
      rssMiB: [],
      rebuilds: [],
    });
  }
  // Restarts take turns across the variants, so that a slow patch of a noisy machine lands on
  // all of them and the ratios to the bare baseline stay fair.
  for (let i = 0; i < runs; i++) {
    for (const [v, variant] of run.entries()) {
      const result = results[v]!;
      const { ms, rss, rebuilt } = await startOnce(variant, await envOf(variant));
      if (rebuilt) result.rebuilds.push(i + 1);
      result.startsMs.push(ms);
      result.rssMiB.push(rss);
    }
  }
  for (const result of results) {
    log(
      `${result.label} on ${result.database}: first ${seconds(result.firstStartMs)}, restarts ` +
        `${result.startsMs.map((ms) => seconds(ms)).join(', ')}; RSS ${result.rssMiB.map((r) => num(r)).join(', ')} MiB` +
        ` (${result.measured})${result.rebuilds.length ? `; web rebuilt before restart ${result.rebuilds.join(', ')}` : ''}`,
    );
  }
  return { runs, results, skipped };
}

export function startupMarkdown({
  runs,
  results,
  skipped,
}: Awaited<ReturnType<typeof runStartup>>): string {
  const bare = results.find((r) => r.label === BARE_PGLITE.label);
  const lines = [
    `### Start-up on existing data (${runs} restarts after a first start that migrates, taking turns)`,
    '',
    'Time from spawning the command to the first 200 from `GET /api/health`; RSS of the process',
    'holding the listening socket, read at that moment; on PGlite, the median restart against the',
    "bare script's (bench/bare-pglite-server.mjs: the same data directory opened, one query, a",
    'bare Fastify answering `/api/health`).',
    '',
    '| Command | Database | First start | Median | Max | Target | × bare script | RSS median (max) |',
    '| --- | --- | ---: | ---: | ---: | --- | --- | ---: |',
  ];
  for (const r of results) {
    const med = median(r.startsMs);
    const verdict =
      max(r.startsMs) < STARTUP_TARGET_MS
        ? 'met'
        : med < STARTUP_TARGET_MS
          ? 'median met, max missed'
          : 'missed';
    const ratio =
      bare && r !== bare && r.database === 'PGlite' ? med / median(bare.startsMs) : null;
    const ratioText =
      ratio === null
        ? ''
        : r.label === '`npm start`'
          ? `${ratio.toFixed(2)} (≤ ${RESTART_RATIO_TARGET}: ${ratio <= RESTART_RATIO_TARGET ? 'met' : '**missed**'})`
          : ratio.toFixed(2);
    lines.push(
      `| ${r.label} | ${r.database} | ${seconds(r.firstStartMs)} | ${seconds(med)} | ${seconds(max(r.startsMs))} ` +
        `| < ${seconds(STARTUP_TARGET_MS)}: ${verdict} | ${ratioText} | ${num(median(r.rssMiB))} MiB (${num(max(r.rssMiB))}) |`,
    );
  }
  for (const r of results) {
    if (r.rebuilds.length === 0) continue;
    lines.push(
      '',
      `${r.label}: restart ${r.rebuilds.join(', ')} built the web app first (its sources changed during the run); ` +
        'those starts are in the figures.',
    );
  }
  for (const note of skipped) lines.push('', note);
  return lines.join('\n');
}

if (isEntryPoint(import.meta.url)) {
  const runsArg = process.argv.indexOf('--runs');
  const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;
  if (!Number.isInteger(runs) || runs < 1 || runs > 50) throw new Error('--runs takes 1 to 50');
  void main(async () => {
    const m = machine();
    console.log(`${m.date}, ${m.cpus} CPUs (${m.cpuModel}), Node ${m.node}\n`);
    const result = await runStartup({ runs });
    console.log(`\n${startupMarkdown(result)}`);
  });
}
