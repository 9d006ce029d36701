/**
 * The reminder rules (server/outreach/rules.ts) with fixed dates, and the SQL fragments of the
 * producer held against the TypeScript rules they repeat (channels, pauses).
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveChannels } from '../../shared/notify';
import { pausedDue } from '../../shared/pauses';
import type { DbHandle } from '../../server/db/client';
import { startOfDay, nextDate } from '../../server/lib/zoned-day';
import {
  decideReminder,
  DEFAULT_REMINDER_PREFS,
  type ReminderFacts,
  reminderInstant,
  summarise,
} from '../../server/outreach/rules';
import { pausedDueSql, reminderChannelsSql } from '../../server/outreach/reminders-sql';
import { rowsOf } from '../../server/db/rows';
import { createTestDb } from '../helpers/db';

const TZ = 'Europe/Paris';
const card = (id: string, due: string, expectedSeconds = 20, critical = false) => ({
  cardId: id,
  due: new Date(due),
  stability: 10,
  lastReview: new Date('2026-01-01T00:00:00Z'),
  expectedSeconds,
  critical,
});

describe('reminderInstant', () => {
  it.each([
    ['2026-05-04', 540, '2026-05-04T07:00:00Z'],
    // The clocks go forward at 02:00 on 29 March and back at 03:00 on 25 October.
    ['2026-03-29', 540, '2026-03-29T07:00:00Z'],
    ['2026-03-28', 540, '2026-03-28T08:00:00Z'],
    ['2026-10-25', 480, '2026-10-25T07:00:00Z'],
    ['2026-03-29', 0, '2026-03-28T23:00:00Z'],
  ])('%s at minute %i is %s', (date, minute, instant) => {
    const at = reminderInstant({ ...DEFAULT_REMINDER_PREFS, minute }, date, TZ);
    expect(at?.toISOString()).toBe(new Date(instant).toISOString());
  });

  it('is none on the days the preferences leave out', () => {
    const weekly = { frequency: 'weekly' as const, minute: 540, weekday: 3 };
    expect(reminderInstant(weekly, '2026-05-05', TZ)).toBeNull();
    expect(reminderInstant(weekly, '2026-05-06', TZ)).not.toBeNull();
    expect(reminderInstant({ ...weekly, frequency: 'never' }, '2026-05-06', TZ)).toBeNull();
  });
});

describe('decideReminder', () => {
  const base: ReminderFacts = {
    now: new Date('2026-05-05T07:30:00Z'),
    timeZone: TZ,
    workingDay: true,
    paused: false,
    prefs: DEFAULT_REMINDER_PREFS,
    due: [card('a', '2026-05-01T00:00:00Z')],
    budgetSeconds: 300,
    answeredSecondsToday: 0,
    alreadyReminded: false,
  };

  it.each([
    [{ workingDay: false }, 'day-off'],
    [{ paused: true }, 'paused'],
    [{ prefs: { ...DEFAULT_REMINDER_PREFS, frequency: 'never' as const } }, 'not-today'],
    [{ now: new Date('2026-05-05T06:59:00Z') }, 'not-yet'],
    [{ alreadyReminded: true }, 'sent'],
    [{ due: [] }, 'nothing-due'],
    [{ answeredSecondsToday: 300 }, 'done'],
  ])('%j: %s', (change, reason) => {
    expect(decideReminder({ ...base, ...change })).toEqual({ send: false, reason });
  });

  it('tells the refreshers Today serves within the budget, critical ones first', () => {
    const due = [
      card('a', '2026-05-01T00:00:00Z', 100),
      card('b', '2026-05-02T00:00:00Z', 100, true),
      card('c', '2026-04-20T00:00:00Z', 150),
    ];
    // b (critical), then c (earliest), then a does not fit in 300 s.
    expect(decideReminder({ ...base, due, answeredSecondsToday: 299 })).toEqual({
      send: true,
      summary: { count: 2, dueCount: 3, minutes: 5 },
    });
    // A single long card still makes a day.
    expect(summarise([card('x', '2026-05-01T00:00:00Z', 900)], 300, base.now)).toEqual({
      count: 1,
      dueCount: 1,
      minutes: 15,
    });
  });
});

describe('the producer’s SQL agrees with the TypeScript rules', () => {
  let handle: DbHandle;
  beforeAll(async () => {
    handle = await createTestDb();
  }, 60_000);
  afterAll(() => handle.close());

  it('resolves channels as shared/notify.ts does', async () => {
    const stored = [
      null,
      {},
      { reminders: [] },
      { reminders: ['push'] },
      { reminders: ['mail', 'in-app'] },
      { reminders: 'mail' },
      { digest: ['mail'] },
    ];
    for (const value of stored) {
      const [row] = rowsOf<{ channels: string[] | string }>(
        await handle.db.execute(
          sql`select ${reminderChannelsSql} as channels
            from (select ${JSON.stringify(value)}::jsonb as channels) ns`,
        ),
      );
      const got = typeof row!.channels === 'string' ? JSON.parse(row!.channels) : row!.channels;
      expect([...got].sort(), JSON.stringify(value)).toEqual(
        [...resolveChannels(value).reminders].sort(),
      );
    }
  });

  it('pushes due dates back through pauses as pausedDue does, across a clock change', async () => {
    const { db } = handle;
    const [org] = rowsOf<{ id: string }>(
      await db.execute(sql`insert into organisations (name) values ('Pauses') returning id`),
    );
    const [user] = rowsOf<{ id: string }>(
      await db.execute(sql`insert into users (email, name, password_hash)
        values ('p@example.test', 'P', 'x') returning id`),
    );
    const pauses = [
      ['2026-03-23', '2026-03-31'],
      ['2026-04-01', '2026-04-03'],
      ['2026-04-20', '2026-04-24'],
    ] as const;
    for (const [startsOn, endsOn] of pauses) {
      await db.execute(sql`insert into refresher_pauses (org_id, user_id, starts_on, ends_on)
        values (${org!.id}, ${user!.id}, ${startsOn}, ${endsOn})`);
    }
    const spans = pauses.map(([s, e]) => ({
      start: startOfDay(s, TZ),
      end: startOfDay(nextDate(e), TZ),
    }));
    const cases: [string, string | null][] = [
      ['2026-03-25T08:00:00Z', '2026-03-01T08:00:00Z'],
      ['2026-03-22T08:00:00Z', '2026-03-01T08:00:00Z'],
      ['2026-04-19T12:00:00Z', '2026-03-26T08:00:00Z'],
      ['2026-04-21T12:00:00Z', '2026-04-10T08:00:00Z'],
      ['2026-05-30T12:00:00Z', '2026-05-01T08:00:00Z'],
      ['2026-03-30T00:00:00Z', null],
    ];
    for (const [due, lastReview] of cases) {
      const [row] = rowsOf<{ due: string | Date }>(
        await db.execute(sql`select ${pausedDueSql} as due
          from (select ${org!.id}::uuid as org_id, ${user!.id}::uuid as user_id,
              ${due}::timestamptz as due, ${lastReview}::timestamptz as last_review) cs,
            (select ${TZ}::text as tz, true as has_pauses) pp`),
      );
      const expected = pausedDue(new Date(due), lastReview ? new Date(lastReview) : null, spans);
      expect(new Date(row!.due).toISOString(), `${due} ${lastReview}`).toBe(expected.toISOString());
    }
  });
});
