/**
 * POST /api/orgs/:orgId/reviews against a bare Fastify route doing one INSERT in a transaction
 * on the same kind of database, side by side in one run (DESIGN.md §5; target: at least
 * 0.40× on PostgreSQL; PGlite reported too).
 *
 * The app is server/main.ts in its own process (LOG_LEVEL=silent), the yardstick
 * bench/bare-insert-server.ts in another, both started like bench/me-throughput.ts does; rounds
 * alternate their order. The app is set up through its API: an organisation, a module of 40
 * cards of the five kinds in 4 lessons targeted at a job role, 8 learners in that job role
 * (invited, signed in), then published, which assigns it to them. Every request is a new
 * answer (new id) by a random learner to a random card, right three times in four, at a
 * random speed: 320 learner × card memories, so the row locks rarely meet, as in real use.
 * On PostgreSQL both servers use one scratch database; PGlite admits one process per data
 * directory, so each server has its own.
 *
 *   npx tsx bench/reviews.ts [--rounds 3] [--seconds 5] [--connections 10]
 */
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { freePort, main, type Server, startServer, waitFor200 } from './lib/processes';
import { scratchDatabase, scratchDataDir } from './lib/scratch';
import { isEntryPoint, machine, median, num } from './lib/stats';

export const REVIEWS_RATIO_TARGET = 0.4;
const LEARNERS = 8;
const LESSONS = 4;
const CARDS_PER_LESSON = 10;

export interface ReviewsLoadOptions {
  rounds: number;
  seconds: number;
  connections: number;
}

export interface ReviewsResult {
  database: 'PGlite' | 'PostgreSQL';
  reviews: number[];
  bare: number[];
  reviewsP99: number[];
  bareP99: number[];
  /** Responses other than 2xx plus connection errors, over all rounds; must be 0. */
  failures: number;
}

type Target = Parameters<typeof autocannon>[0];

async function fire(target: Target, seconds: number, connections: number) {
  const result = await autocannon({ ...target, connections, duration: seconds });
  return {
    rps: result.requests.average,
    p99: result.latency.p99,
    failures: result.non2xx + result.errors + result.timeouts,
  };
}

/** A JSON call that must succeed; answers the body and the session cookie it set, if any. */
async function call(server: Server, method: string, path: string, body?: unknown, cookie?: string) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(cookie ? { cookie } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
  const session = res.headers.getSetCookie().find((c) => c.startsWith('rappel_session='));
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { body: (text ? JSON.parse(text) : null) as any, cookie: session?.split(';')[0] };
}

const cardInputs = [
  {
    kind: 'single',
    question: 'Where is a call logged?',
    options: [
      { text: 'In the timeline', correct: true },
      { text: 'In the mail', correct: false },
      { text: 'Nowhere', correct: false },
    ],
  },
  {
    kind: 'multiple',
    question: 'What does a call record hold?',
    options: [
      { text: 'The date', correct: true },
      { text: 'A summary', correct: true },
      { text: 'The weather', correct: false },
    ],
  },
  { kind: 'truefalse', question: 'A call can be logged from a phone.', answer: true },
  {
    kind: 'order',
    question: 'Put the steps in order',
    steps: [{ text: 'Open the customer' }, { text: 'Click New call' }, { text: 'Save' }],
  },
  { kind: 'short', question: 'Which key saves?', modelAnswer: 'Ctrl+S' },
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyCard = any;

/** An answer to `card`, right or wrong. */
function answerTo(card: AnyCard, right: boolean) {
  switch (card.kind) {
    case 'single': {
      const option = card.options.find((o: AnyCard) => o.correct === right);
      return { kind: 'single', optionId: option.id };
    }
    case 'multiple': {
      const correct = card.options.filter((o: AnyCard) => o.correct).map((o: AnyCard) => o.id);
      return { kind: 'multiple', optionIds: right ? correct : correct.slice(0, 1) };
    }
    case 'truefalse':
      return { kind: 'truefalse', value: right ? card.answer : !card.answer };
    case 'order': {
      const ids = card.steps.map((s: AnyCard) => s.id);
      return { kind: 'order', stepIds: right ? ids : [...ids].reverse() };
    }
    default:
      return { kind: 'short', text: 'Ctrl+S', gotIt: right };
  }
}

/** Organisation, module, learners, published: what the load answers. */
async function seed(app: Server) {
  const setup = await call(app, 'POST', '/api/setup', {
    organisation: { name: 'Bench Ltd' },
    admin: { name: 'Bench Admin', email: 'bench@example.test', password: 'a long bench password' },
  });
  const admin = setup.cookie!;
  const org = `/api/orgs/${setup.body.orgId}`;
  const jobRole = (await call(app, 'POST', `${org}/job-roles`, { name: 'Sales rep' }, admin)).body;
  const tool = (await call(app, 'POST', `${org}/tools`, { name: 'CRM' }, admin)).body;
  const module = (
    await call(
      app,
      'POST',
      `${org}/modules`,
      { title: 'Calls', toolId: tool.id, jobRoleIds: [jobRole.id] },
      admin,
    )
  ).body;
  const lessonIds: string[] = [];
  for (let l = 0; l < LESSONS; l++) {
    const blocks = [{ id: randomUUID(), kind: 'text', markdown: `Lesson ${l + 1}: log a call.` }];
    const lesson = (
      await call(
        app,
        'POST',
        `${org}/modules/${module.id}/lessons`,
        { title: `L${l}`, blocks },
        admin,
      )
    ).body;
    lessonIds.push(lesson.id);
    for (let c = 0; c < CARDS_PER_LESSON; c++) {
      const input = cardInputs[c % cardInputs.length]!;
      await call(app, 'POST', `${org}/lessons/${lesson.id}/cards`, input, admin);
    }
  }
  const learners: string[] = [];
  for (let i = 0; i < LEARNERS; i++) {
    const invitation = (
      await call(
        app,
        'POST',
        `${org}/invitations`,
        { email: `learner${i}@example.test`, roles: ['learner'], jobRoleId: jobRole.id },
        admin,
      )
    ).body;
    const token = new URL(invitation.link).pathname.split('/').pop()!;
    const accepted = await call(app, 'POST', `/api/invitations/${token}/accept`, {
      password: 'a long learner password',
      name: `Learner ${i}`,
    });
    learners.push(accepted.cookie!);
  }
  await call(app, 'POST', `${org}/modules/${module.id}/publish`, undefined, admin);
  const cards: AnyCard[] = [];
  for (const id of lessonIds)
    cards.push(...(await call(app, 'GET', `${org}/lessons/${id}`, undefined, admin)).body.cards);
  return { url: `${app.url}${org}/reviews`, learners, cards };
}

const pick = <T>(items: T[]) => items[Math.floor(Math.random() * items.length)]!;

function reviewsTarget(s: Awaited<ReturnType<typeof seed>>): Target {
  return {
    url: s.url,
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => {
          const card = pick(s.cards);
          const right = Math.random() < 0.75;
          return {
            ...req,
            headers: { 'content-type': 'application/json', cookie: pick(s.learners) },
            body: JSON.stringify({
              id: randomUUID(),
              cardId: card.id,
              answer: answerTo(card, right),
              durationMs: Math.round(
                card.effectiveExpectedSeconds * 1000 * (0.3 + Math.random() * 1.5),
              ),
            }),
          };
        },
      },
    ],
  };
}

function bareTarget(url: string): Target {
  return {
    url,
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => ({
          ...req,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ id: randomUUID(), cardId: randomUUID(), durationMs: 4000 }),
        }),
      },
    ],
  };
}

async function start(script: string, env: Record<string, string>, health: string) {
  const port = await freePort();
  const server = startServer(process.execPath, ['--import', 'tsx', script], env, port);
  await waitFor200(`${server.url}${health}`, performance.now(), server);
  return server;
}

async function measure(
  database: ReviewsResult['database'],
  appEnv: Record<string, string>,
  bareEnv: Record<string, string>,
  opts: ReviewsLoadOptions,
  log: (line: string) => void,
): Promise<ReviewsResult> {
  const app = await start('server/main.ts', { LOG_LEVEL: 'silent', ...appEnv }, '/api/health');
  try {
    const reviews = reviewsTarget(await seed(app));
    // After the app has migrated the database the bare server shares on PostgreSQL.
    const bareServer = await start('bench/bare-insert-server.ts', bareEnv, '/health');
    try {
      const bare = bareTarget(`${bareServer.url}/bare`);
      const result: ReviewsResult = {
        database,
        reviews: [],
        bare: [],
        reviewsP99: [],
        bareP99: [],
        failures: 0,
      };
      // Warm-up, not counted.
      await fire(bare, 2, opts.connections);
      await fire(reviews, 2, opts.connections);
      for (let round = 0; round < opts.rounds; round++) {
        const order =
          round % 2 === 0 ? (['bare', 'reviews'] as const) : (['reviews', 'bare'] as const);
        for (const which of order) {
          const run = await fire(
            which === 'reviews' ? reviews : bare,
            opts.seconds,
            opts.connections,
          );
          result[which].push(run.rps);
          result[which === 'reviews' ? 'reviewsP99' : 'bareP99'].push(run.p99);
          result.failures += run.failures;
        }
        const i = result.reviews.length - 1;
        log(
          `${database} round ${round + 1}: reviews ${num(result.reviews[i]!)} req/s, bare insert ` +
            `${num(result.bare[i]!)} req/s, ratio ${(result.reviews[i]! / result.bare[i]!).toFixed(3)}`,
        );
      }
      if (result.failures > 0)
        log(`${database}: ${result.failures} failed requests: figures are not valid`);
      return result;
    } finally {
      await bareServer.stop();
    }
  } finally {
    await app.stop();
  }
}

export async function runReviews(
  opts: Partial<ReviewsLoadOptions> & { log?: (line: string) => void } = {},
): Promise<{ opts: ReviewsLoadOptions; results: ReviewsResult[] }> {
  const load: ReviewsLoadOptions = {
    rounds: opts.rounds ?? 3,
    seconds: opts.seconds ?? 5,
    connections: opts.connections ?? 10,
  };
  const log = opts.log ?? console.log;
  const results: ReviewsResult[] = [];
  results.push(
    await measure(
      'PGlite',
      { DATA_DIR: scratchDataDir() },
      { DATA_DIR: scratchDataDir() },
      load,
      log,
    ),
  );
  const url = await scratchDatabase();
  results.push(
    await measure('PostgreSQL', { DATABASE_URL: url }, { DATABASE_URL: url }, load, log),
  );
  return { opts: load, results };
}

export function reviewsMarkdown({ opts, results }: Awaited<ReturnType<typeof runReviews>>) {
  const lines = [
    `### \`POST /reviews\` against a bare INSERT route (${opts.rounds} alternating rounds × ${opts.seconds} s, ${opts.connections} connections)`,
    '',
    'autocannon on 127.0.0.1; median of the rounds’ mean req/s. Every request is a new answer',
    `(new id) by one of ${LEARNERS} learners to one of ${LESSONS * CARDS_PER_LESSON} cards; the bare route is a plain Fastify`,
    'instance doing one INSERT in a transaction through the same client, in its own process.',
    '',
    '| Database | reviews req/s | bare insert req/s | reviews / bare (rounds min–max) | Target | p99 reviews / bare |',
    '| --- | ---: | ---: | ---: | --- | ---: |',
  ];
  for (const r of results) {
    const perRound = r.reviews.map((x, i) => x / r.bare[i]!);
    const ratio = median(r.reviews) / median(r.bare);
    const verdict =
      r.failures > 0
        ? `invalid: ${r.failures} failed requests`
        : r.database === 'PostgreSQL'
          ? ratio >= REVIEWS_RATIO_TARGET
            ? 'met'
            : 'missed'
          : 'reported';
    lines.push(
      `| ${r.database} | ${num(median(r.reviews))} | ${num(median(r.bare))} | ${ratio.toFixed(2)} ` +
        `(${Math.min(...perRound).toFixed(2)}–${Math.max(...perRound).toFixed(2)}) | ` +
        `≥ ${REVIEWS_RATIO_TARGET} on PostgreSQL: ${verdict} | ${num(median(r.reviewsP99))} ms / ${num(median(r.bareP99))} ms |`,
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
    const result = await runReviews(opts);
    console.log(`\n${reviewsMarkdown(result)}`);
  });
}
