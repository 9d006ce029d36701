/**
 * "New work": a learner is told when modules are assigned to them, at most once a day, the
 * assignments of a day grouped in one message. Assigning enqueues (or extends) the learner's
 * `new-work` job of the day, keyed `new-work:<orgId>:<userId>:<date>`, run a little later so
 * that the assignments made together (a module published to a team, a few by hand) arrive as
 * one. Assignments made after the day's message went wait for the next day's.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Database, Executor } from '../db/client';
import type { JobHandler } from '../jobs/types';
import type { Notifier } from '../notify/types';
import { rowsOf } from '../db/rows';

export const NEW_WORK_JOB = 'new-work';
/** How long a message waits for more assignments of the same moment. */
export const NEW_WORK_DELAY_MS = 10 * 60_000;

/**
 * Enqueues the `new-work` jobs of the assignments of `orgId` made at `now` (every module and
 * learner, or those of the scope), inside the assigning transaction. A learner's job of the day
 * still queued takes the new ones too (its window starts at the earliest); one already sent
 * leaves them to the next day's, at the learner's reminder time. Assignments that open later
 * count from their opening.
 */
export async function queueNewWork(
  db: Executor,
  orgId: string,
  scope: { now: Date; moduleId?: string; userId?: string },
): Promise<void> {
  const now = sql`${scope.now.toISOString()}::timestamptz`;
  const filters: SQL[] = [];
  if (scope.moduleId) filters.push(sql`and a.module_id = ${scope.moduleId}::uuid`);
  if (scope.userId) filters.push(sql`and a.user_id = ${scope.userId}::uuid`);
  const delay = sql`${NEW_WORK_DELAY_MS / 1000} * interval '1 second'`;
  await db.execute(sql`
    with made as (
      select a.user_id, o.time_zone as tz, min(greatest(a.opens_at, ${now})) as at
      from assignments a join organisations o on o.id = a.org_id
      where a.org_id = ${orgId}::uuid and a.created_at = ${now} ${sql.join(filters, sql` `)}
      group by a.user_id, o.time_zone
    ),
    dated as (
      select m.*, (m.at at time zone m.tz)::date as day from made m
    ),
    today as (
      insert into jobs as j (name, key, org_id, payload, run_at)
      select ${NEW_WORK_JOB}::text, 'new-work:' || ${orgId}::text || ':' || d.user_id || ':' || to_char(d.day, 'YYYY-MM-DD'),
        ${orgId}::uuid, jsonb_build_object('userId', d.user_id, 'since', d.at), d.at + ${delay}
      from dated d
      on conflict (key) do update set
        payload = jsonb_set(j.payload, '{since}', to_jsonb(least((j.payload ->> 'since')::timestamptz,
          (excluded.payload ->> 'since')::timestamptz))),
        run_at = least(j.run_at, excluded.run_at)
      where j.status = 'queued'
      returning (j.payload ->> 'userId')::uuid as user_id
    )
    insert into jobs as j (name, key, org_id, payload, run_at)
    select ${NEW_WORK_JOB}::text, 'new-work:' || ${orgId}::text || ':' || d.user_id || ':' || to_char(d.day + 1, 'YYYY-MM-DD'),
      ${orgId}::uuid, jsonb_build_object('userId', d.user_id, 'since', d.at),
      ((d.day + 1) + make_interval(mins => coalesce(ns.reminder_minute, 540)::int))::timestamp
        at time zone d.tz
    from dated d
    left join notification_settings ns on ns.user_id = d.user_id
    where d.user_id not in (select user_id from today)
    on conflict (key) do update set
      payload = jsonb_set(j.payload, '{since}', to_jsonb(least((j.payload ->> 'since')::timestamptz,
        (excluded.payload ->> 'since')::timestamptz)))
    where j.status = 'queued'
  `);
}

/** Module assignments told by one message: opened, published, made since the window began. */
async function newAssignments(db: Database, orgId: string, userId: string, since: Date, now: Date) {
  const result = await db.execute(sql`
    select m.id as "moduleId", coalesce(mv.content -> 'module' ->> 'title', m.title) as title,
      to_char(a.due_on, 'YYYY-MM-DD') as "dueOn"
    from assignments a
    join modules m on m.id = a.module_id and m.org_id = a.org_id and m.status = 'published'
    left join module_versions mv on mv.module_id = m.id and mv.version = m.version
    where a.org_id = ${orgId}::uuid and a.user_id = ${userId}::uuid
      and a.opens_at <= ${now.toISOString()}::timestamptz
      and greatest(a.created_at, a.opens_at) >= ${since.toISOString()}::timestamptz
    order by greatest(a.created_at, a.opens_at), title`);
  return rowsOf<{ moduleId: string; title: string; dueOn: string | null }>(result);
}

/** The `new-work` job: one notification listing the modules assigned in its window. */
export function createNewWorkJob({
  db,
  notifier,
}: {
  db: Database;
  notifier: Notifier;
}): JobHandler {
  return async (job, now) => {
    const userId = String(job.payload.userId);
    const since = new Date(String(job.payload.since));
    if (!job.orgId || Number.isNaN(since.getTime()))
      throw new Error('A new-work job needs its org, learner and window');
    const modules = await newAssignments(db, job.orgId, userId, since, now);
    if (modules.length === 0) return;
    await notifier.notify({
      orgId: job.orgId,
      userId,
      kind: 'new-work',
      key: job.key,
      params: { moduleTitles: modules.map((m) => m.title), modules },
      link: `/o/${job.orgId}`,
    });
  };
}
