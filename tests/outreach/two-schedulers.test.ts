/**
 * Two app instances on one database run the scheduler at the same moment: each reminder and
 * each digest is queued, delivered and received once. On PostgreSQL (TEST_DATABASE_URL) the
 * second instance has connections of its own; PGlite has one connection, shared.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app';
import { type DbHandle, openPostgres } from '../../server/db/client';
import { jobs, notifications, outboxMessages } from '../../server/db/schema';
import { rowsOf } from '../../server/db/rows';
import { createScheduler } from '../../server/srs/fsrs';
import { createHarness, type Harness } from '../helpers/harness';
import { learningFixtures } from '../helpers/learning';
import { startSmtp, type TestSmtp } from '../helpers/smtp';

// Monday 7 December 2026, 09:05 in Paris: past the digests' 07:00 and the reminders' 09:00.
const MONDAY_0905_PARIS = new Date('2026-12-07T08:05:00Z');
const LEARNERS = 6;

let smtp: TestSmtp;
let h: Harness;
let second: FastifyInstance;
let secondHandle: DbHandle | undefined;

beforeAll(async () => {
  smtp = await startSmtp();
  h = await createHarness({
    config: {
      smtp: { url: smtp.url, from: 'rappel@example.test' },
      publicUrl: 'http://rappel.test',
      // The world's sessions are made in March; the day scheduled is in December.
      session: { idleMs: 365 * 86_400_000, absoluteMs: 365 * 86_400_000 },
    },
  });
  let db = h.db;
  const server = process.env.TEST_DATABASE_URL;
  if (server) {
    const [row] = rowsOf<{ name: string }>(
      await h.db.execute(sql`select current_database() as name`),
    );
    const url = new URL(server);
    url.pathname = `/${row!.name}`;
    secondHandle = openPostgres(url.toString(), { max: 5 });
    db = secondHandle.db;
  }
  second = await buildApp({
    config: h.config,
    db,
    clock: h.clock,
    scheduler: createScheduler({ fuzz: false }),
  });
  await second.ready();
}, 60_000);
afterAll(async () => {
  await second?.close();
  await secondHandle?.close();
  await h.close();
  await smtp.close();
});

/** Both instances tick at once, then run what the ticks queued until neither finds work. */
async function bothTick() {
  await Promise.all([h.app.jobs.tick(), second.jobs.tick()]);
  for (;;) {
    const [x, y] = await Promise.all([h.app.jobs.runDue(), second.jobs.runDue()]);
    if (x + y === 0) return;
  }
}

describe('two instances scheduling at the same moment', () => {
  it('send each learner one reminder and each manager one digest', async () => {
    const f = learningFixtures(h);
    const { a, b } = h.world;
    h.clock.set(new Date(MONDAY_0905_PARIS.getTime() - 3 * 3_600_000));
    const learners: string[] = [];
    for (const org of [a, b]) {
      const module = await f.publishedModule(org, { title: 'CRM basics' });
      const ids = [];
      for (let i = 0; i < LEARNERS / 2; i++) {
        const learner = await f.learner(org, `${org.name} learner ${i}`, { teamId: org.team.id });
        ids.push(learner.id);
      }
      await f.assign(org, module.id, ids);
      for (const id of ids) {
        await f.remember(org, id, module.lessons[0]!.cardIds[0]!, { stability: 2, daysAgo: 10 });
      }
      await f.manageTeams(org, org.users.manager.id, [org.team.id]);
      learners.push(...ids);
    }

    h.clock.set(MONDAY_0905_PARIS);
    await bothTick();
    // Ticking again, on either, finds nothing left to send today.
    await bothTick();

    const reminders = await h.db
      .select({ userId: outboxMessages.userId, status: outboxMessages.status })
      .from(outboxMessages)
      .where(eq(outboxMessages.kind, 'reminder'));
    expect(reminders.map((r) => r.userId).sort()).toEqual([...learners].sort());
    expect(reminders.every((r) => r.status === 'sent')).toBe(true);
    const notes = await h.db
      .select({ userId: notifications.userId })
      .from(notifications)
      .where(eq(notifications.kind, 'reminder'));
    expect(notes.map((n) => n.userId).sort()).toEqual([...learners].sort());

    const digests = await h.db
      .select({ userId: outboxMessages.userId })
      .from(outboxMessages)
      .where(eq(outboxMessages.kind, 'digest'));
    expect(digests.map((d) => d.userId).sort()).toEqual(
      [a.users.manager.id, b.users.manager.id].sort(),
    );

    // What the SMTP server received: each message of the outbox once (the reminders, the
    // digests, and the new-work messages of the morning's assignments), none twice.
    const outbox = await h.db
      .select({ to: outboxMessages.toAddress, kind: outboxMessages.kind })
      .from(outboxMessages);
    expect(outbox.filter((m) => m.kind === 'new-work')).toHaveLength(LEARNERS);
    expect(outbox).toHaveLength(LEARNERS * 2 + 2);
    const received = smtp.messages.map((m, i) => `${smtp.envelopes[i]!.to.join(',')} ${m.subject}`);
    expect(received).toHaveLength(outbox.length);
    expect(new Set(received).size).toBe(received.length);

    // Each recurring slot ran once, on one instance or the other.
    const slots = await h.db
      .select({ key: jobs.key, attempts: jobs.attempts })
      .from(jobs)
      .where(and(eq(jobs.status, 'done'), sql`${jobs.name} in ('reminders', 'digests')`));
    expect(slots.length).toBeGreaterThan(0);
    expect(slots.every((s) => s.attempts === 1)).toBe(true);
  });
});
