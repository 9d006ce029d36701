import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { rowsOf } from '../db/rows';
import { queueNewWork } from '../outreach/new-work';

export interface SyncScope {
  /** Only this module (after it is published or its targets change). */
  moduleId?: string;
  /** Only this learner (after they join or their job role or team changes). */
  userId?: string;
}

/**
 * Gives every active learner the published modules whose targets they match, as `target`
 * assignments opening (and made) `now`; never removes one (a learner who changes job role keeps what they
 * learnt). A learner matches a module when the module targets at least one job role or team,
 * and the learner's job role is among the targeted ones (or none are targeted) and their team is
 * among the targeted teams (or none are targeted). One INSERT … SELECT: safe to run concurrently
 * (the unique key on module × learner absorbs the race). Returns how many were created.
 */
export async function syncTargetAssignments(
  db: Executor,
  orgId: string,
  scope: SyncScope,
  now: Date,
): Promise<number> {
  const moduleFilter = scope.moduleId ? sql`and m.id = ${scope.moduleId}` : sql``;
  const userFilter = scope.userId ? sql`and ms.user_id = ${scope.userId}` : sql``;
  const result: unknown = await db.execute(sql`
    insert into assignments (org_id, module_id, user_id, reason, opens_at, created_at)
    select m.org_id, m.id, ms.user_id, 'target', ${now.toISOString()}::timestamptz,
           ${now.toISOString()}::timestamptz
    from modules m
    join memberships ms on ms.org_id = m.org_id
    where m.org_id = ${orgId}
      and m.status = 'published'
      and ms.deactivated_at is null
      and 'learner' = any(ms.roles)
      ${moduleFilter}
      ${userFilter}
      and (exists (select 1 from module_job_roles r where r.module_id = m.id)
           or exists (select 1 from module_teams t where t.module_id = m.id))
      and (not exists (select 1 from module_job_roles r where r.module_id = m.id)
           or exists (select 1 from module_job_roles r
                      where r.module_id = m.id and r.job_role_id = ms.job_role_id))
      and (not exists (select 1 from module_teams t where t.module_id = m.id)
           or exists (select 1 from module_teams t
                      where t.module_id = m.id and t.team_id = ms.team_id))
    on conflict (module_id, user_id) do nothing
    returning id
  `);
  const created = rowsOf<{ id: string }>(result).length;
  // The learners are told of their new modules a little later, grouped (outreach/new-work.ts).
  if (created > 0) await queueNewWork(db, orgId, { now, ...scope });
  return created;
}
