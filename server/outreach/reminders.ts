/**
 * The reminders' producer: every quarter of an hour, the learners of every organisation whose
 * reminder time has come today get today's reminder (rules.ts), in batches of memberships, one
 * statement each (reminders-sql.ts), so the API keeps answering while thousands are queued.
 */
import { eq, sql } from 'drizzle-orm';
import { isWorkingDay } from '../../shared/calendar';
import { createTodaySignInLink } from '../auth/recovery';
import { calendarsFor } from '../calendar/service';
import type { Database } from '../db/client';
import { organisations, outboxMessages } from '../db/schema';
import type { Clock } from '../lib/clock';
import { localDate } from '../lib/zoned-day';
import { type Cursor, type OrgDay, remindBatch } from './reminders-sql';

/** Memberships per statement: large enough to be set-based, small enough to keep turns short. */
export const REMINDER_BATCH = 1000;
export const REMINDERS_EVERY_MS = 15 * 60_000;
/**
 * Between two batches the producer rests this many times as long as the last batch took: a
 * batch holds a database core while it runs, and the people using the app come first. A run for
 * 10,000 learners takes a few seconds more, once a quarter of an hour.
 */
export const REMINDER_REST_FACTOR = 2;

/** Waits `ms` of real time (the producer's rest between batches). */
export const restFor = (ms: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

export interface ReminderRun {
  /** Organisations whose today is a working day. */
  workingOrgs: number;
  batches: number;
  reminded: number;
  mails: number;
  inApp: number;
  pushes: number;
}

export type ReminderProducer = ReturnType<typeof createReminderProducer>;

export function createReminderProducer({
  db,
  clock,
  appUrl,
  batchSize = REMINDER_BATCH,
  rest = restFor,
}: {
  db: Database;
  clock: Clock;
  /** Absolute address of the web app (sign-in links). */
  appUrl: string;
  batchSize?: number;
  /** How the producer rests between batches; a no-op measures the work alone (bench/). */
  rest?: (ms: number) => Promise<void>;
}) {
  /** The organisations working today at `now`, each with its local date. */
  async function workingDays(now: Date): Promise<OrgDay[]> {
    const orgs = await db
      .select({ id: organisations.id, timeZone: organisations.timeZone })
      .from(organisations);
    const calendars = await calendarsFor(
      db,
      orgs.map((o) => o.id),
    );
    return orgs.flatMap((o) => {
      const date = localDate(now, o.timeZone);
      const calendar = calendars.get(o.id);
      return calendar && isWorkingDay(calendar, date) ? [{ orgId: o.id, date }] : [];
    });
  }

  return {
    /** Queues every reminder due at the clock's now (or `at`); a second run queues none again. */
    async run(at?: Date): Promise<ReminderRun> {
      const now = at ?? clock.now();
      const days = await workingDays(now);
      const out: ReminderRun = {
        workingOrgs: days.length,
        batches: 0,
        reminded: 0,
        mails: 0,
        inApp: 0,
        pushes: 0,
      };
      if (days.length === 0) return out;
      let after: Cursor | null = null;
      for (;;) {
        const started = performance.now();
        const batch = await db.transaction(async (tx) => {
          const result = await remindBatch(tx, { days, now, after, limit: batchSize });
          // The link signs the learner in: made per message, stored only as its hash.
          for (const m of result.signInMails) {
            const url = await createTodaySignInLink(tx, { ...m, now, appUrl });
            if (!url) continue;
            await tx
              .update(outboxMessages)
              .set({
                params: sql`${outboxMessages.params} || ${JSON.stringify({ signInUrl: url })}::jsonb`,
              })
              .where(eq(outboxMessages.id, m.messageId));
          }
          return result;
        });
        out.batches++;
        out.reminded += batch.reminded;
        out.mails += batch.mails;
        out.inApp += batch.inApp;
        out.pushes += batch.pushes;
        if (batch.scanned < batchSize || !batch.last) return out;
        after = batch.last;
        await rest((performance.now() - started) * REMINDER_REST_FACTOR);
      }
    },
  };
}
