/**
 * Where the time of GET /api/me goes, when bench/me-throughput.ts finds it slow: the app is built
 * in this process and driven with `inject` (no sockets), one request at a time, and the steps
 * below are timed in alternating rounds. Drizzle's prepared queries are wrapped to count the
 * queries each request sends and show their SQL.
 *
 *   npx tsx bench/me-profile.ts [--rounds 5] [--requests 300]
 */
import { and, eq, isNull, sql } from 'drizzle-orm';
import Fastify, { type FastifyInstance } from 'fastify';
import { PglitePreparedQuery } from 'drizzle-orm/pglite/session';
import { PostgresJsPreparedQuery } from 'drizzle-orm/postgres-js/session';
import { buildApp } from '../server/app';
import * as authRepo from '../server/auth/repository';
import { defaultPolicies, type Config } from '../server/config';
import { type DbHandle, openPglite, openPostgres } from '../server/db/client';
import { memberships, organisations, sessions, users } from '../server/db/schema';
import { hashToken } from '../server/lib/tokens';
import { main, onCleanup } from './lib/processes';
import { scratchDatabase } from './lib/scratch';
import { median, num } from './lib/stats';

/** Every SQL text drizzle sends while `sent` is being filled. */
let sent: string[] | undefined;
for (const proto of [PglitePreparedQuery.prototype, PostgresJsPreparedQuery.prototype]) {
  const execute = proto.execute;
  proto.execute = function (this: { queryString: string }, ...args: Parameters<typeof execute>) {
    sent?.push(this.queryString);
    return execute.apply(this, args);
  } as typeof execute;
}

const config: Config = {
  port: 0,
  host: '127.0.0.1',
  dataDir: '/nonexistent',
  databaseUrl: undefined,
  publicUrl: undefined,
  logLevel: 'silent',
  webDir: undefined,
  ...defaultPolicies,
};

function intArg(name: string, fallback: number, limit: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i > 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1 || value > limit)
    throw new Error(`--${name} takes 1 to ${limit}`);
  return value;
}

async function inject(app: FastifyInstance, url: string, status: number, cookie?: string) {
  const res = await app.inject({ url, headers: cookie ? { cookie } : {} });
  if (res.statusCode !== status)
    throw new Error(`${url} answered ${res.statusCode}, not ${status}: ${res.body}`);
}

async function profile(name: string, handle: DbHandle, rounds: number, requests: number) {
  await handle.migrate();
  const app = await buildApp({ config, db: handle.db });
  onCleanup(() => app.close());
  const bare = Fastify({ logger: false });
  bare.get('/bare', async () => ({ status: 'ok' }));
  onCleanup(() => bare.close());

  const setup = await app.inject({
    method: 'POST',
    url: '/api/setup',
    payload: {
      organisation: { name: 'Bench Ltd' },
      admin: {
        name: 'Bench Admin',
        email: 'bench@example.test',
        password: 'a long bench password',
      },
    },
  });
  const cookie = setup.cookies.find((c) => c.name === 'rappel_session');
  if (setup.statusCode !== 201 || !cookie)
    throw new Error(`setup answered ${setup.statusCode}: ${setup.body}`);
  const session = `rappel_session=${cookie.value}`;
  const { userId } = setup.json() as { userId: string };
  const tokenHash = hashToken(cookie.value);

  // What a leaner /api/me could send: the joined user reused, and the SQL built once.
  const preparedSession = handle.db
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, sql.placeholder('tokenHash')), isNull(sessions.revokedAt)))
    .prepare(`bench_session_${name.length}`);
  const preparedMemberships = handle.db
    .select({ orgId: organisations.id, orgName: organisations.name, roles: memberships.roles })
    .from(memberships)
    .innerJoin(organisations, eq(organisations.id, memberships.orgId))
    .where(
      and(eq(memberships.userId, sql.placeholder('userId')), isNull(memberships.deactivatedAt)),
    )
    .orderBy(memberships.createdAt, organisations.name)
    .prepare(`bench_memberships_${name.length}`);

  const steps: Record<string, () => Promise<unknown>> = {
    'bare Fastify route': () => inject(bare, '/bare', 200),
    'app: unknown /api path (404, no hook, no DB)': () => inject(app, '/api/nope', 404),
    'app: GET /api/me without cookie (401, no DB)': () => inject(app, '/api/me', 401),
    'app: GET /api/health (1 query)': () => inject(app, '/api/health', 200),
    'app: GET /api/me with session': () => inject(app, '/api/me', 200, session),
    'its 3 queries alone, no HTTP': async () => {
      await authRepo.findSessionWithUser(handle.db, tokenHash);
      await authRepo.findUserById(handle.db, userId);
      await authRepo.listUserMemberships(handle.db, userId);
    },
    'without the second user read (2 queries)': async () => {
      await authRepo.findSessionWithUser(handle.db, tokenHash);
      await authRepo.listUserMemberships(handle.db, userId);
    },
    'those 2 as drizzle prepared statements': async () => {
      await preparedSession.execute({ tokenHash });
      await preparedMemberships.execute({ userId });
    },
  };

  sent = [];
  await steps['app: GET /api/me with session']!();
  const meQueries = sent;
  sent = undefined;

  const times: Record<string, number[]> = Object.fromEntries(
    Object.keys(steps).map((k) => [k, []]),
  );
  const names = Object.keys(steps);
  for (let round = 0; round <= rounds; round++) {
    // Round 0 warms up; later rounds reverse the order every other time.
    const order = round % 2 ? [...names].reverse() : names;
    for (const step of order) {
      const started = performance.now();
      for (let i = 0; i < requests; i++) await steps[step]!();
      if (round > 0) times[step]!.push(((performance.now() - started) * 1000) / requests);
    }
  }

  console.log(
    `\n#### ${name}: one request at a time through inject (${rounds} rounds × ${requests})\n`,
  );
  console.log('| Step | µs per request (median of rounds) | requests/s on one core |');
  console.log('| --- | ---: | ---: |');
  for (const step of names) {
    const us = median(times[step]!);
    console.log(`| ${step} | ${num(us)} | ${num(1_000_000 / us)} |`);
  }
  console.log(`\nQueries sent by one GET /api/me (${meQueries.length}):\n`);
  for (const q of meQueries) console.log(`- \`${q}\``);
}

void main(async () => {
  const rounds = intArg('rounds', 5, 20);
  const requests = intArg('requests', 300, 10_000);
  console.log(`Node ${process.version}`);
  const pglite = await openPglite();
  onCleanup(() => pglite.close());
  await profile('PGlite (in memory)', pglite, rounds, requests);
  const pg = openPostgres(await scratchDatabase());
  onCleanup(() => pg.close());
  await profile('PostgreSQL', pg, rounds, requests);
});
