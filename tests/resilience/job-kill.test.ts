import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app';
import { createPasswordHasher } from '../../server/auth/passwords';
import { type DbHandle, openPglite, openPostgres } from '../../server/db/client';
import { jobs, outboxMessages } from '../../server/db/schema';
import { systemClock } from '../../server/lib/clock';
import * as orgRepo from '../../server/orgs/repository';
import { PASSWORD, testConfig, userMaker } from '../helpers/harness';
import { freePort } from '../helpers/server-spawn';
import { startSmtp, type TestSmtp } from '../helpers/smtp';
import { kill, type ServerProcess, startServer, stop, untilHealthy } from './server-process';

/*
 * A server killed (SIGKILL) in the middle of a job: after a restart the job is done, once. The
 * job is a real one, the mail of an invitation, held in the middle of its sending by an SMTP
 * server that does not greet: the server is killed while it waits. Restarted, it sends the mail
 * again (on PGlite at once: the process that claimed it is gone with its directory lock; on
 * PostgreSQL once the claim's lease has run out), and the mail arrives exactly once.
 */
const pgUrl = process.env.TEST_DATABASE_URL;
const servers: ServerProcess[] = [];
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const server of servers) server.child.kill('SIGKILL');
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/**
 * The SMTP server seen through a door: while `holding`, a connection is accepted and hears
 * nothing (`connected` resolves); afterwards connections reach the real SMTP server.
 */
async function heldSmtp(smtp: TestSmtp) {
  let holding = true;
  let connected!: () => void;
  const firstConnection = new Promise<void>((resolve) => (connected = resolve));
  const sockets = new Set<net.Socket>();
  const door = net.createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    if (holding) {
      connected();
      return;
    }
    const upstream = net.connect(smtp.port, '127.0.0.1');
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => door.listen(0, '127.0.0.1', resolve));
  const { port } = door.address() as net.AddressInfo;
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        door.close(() => resolve());
      }),
  );
  return {
    url: `smtp://127.0.0.1:${port}`,
    firstConnection,
    open() {
      holding = false;
    },
  };
}

/** An organisation whose admin invites someone: the invitation's mail waits in the outbox. */
async function inviteSomeone(handle: DbHandle) {
  const config = testConfig();
  const hasher = createPasswordHasher(config.argon2);
  // The wall clock: the servers check sessions and run jobs by it.
  const app = await buildApp({ config, db: handle.db, clock: systemClock, hasher });
  await app.ready();
  try {
    const passwordHash = await hasher.hash(PASSWORD);
    const deps = { app, db: handle.db, clock: systemClock, config, passwordHash };
    const { addUser } = userMaker(deps, 'jobkill');
    const org = await orgRepo.insertOrg(handle.db, 'Job kill', systemClock.now());
    const admin = await addUser(org.id, ['admin']);
    const email = `invitee-${randomUUID()}@example.test`;
    const res = await admin.inject({
      method: 'POST',
      url: `/api/orgs/${org.id}/invitations`,
      payload: { email },
    });
    expect(res.statusCode, res.body).toBe(201);
    return email;
  } finally {
    await app.close();
  }
}

/** Resolves with `promise`, or fails after `ms` naming what did not happen. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/**
 * Starts a server on `env` whose first poll claims the mail and hangs on SMTP; kills it then;
 * starts it again with SMTP answering, and stops it once the mail has arrived.
 */
async function killMidJob(env: Record<string, string>) {
  const smtp = await startSmtp();
  cleanups.push(() => smtp.close());
  const door = await heldSmtp(smtp);
  const port = await freePort();
  const serverEnv = {
    ...env,
    PORT: String(port),
    SMTP_URL: door.url,
    MAIL_FROM: 'rappel@example.test',
  };
  const first = startServer(serverEnv);
  servers.push(first);
  await untilHealthy(first, port);
  await within(door.firstConnection, 30_000, 'the server never tried to send the mail');
  await kill(first);

  door.open();
  const started = Date.now();
  const second = startServer(serverEnv);
  servers.push(second);
  await untilHealthy(second, port);
  // On PostgreSQL, the killed server's claim holds for its lease (30 s).
  await within(smtp.waitFor(1), 90_000, 'the mail never arrived after the restart');
  const afterMs = Date.now() - started;
  // A clean stop waits for the job in progress to be marked done.
  await stop(second);
  return { smtp, afterMs, output: second.output() };
}

async function check(
  name: string,
  handle: DbHandle,
  email: string,
  run: Awaited<ReturnType<typeof killMidJob>>,
) {
  const mailJobs = await handle.db
    .select({ status: jobs.status, attempts: jobs.attempts, lastError: jobs.lastError })
    .from(jobs)
    .where(eq(jobs.name, 'mail'));
  const messages = await handle.db
    .select({ status: outboxMessages.status, to: outboxMessages.toAddress })
    .from(outboxMessages);
  console.log(
    `job killed mid-run on ${name}: mail delivered ${run.smtp.envelopes.length} time(s), ` +
      `${(run.afterMs / 1000).toFixed(1)} s after the restart began, job tried ` +
      `${mailJobs.map((j) => j.attempts).join(', ')} time(s)`,
  );
  expect(run.smtp.envelopes).toEqual([{ from: 'rappel@example.test', to: [email] }]);
  // The killed try counts: the second one sent it.
  expect(mailJobs).toEqual([{ status: 'done', attempts: 2, lastError: null }]);
  expect(messages).toEqual([{ status: 'sent', to: email }]);
  expect(run.output).toBe('');
}

describe('a server killed while a job runs', () => {
  it('on embedded PGlite: the job is done once after the restart', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rappel-job-kill-'));
    cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const seeding = await openPglite(dataDir);
    await seeding.migrate();
    const email = await inviteSomeone(seeding);
    await seeding.close();
    const run = await killMidJob({ DATA_DIR: dataDir });
    const handle = await openPglite(dataDir);
    try {
      await check('PGlite', handle, email, run);
    } finally {
      await handle.close();
    }
  }, 300_000);

  it.skipIf(!pgUrl)(
    'on PostgreSQL: the job is done once after its lease ran out',
    async () => {
      const name = `rappel_test_job_kill_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
      const admin = postgres(pgUrl!, { max: 1, onnotice: () => {} });
      await admin.unsafe(`create database "${name}"`);
      cleanups.push(async () => {
        await admin.unsafe(`drop database if exists "${name}" with (force)`);
        await admin.end();
      });
      const url = new URL(pgUrl!);
      url.pathname = `/${name}`;
      const handle = openPostgres(url.toString(), { max: 3 });
      cleanups.push(() => handle.close());
      await handle.migrate();
      const email = await inviteSomeone(handle);
      const run = await killMidJob({ DATABASE_URL: url.toString() });
      await check('PostgreSQL', handle, email, run);
    },
    300_000,
  );
});
