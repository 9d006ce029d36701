/**
 * Automatic reminders at scale, on PostgreSQL: 200 organisations × 50 learners, every one with
 * refreshers due (bench/lib/reminders-data.ts).
 *
 * 1. Queueing: building and queueing everyone's reminder (server/outreach/reminders.ts: due
 *    counts, budgets, outbox rows with their mail jobs, in-app notifications) against a plain
 *    `INSERT INTO outbox_messages … SELECT` of as many rows, side by side in one run, rounds
 *    alternating which goes first, tables emptied before each; the ratio of the medians.
 * 2. `GET /api/me` throughput of the real server (server/main.ts) idle, and while that server's
 *    job runner runs a reminders job for the 10,000 learners (a `reminders` job row queued for
 *    it to claim, as a slot of the recurring job is): responses counted in the run's window
 *    against the seconds just before it, within one autocannon run.
 *
 *   DATABASE_URL=postgres://… npm run bench:reminders [-- --rounds 5 --connections 10]
 *   (or TEST_DATABASE_URL; a scratch database is made on that server and dropped afterwards)
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { openPostgres } from '../server/db/client';
import { systemClock } from '../server/lib/clock';
import { createReminderProducer, REMINDERS_EVERY_MS } from '../server/outreach/reminders';
import { freePort, main, onCleanup, startServer, type Server, waitFor200 } from './lib/processes';
import { generateReminderData, workingToday } from './lib/reminders-data';
import { rowsOf } from '../server/db/rows';
import { machine, median, num } from './lib/stats';

export const QUEUE_RATIO_TARGET = 3;
export const THROUGHPUT_RATIO_TARGET = 0.7;
const ORGS = 200;
/** Load before the job is queued: a second of ramp-up, then the idle window it is compared to. */
const IDLE_WINDOW_MS = 3000;
const LEARNERS = 50;

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '10' },
  },
});
const rounds = Number(args.rounds);
const connections = Number(args.connections);

async function scratch(serverUrl: string) {
  const name = `rappel_bench_reminders_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  onCleanup(async () => {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end({ timeout: 5 });
  });
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function startApp(url: string): Promise<Server> {
  const port = await freePort();
  const server = startServer(
    process.execPath,
    ['--import', 'tsx', 'server/main.ts'],
    { LOG_LEVEL: 'silent', DATABASE_URL: url },
    port,
  );
  await waitFor200(`${server.url}/api/health`, performance.now(), server);
  return server;
}

/** The first organisation and admin, through the API (only an empty database takes it). */
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
  return res.headers
    .getSetCookie()
    .find((c) => c.startsWith('rappel_session='))!
    .split(';')[0]!;
}

await main(async () => {
  const serverUrl = process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (!serverUrl)
    throw new Error('Set DATABASE_URL (or TEST_DATABASE_URL) to a PostgreSQL server.');
  const url = await scratch(serverUrl);
  const handle = openPostgres(url, { max: 5 });
  onCleanup(() => handle.close());
  await handle.migrate();
  const { db } = handle;
  const log = (line: string) => console.log(line);

  // The admin whose GET /api/me is measured, made while the database is empty.
  let app = await startApp(url);
  const cookie = await signUp(app);
  await app.stop();

  const started = performance.now();
  await generateReminderData(db, { orgs: ORGS, learners: LEARNERS, now: new Date() });
  const learners = ORGS * LEARNERS;
  log(
    `${num(learners)} learners in ${ORGS} organisations made in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  if (!(await workingToday(db, new Date()))) {
    throw new Error(
      'Today is a public holiday in France: no reminders go out; run it another day.',
    );
  }

  // What a run wrote, and the jobs it queued; the recurring jobs' slots stay as they are.
  const reset = () =>
    db.execute(sql`truncate outbox_messages, notifications;
      delete from jobs where name in ('mail', 'reminder-mails', 'push') or key like 'reminders:bench:%'`);
  /**
   * The server's own quarter-hourly reminders runs, marked done for the next two hours: the
   * only run while measuring is the one the bench queues.
   */
  const holdSlots = () =>
    db.execute(sql`insert into jobs (name, key, status, run_at, finished_at)
      select 'reminders', 'reminders:' || n, 'done', to_timestamp(n * ${REMINDERS_EVERY_MS / 1000}), now()
      from generate_series(floor(extract(epoch from now()) / ${REMINDERS_EVERY_MS / 1000})::bigint,
        floor(extract(epoch from now()) / ${REMINDERS_EVERY_MS / 1000})::bigint + 8) n
      on conflict (key) do nothing`);
  // The work alone: the server's producer rests between batches (REMINDER_REST_FACTOR), this
  // one does not, so the ratio compares building and queueing with the plain insert.
  const producer = createReminderProducer({
    db,
    clock: systemClock,
    appUrl: 'http://localhost',
    rest: async () => {},
  });
  const timed = async (fn: () => Promise<number>) => {
    await reset();
    const t = performance.now();
    const rows = await fn();
    if (rows !== learners) throw new Error(`expected ${learners} messages, got ${rows}`);
    return performance.now() - t;
  };
  const queue = () => producer.run(new Date()).then((r) => r.mails);
  const plain = async () =>
    rowsOf<{ n: number }>(
      await db.execute(sql`with ins as (
          insert into outbox_messages (org_id, user_id, to_address, locale, kind, key, params, created_at)
          select ms.org_id, ms.user_id, u.email, u.locale, 'reminder',
            'plain:' || ms.org_id || ':' || ms.user_id,
            jsonb_build_object('dueCount', 10, 'minutes', 4), now()
          from memberships ms join users u on u.id = ms.user_id
          join organisations o on o.id = ms.org_id where o.name like 'Reminders %'
          returning 1)
        select count(*)::int as n from ins`),
    ).map((r) => Number(r.n))[0]!;
  const times = { queue: [] as number[], plain: [] as number[] };
  await timed(queue); // warm-up, not counted
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? (['queue', 'plain'] as const) : (['plain', 'queue'] as const);
    for (const which of order) times[which].push(await timed(which === 'queue' ? queue : plain));
  }

  log(`queue ${num(learners)} reminders: ${times.queue.map((t) => num(t)).join(', ')} ms`);
  log(`plain INSERT … SELECT: ${times.plain.map((t) => num(t)).join(', ')} ms`);

  await reset();
  await holdSlots();
  app = await startApp(url);
  const me = { url: `${app.url}/api/me`, headers: { cookie } };
  await autocannon({ ...me, connections, duration: 2 });
  const idle: number[] = [];
  const during: number[] = [];
  const runMs: number[] = [];
  let failures = 0;
  for (let round = 0; round < Math.max(3, Math.ceil(rounds / 2)); round++) {
    await reset();
    const r = await throughputRound(me, `reminders:bench:${round}`);
    idle.push(r.idle);
    during.push(r.during);
    runMs.push(r.runMs);
    failures += r.failures;
  }
  await app.stop();

  const queueRatio = median(times.queue) / median(times.plain);
  const throughputRatio = median(during) / median(idle);
  const m = machine();
  log(`\nReminders bench on PostgreSQL, ${m.date}, ${m.cpus} CPUs (${m.cpuModel}), Node ${m.node}`);
  log(`| figure | median | rounds |`);
  log(`| --- | --- | --- |`);
  log(
    `| queue ${num(learners)} reminders (ms) | ${num(median(times.queue))} | ${times.queue.map((t) => num(t)).join(', ')} |`,
  );
  log(
    `| plain INSERT … SELECT of ${num(learners)} outbox rows (ms) | ${num(median(times.plain))} | ${times.plain.map((t) => num(t)).join(', ')} |`,
  );
  log(`| ratio queue / plain | ${queueRatio.toFixed(2)} (target ≤ ${QUEUE_RATIO_TARGET}) | |`);
  log(
    `| GET /api/me idle (req/s) | ${num(median(idle))} | ${idle.map((t) => num(t)).join(', ')} |`,
  );
  log(
    `| GET /api/me during a run (req/s) | ${num(median(during))} | ${during.map((t) => num(t)).join(', ')} |`,
  );
  log(
    `| run inside the server (ms) | ${num(median(runMs))} | ${runMs.map((t) => num(t)).join(', ')} |`,
  );
  log(
    `| ratio during / idle | ${throughputRatio.toFixed(2)} (target ≥ ${THROUGHPUT_RATIO_TARGET}) | |`,
  );
  log(`| failed requests | ${failures} | |`);
  if (
    queueRatio > QUEUE_RATIO_TARGET ||
    throughputRatio < THROUGHPUT_RATIO_TARGET ||
    failures > 0
  ) {
    process.exitCode = 1;
  }

  /**
   * One autocannon run: a few seconds of load, then a `reminders` job queued for the server's
   * runner; responses are counted over the run (the job's start to its end, as the server
   * recorded them) and over as long a span just before it was queued.
   */
  async function throughputRound(target: typeof me, key: string) {
    const stamps: number[] = [];
    let bad = 0;
    let finish: () => void = () => {};
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const instance = autocannon({ ...target, connections, duration: 120 }, () => finish());
    instance.on('response', (_client, status) => {
      stamps.push(Date.now());
      if (status < 200 || status >= 300) bad++;
    });
    await new Promise((r) => setTimeout(r, 4000));
    const queuedAt = Date.now();
    await db.execute(sql`insert into jobs (name, key, run_at) values ('reminders', ${key}, now())`);
    let job: { status: string; started: number; finished: number } | undefined;
    for (;;) {
      [job] = rowsOf<NonNullable<typeof job>>(
        await db.execute(sql`select status,
            extract(epoch from started_at) * 1000 as started,
            extract(epoch from finished_at) * 1000 as finished
          from jobs where key = ${key}`),
      );
      if (job?.status === 'done' || job?.status === 'failed') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    instance.stop();
    await finished;
    if (job.status !== 'done') throw new Error(`the reminders job failed: ${JSON.stringify(job)}`);
    const [sent] = rowsOf<{ n: number }>(
      await db.execute(sql`select count(*)::int as n from outbox_messages where kind = 'reminder'`),
    );
    if (Number(sent!.n) !== learners) throw new Error(`the run queued ${sent!.n} reminders`);
    const start = Number(job.started);
    const end = Number(job.finished);
    const span = Math.max(end - start, 1);
    const count = (from: number, to: number) => stamps.filter((t) => t >= from && t < to).length;
    return {
      idle: (count(queuedAt - IDLE_WINDOW_MS, queuedAt) * 1000) / IDLE_WINDOW_MS,
      during: (count(start, end) * 1000) / span,
      runMs: span,
      failures: bad,
    };
  }
});
