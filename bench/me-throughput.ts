/**
 * GET /api/me with a session against a bare Fastify route, side by side in one run: the figure
 * that matters is the ratio, which the machine's speed and noise affect far less than req/s.
 *
 * Both servers are separate processes started the same way (`node --import tsx`, logger off /
 * LOG_LEVEL=silent) and autocannon runs here, in the bench process. Running the servers inside
 * the bench process would make them share one event loop with the load generator, and the
 * cheaper the route the more that skews it; as child processes each server gets a core of its
 * own while autocannon uses the other. The app is the real entry point, server/main.ts. Only
 * one server is under load at a time, and rounds alternate their order (bare then me, me then
 * bare…) so a slow patch of a noisy machine does not land on one side only.
 *
 *   npx tsx bench/me-throughput.ts [--rounds 3] [--seconds 5] [--connections 10]
 */
import autocannon from 'autocannon';
import { freePort, main, startServer, type Server, waitFor200 } from './lib/processes';
import { scratchDatabase, scratchDataDir } from './lib/scratch';
import { isEntryPoint, machine, median, num } from './lib/stats';

export const RATIO_TARGET = 0.5;

export interface LoadOptions {
  rounds: number;
  seconds: number;
  connections: number;
}

export interface ThroughputResult {
  database: 'PGlite' | 'PostgreSQL';
  me: number[];
  bare: number[];
  meP99: number[];
  bareP99: number[];
  /** Responses other than 2xx plus connection errors, summed over all rounds; must be 0. */
  failures: number;
}

interface Load {
  url: string;
  headers?: Record<string, string>;
}

/** Mean requests per second over one autocannon run; failures counted, not hidden. */
async function fire(load: Load, seconds: number, connections: number) {
  const result = await autocannon({
    url: load.url,
    headers: load.headers,
    connections,
    duration: seconds,
  });
  return {
    rps: result.requests.average,
    p99: result.latency.p99,
    failures: result.non2xx + result.errors + result.timeouts,
  };
}

/** Creates the first organisation through the API and returns the session cookie. */
async function signUp(server: Server): Promise<string> {
  const res = await fetch(`${server.url}/api/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      organisation: { name: 'Bench Ltd' },
      admin: {
        name: 'Bench Admin',
        email: 'bench@example.test',
        password: 'a long bench password',
      },
    }),
  });
  if (res.status !== 201)
    throw new Error(`POST /api/setup answered ${res.status}: ${await res.text()}`);
  const session = res.headers.getSetCookie().find((c) => c.startsWith('rappel_session='));
  if (!session) throw new Error('POST /api/setup set no rappel_session cookie');
  const cookie = session.split(';')[0]!;
  const me = await fetch(`${server.url}/api/me`, { headers: { cookie } });
  if (me.status !== 200) throw new Error(`GET /api/me answered ${me.status}: ${await me.text()}`);
  return cookie;
}

async function startApp(env: Record<string, string>) {
  const port = await freePort();
  const server = startServer(
    process.execPath,
    ['--import', 'tsx', 'server/main.ts'],
    { LOG_LEVEL: 'silent', ...env },
    port,
  );
  await waitFor200(`${server.url}/api/health`, performance.now(), server);
  return server;
}

async function measure(
  database: ThroughputResult['database'],
  env: Record<string, string>,
  bare: Load,
  opts: LoadOptions,
  log: (line: string) => void,
): Promise<ThroughputResult> {
  const app = await startApp(env);
  try {
    const me: Load = { url: `${app.url}/api/me`, headers: { cookie: await signUp(app) } };
    const result: ThroughputResult = {
      database,
      me: [],
      bare: [],
      meP99: [],
      bareP99: [],
      failures: 0,
    };
    // Warm-up, not counted: JIT, connection pools, PGlite's caches.
    await fire(bare, 2, opts.connections);
    await fire(me, 2, opts.connections);
    for (let round = 0; round < opts.rounds; round++) {
      const order = round % 2 === 0 ? (['bare', 'me'] as const) : (['me', 'bare'] as const);
      for (const which of order) {
        const run = await fire(which === 'me' ? me : bare, opts.seconds, opts.connections);
        result[which].push(run.rps);
        result[which === 'me' ? 'meP99' : 'bareP99'].push(run.p99);
        result.failures += run.failures;
      }
      const i = result.me.length - 1;
      log(
        `${database} round ${round + 1}: me ${num(result.me[i]!)} req/s, bare ${num(result.bare[i]!)} req/s, ` +
          `ratio ${(result.me[i]! / result.bare[i]!).toFixed(3)}`,
      );
    }
    if (result.failures > 0)
      log(`${database}: ${result.failures} failed requests: figures are not valid`);
    return result;
  } finally {
    await app.stop();
  }
}

export async function runThroughput(
  opts: Partial<LoadOptions> & { log?: (line: string) => void } = {},
): Promise<{ opts: LoadOptions; results: ThroughputResult[] }> {
  const load: LoadOptions = {
    rounds: opts.rounds ?? 3,
    seconds: opts.seconds ?? 5,
    connections: opts.connections ?? 10,
  };
  const log = opts.log ?? console.log;
  const barePort = await freePort();
  const bareServer = startServer(
    process.execPath,
    ['--import', 'tsx', 'bench/bare-server.ts'],
    {},
    barePort,
  );
  const bare: Load = { url: `${bareServer.url}/bare` };
  await waitFor200(bare.url, performance.now(), bareServer);
  const results: ThroughputResult[] = [];
  try {
    results.push(await measure('PGlite', { DATA_DIR: scratchDataDir() }, bare, load, log));
    results.push(
      await measure('PostgreSQL', { DATABASE_URL: await scratchDatabase() }, bare, load, log),
    );
  } finally {
    await bareServer.stop();
  }
  return { opts: load, results };
}

/** The ratio of the medians; per-round ratios show how much the noise moved it. */
export function ratioOf(r: ThroughputResult) {
  const perRound = r.me.map((me, i) => me / r.bare[i]!);
  return {
    ratio: median(r.me) / median(r.bare),
    min: Math.min(...perRound),
    max: Math.max(...perRound),
  };
}

export function throughputMarkdown({
  opts,
  results,
}: Awaited<ReturnType<typeof runThroughput>>): string {
  const lines = [
    `### \`GET /api/me\` against a bare Fastify route (${opts.rounds} alternating rounds × ${opts.seconds} s, ${opts.connections} connections)`,
    '',
    "autocannon on 127.0.0.1; median of the rounds' mean req/s. The app is `server/main.ts` with",
    'LOG_LEVEL=silent and a session from `POST /api/setup`; the bare route is a plain Fastify',
    'instance returning a constant, also in its own process.',
    '',
    '| Database | `/api/me` req/s | bare req/s | me / bare (rounds min–max) | Target | p99 me / bare |',
    '| --- | ---: | ---: | ---: | --- | ---: |',
  ];
  for (const r of results) {
    const { ratio, min, max } = ratioOf(r);
    const verdict =
      r.failures > 0
        ? `invalid: ${r.failures} failed requests`
        : ratio >= RATIO_TARGET
          ? 'met'
          : 'missed';
    lines.push(
      `| ${r.database} | ${num(median(r.me))} | ${num(median(r.bare))} | ${ratio.toFixed(2)} (${min.toFixed(2)}–${max.toFixed(2)}) ` +
        `| ≥ ${RATIO_TARGET}: ${verdict} | ${num(median(r.meP99))} ms / ${num(median(r.bareP99))} ms |`,
    );
  }
  return lines.join('\n');
}

function intArg(name: string, fallback: number, limit: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i > 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1 || value > limit)
    throw new Error(`--${name} takes 1 to ${limit}`);
  return value;
}

if (isEntryPoint(import.meta.url)) {
  const opts = {
    rounds: intArg('rounds', 3, 20),
    seconds: intArg('seconds', 5, 60),
    connections: intArg('connections', 10, 200),
  };
  void main(async () => {
    const m = machine();
    console.log(`${m.date}, ${m.cpus} CPUs (${m.cpuModel}), Node ${m.node}\n`);
    const result = await runThroughput(opts);
    console.log(`\n${throughputMarkdown(result)}`);
  });
}
