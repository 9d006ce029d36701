/**
 * Automatic refresher reminders for many learners in one statement per batch: who is due a
 * reminder now (rules.ts `decideReminder`, in SQL), what it says (Today's refreshers within the
 * budget, as server/learner/today.ts serves them), and the rows that deliver it on each chosen
 * channel (an outbox mail, an in-app notification, a `push` job), and one job that sends the
 * batch's mails (reminder-mails.ts). Mail is rendered when sent, from the row's params.
 */
import { type SQL, sql } from 'drizzle-orm';
import { DEFAULT_REMINDER_MINUTE, defaultChannels } from '../../shared/notify';
import type { Executor } from '../db/client';
import { pausedDueSql as sharedPausedDueSql } from '../srs/paused-due-sql';
import { rowsOf } from '../db/rows';

/** An organisation whose today is a working day, with that date in its zone. */
export interface OrgDay {
  orgId: string;
  /** `YYYY-MM-DD` in the organisation's time zone. */
  date: string;
}

/** Where a batch starts: after this membership, in (organisation, learner) order. */
export interface Cursor {
  orgId: string;
  userId: string;
}

export interface BatchResult {
  /** Memberships looked at; fewer than the batch size: the last batch. */
  scanned: number;
  last: Cursor | null;
  reminded: number;
  mails: number;
  inApp: number;
  pushes: number;
  /** Mails of organisations whose reminders carry a sign-in link, still without it. */
  signInMails: { messageId: string; orgId: string; userId: string }[];
}

/** `pausedDue` (shared/pauses.ts) of card state `cs` for its learner `pp` (`pp.tz`; `pp.has_pauses`
 * false skips the lookup). */
export const pausedDueSql = sharedPausedDueSql({
  orgId: sql`cs.org_id`,
  timeZone: sql`pp.tz`,
  guard: sql`pp.has_pauses`,
});

/**
 * The channels a person chose for reminders: shared/notify.ts `resolveChannels` in SQL (a stored
 * list when there is one, else the defaults, given as a parameter from that file).
 */
export const reminderChannelsSql = sql`(case
    when jsonb_typeof(ns.channels -> 'reminders') = 'array' then ns.channels -> 'reminders'
    else ${JSON.stringify(defaultChannels.reminders)}::jsonb end)`;

/** The key of a learner's reminder of a day, on each of its rows: one reminder a day. */
const reminderKey = (orgId: SQL, userId: SQL, localDate: SQL) =>
  sql`('reminder:' || ${orgId} || ':' || ${userId} || ':' || to_char(${localDate}, 'YYYY-MM-DD'))`;

/** The job that sends the mails of one batch (reminder-mails.ts). */
export const REMINDER_MAILS_JOB = 'reminder-mails';

/**
 * One batch: the next `limit` active memberships of `days`' organisations after `after`, and
 * for each learner whose reminder is due at `now` (rules.ts), the reminder on their channels.
 * Rows stay narrow until the reminders are chosen: the wide ones (keys, params) are built for
 * the chosen learners only, and the due cards are sorted once (the budget's order, today.ts
 * `orderRefreshers`), which also groups them by learner.
 */
export async function remindBatch(
  db: Executor,
  p: { days: OrgDay[]; now: Date; after: Cursor | null; limit: number },
): Promise<BatchResult> {
  const now = sql`${p.now.toISOString()}::timestamptz`;
  const days = JSON.stringify(p.days.map((d) => ({ o: d.orgId, d: d.date })));
  const channels = sql`${reminderChannelsSql}`;
  const afterOrg = p.after?.orgId ?? null;
  const afterUser = p.after?.userId ?? null;
  const result = await db.execute(sql`
    with days as (
      select o.id as org_id, d.d as local_date, o.time_zone as tz, o.daily_budget_minutes,
        o.reminder_sign_in_links as sign_in, extract(isodow from d.d)::int as weekday,
        (d.d::timestamp at time zone o.time_zone) as day_start,
        ((d.d + 1)::timestamp at time zone o.time_zone) as day_end
      from jsonb_to_recordset(${days}::jsonb) as d(o uuid, d date)
      join organisations o on o.id = d.o
    ),
    slice as (
      select ms.org_id, ms.user_id, ms.persona_id from memberships ms
      where ms.org_id in (select org_id from days) and ms.deactivated_at is null
        and (${afterOrg}::uuid is null or (ms.org_id, ms.user_id) > (${afterOrg}::uuid, ${afterUser}::uuid))
      order by ms.org_id, ms.user_id
      limit ${p.limit}
    ),
    fresh as materialized (
      select f.* from (
        select s.org_id, s.user_id, dy.local_date, dy.tz, dy.day_start, dy.day_end,
          least(dy.daily_budget_minutes, coalesce(pe.minutes_per_day, dy.daily_budget_minutes)) * 60
            as budget,
          ${channels} @> '["mail"]' as mail, ${channels} @> '["in-app"]' as in_app,
          ${channels} @> '["push"]' as push,
          exists (select 1 from refresher_pauses p where p.org_id = s.org_id
            and p.user_id = s.user_id) as has_pauses,
          ${reminderKey(sql`s.org_id`, sql`s.user_id`, sql`dy.local_date`)} as key
        from slice s
        join days dy on dy.org_id = s.org_id
        left join personas pe on pe.id = s.persona_id and pe.org_id = s.org_id
        left join notification_settings ns on ns.user_id = s.user_id
        where coalesce(ns.reminder_frequency, 'daily') <> 'never'
          and (coalesce(ns.reminder_frequency, 'daily') = 'daily' or ns.reminder_weekday = dy.weekday)
          and ((dy.local_date + make_interval(mins => coalesce(ns.reminder_minute,
            ${DEFAULT_REMINDER_MINUTE}::int)::int))::timestamp at time zone dy.tz) <= ${now}
        -- A fence: each learner's key and has_pauses are computed once, here, rather than
        -- again in every test below that uses them.
        offset 0
      ) f
      where (f.mail or f.in_app or f.push)
        -- Today's pause is looked for only in the pauses of those who have any.
        and not (f.has_pauses and exists (select 1 from refresher_pauses p
          where p.org_id = f.org_id and p.user_id = f.user_id
            and p.starts_on <= f.local_date and f.local_date <= p.ends_on))
        and not exists (select 1 from outbox_messages m where m.key = f.key)
        and not exists (select 1 from notifications n where n.key = f.key)
        and not exists (select 1 from jobs j where j.key = 'push:' || f.key)
    ),
    mods as materialized (
      select m.id as module_id, (mv.content -> 'module' ->> 'criticality') = 'critical' as critical
      from modules m
      join module_versions mv on mv.module_id = m.id and mv.version = m.version
      where m.org_id in (select org_id from days) and m.status = 'published'
    ),
    due as (
      select * from (
        select pp.org_id, pp.user_id, pp.local_date, pp.day_start, pp.budget, pp.mail, pp.in_app,
          pp.push, cs.card_id, md.critical, pc.effective_expected_seconds as secs,
          ${pausedDueSql} as due_at, pp.day_end,
          -- today.ts elapsedOverStability (lowest predicted recall first); null (never
          -- reviewed, no stability) sorts first, as its Infinity does.
          extract(epoch from (${now} - cs.last_review)) / nullif(cs.stability, 0) as elapsed_ratio
        from fresh pp
        join card_states cs on cs.org_id = pp.org_id and cs.user_id = pp.user_id
          and cs.due < pp.day_end
        join mods md on md.module_id = cs.module_id
        join assignments a on a.org_id = cs.org_id and a.user_id = cs.user_id
          and a.module_id = cs.module_id and a.opens_at <= ${now}
        join published_cards pc on pc.module_id = cs.module_id and pc.card_id = cs.card_id
        offset 0
      ) c where c.due_at < c.day_end
    ),
    ranked as (
      select d.*, row_number() over w as rn, sum(d.secs) over w as spent
      from due d
      window w as (partition by d.org_id, d.user_id
        order by d.critical desc, d.elapsed_ratio desc nulls first, d.due_at, d.card_id
        rows between unbounded preceding and current row)
    ),
    summary as (
      select r.org_id, r.user_id, min(r.local_date) as local_date, min(r.day_start) as day_start,
        min(r.budget) as budget, bool_or(r.mail) as mail, bool_or(r.in_app) as in_app,
        bool_or(r.push) as push, count(*) as total,
        count(*) filter (where r.rn = 1 or r.spent <= r.budget) as served,
        ceil(coalesce(sum(r.secs) filter (where r.rn = 1 or r.spent <= r.budget), 0) / 60.0)::int
          as minutes
      from ranked r
      group by r.org_id, r.user_id
    ),
    chosen as materialized (
      select f.org_id, f.user_id, f.mail, f.in_app, f.push,
        ${reminderKey(sql`f.org_id`, sql`f.user_id`, sql`f.local_date`)} as key,
        '/o/' || f.org_id as link,
        jsonb_build_object('dueCount', f.served, 'minutes', f.minutes, 'totalDue', f.total,
          'date', to_char(f.local_date, 'YYYY-MM-DD')) as params
      from summary f
      -- Today's refreshers are done once a day's budget of them was answered: cards learnt
      -- before today and answered again since it began.
      where (select coalesce(sum(pc.effective_expected_seconds), 0)
          from card_states cs join published_cards pc on pc.card_id = cs.card_id
          where cs.org_id = f.org_id and cs.user_id = f.user_id
            and cs.last_review >= f.day_start and cs.first_review < f.day_start) < f.budget
    ),
    mail as (
      insert into outbox_messages (org_id, user_id, to_address, locale, kind, key, params, created_at)
      select c.org_id, c.user_id, u.email, u.locale, 'reminder', c.key,
        c.params || jsonb_build_object('link', c.link), ${now}
      from chosen c join users u on u.id = c.user_id
      where c.mail
      on conflict (key) do nothing
      returning id, org_id, user_id
    ),
    mail_job as (
      insert into jobs (name, key, payload, run_at)
      select ${REMINDER_MAILS_JOB}::text, ${REMINDER_MAILS_JOB}::text || ':' || gen_random_uuid(),
        jsonb_build_object('messageIds', jsonb_agg(m.id)), ${now}
      from mail m
      having count(*) > 0
      returning id
    ),
    in_app as (
      insert into notifications (org_id, user_id, kind, key, params, link, created_at)
      select c.org_id, c.user_id, 'reminder', c.key, c.params, c.link, ${now}
      from chosen c where c.in_app
      on conflict (key) do nothing
      returning id
    ),
    pushes as (
      insert into jobs (name, key, org_id, payload, run_at)
      select 'push', 'push:' || c.key, c.org_id,
        jsonb_build_object('userId', c.user_id, 'orgId', c.org_id, 'kind', 'reminder',
          'params', c.params, 'link', c.link), ${now}
      from chosen c
      where c.push and exists (select 1 from push_subscriptions ps where ps.user_id = c.user_id)
      on conflict (key) do nothing
      returning id
    )
    select (select count(*) from slice)::int as scanned,
      (select org_id from slice order by org_id desc, user_id desc limit 1) as last_org,
      (select user_id from slice order by org_id desc, user_id desc limit 1) as last_user,
      (select count(*) from chosen)::int as reminded,
      (select count(*) from mail)::int as mails,
      (select count(*) from mail_job)::int as mail_jobs,
      (select count(*) from in_app)::int as in_app,
      (select count(*) from pushes)::int as pushes,
      (select coalesce(jsonb_agg(jsonb_build_object('messageId', m.id, 'orgId', m.org_id,
          'userId', m.user_id)), '[]'::jsonb)
        from mail m join days dy on dy.org_id = m.org_id where dy.sign_in) as sign_in_mails
  `);
  const [row] = rowsOf<{
    scanned: number;
    last_org: string | null;
    last_user: string | null;
    reminded: number;
    mails: number;
    in_app: number;
    pushes: number;
    sign_in_mails: BatchResult['signInMails'] | string;
  }>(result);
  const signIn = row!.sign_in_mails;
  return {
    scanned: Number(row!.scanned),
    last: row!.last_org ? { orgId: row!.last_org, userId: row!.last_user! } : null,
    reminded: Number(row!.reminded),
    mails: Number(row!.mails),
    inApp: Number(row!.in_app),
    pushes: Number(row!.pushes),
    signInMails: typeof signIn === 'string' ? JSON.parse(signIn) : signIn,
  };
}
