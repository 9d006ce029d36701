/**
 * The reminders bench's data, made with SQL: `orgs` organisations of `learners` learners each,
 * every organisation with one published module of 10 cards assigned to all its learners, every
 * card learnt and due since yesterday; reminders at 00:00 every day of the week, so that a run
 * at any hour of any day has every learner to remind. Only France's public holidays are days
 * off (`workingToday` tells).
 */
import { sql } from 'drizzle-orm';
import { isWorkingDay } from '../../shared/calendar';
import { calendarsFor } from '../../server/calendar/service';
import type { Database } from '../../server/db/client';
import { localDate } from '../../server/lib/zoned-day';

export const CARDS_PER_MODULE = 10;

export async function generateReminderData(
  db: Database,
  { orgs, learners, now }: { orgs: number; learners: number; now: Date },
) {
  const at = sql`${now.toISOString()}::timestamptz`;
  await db.transaction(async (tx) => {
    const run = (q: ReturnType<typeof sql>) => tx.execute(q);
    await run(sql`insert into organisations (name, working_weekdays)
      select 'Reminders ' || lpad(g::text, 3, '0'), '{1,2,3,4,5,6,7}'::smallint[]
      from generate_series(1, ${orgs}::int) g`);
    await run(sql`insert into tools (org_id, name)
      select id, 'Tool' from organisations where name like 'Reminders %'`);
    await run(sql`insert into modules (org_id, tool_id, title, estimated_minutes, status, version,
        published_at, has_unpublished_changes)
      select t.org_id, t.id, 'Module', 5, 'published', 1, ${at} - interval '60 days', false
      from tools t join organisations o on o.id = t.org_id where o.name like 'Reminders %'`);
    await run(sql`insert into module_versions (org_id, module_id, version, content, published_at)
      select m.org_id, m.id, 1,
        '{"module": {"title": "Module", "criticality": "normal"}, "lessons": []}'::jsonb,
        ${at} - interval '60 days'
      from modules m join organisations o on o.id = m.org_id where o.name like 'Reminders %'`);
    await run(sql`insert into published_cards (module_id, card_id, org_id, lesson_id, version,
        position, kind, content, effective_expected_seconds)
      select m.id, gen_random_uuid(), m.org_id, m.id, 1, c, 'truefalse',
        '{"kind": "truefalse", "statement": "Bench", "answer": true}'::jsonb, 20
      from modules m join organisations o on o.id = m.org_id,
        generate_series(1, ${CARDS_PER_MODULE}::int) c
      where o.name like 'Reminders %'`);
    await run(sql`insert into users (email, name, password_hash)
      select 'r' || o.n || '.' || u || '@reminders.test', 'Learner ' || u, 'not a hash'
      from (select id, substr(name, 11)::int as n from organisations
        where name like 'Reminders %') o, generate_series(1, ${learners}::int) u`);
    await run(sql`insert into memberships (org_id, user_id, roles)
      select o.id, u.id, '{learner}'
      from users u
      join organisations o
        on o.name = 'Reminders ' || lpad(substr(split_part(u.email, '.', 1), 2), 3, '0')
      where u.email like 'r%@reminders.test'`);
    await run(sql`insert into notification_settings (user_id, channels, reminder_minute)
      select ms.user_id, '{"reminders": ["mail", "push", "in-app"]}'::jsonb, 0
      from memberships ms join organisations o on o.id = ms.org_id
      where o.name like 'Reminders %'`);
    await run(sql`insert into assignments (org_id, module_id, user_id, reason, opens_at)
      select ms.org_id, m.id, ms.user_id, 'target', ${at} - interval '60 days'
      from memberships ms join modules m on m.org_id = ms.org_id
      join organisations o on o.id = ms.org_id where o.name like 'Reminders %'`);
    await run(sql`insert into card_states (org_id, user_id, card_id, module_id, due, stability,
        difficulty, elapsed_days, scheduled_days, learning_steps, reps, lapses, state,
        last_review, first_review)
      select ms.org_id, ms.user_id, pc.card_id, pc.module_id, ${at} - interval '1 day', 20, 5, 0,
        20, 0, 1, 0, 2, ${at} - interval '21 days', ${at} - interval '21 days'
      from memberships ms join published_cards pc on pc.org_id = ms.org_id
      join organisations o on o.id = ms.org_id where o.name like 'Reminders %'`);
  });
  await db.execute(sql`vacuum analyze`);
}

/** Whether `now` is a working day in every bench organisation (not a French public holiday). */
export async function workingToday(db: Database, now: Date): Promise<boolean> {
  const rows = (await db.execute(
    sql`select id, time_zone from organisations where name like 'Reminders %'`,
  )) as unknown;
  const list = (Array.isArray(rows) ? rows : (rows as { rows: unknown[] }).rows) as {
    id: string;
    time_zone: string;
  }[];
  const calendars = await calendarsFor(
    db,
    list.map((o) => o.id),
  );
  return list.every((o) => isWorkingDay(calendars.get(o.id)!, localDate(now, o.time_zone)));
}
