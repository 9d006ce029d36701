/**
 * The statement of the people list (service.ts `people`): every person of the scope and the
 * view, with what the at-risk list computes of them (repository.ts `riskCtesSql`) and what the
 * learner page sums up (its opened modules' lessons, `openedModulesSql`), in one statement.
 */
import { type SQL, sql } from 'drizzle-orm';
import { instantSql } from '../sql/rows';
import { type AtRiskParams, openedModulesSql, riskCtesSql, riskScoreSql } from './repository';

/**
 * The last moment `userId` (a column) answered a card or finished a lesson (read or known) in
 * the organisation, any module. Both are read from learner-first indexes (the review log's
 * refresher index, lesson_progress_org_user_module_idx), one learner's range each.
 */
function lastActiveSql(orgId: string, userId: SQL, now: Date): SQL {
  return sql`greatest(
    (select max(rl.reviewed_at) from review_logs rl
      where rl.org_id = ${orgId}::uuid and rl.user_id = ${userId}
        and rl.reviewed_at <= ${instantSql(now)}),
    (select max(greatest(lp.completed_at, lp.known_at)) from lesson_progress lp
      where lp.org_id = ${orgId}::uuid and lp.user_id = ${userId}))`;
}

/**
 * One row per person of the scope and the view, at risk or not. On a module, only the people
 * it concerns: opened for them, or some of its cards learnt (a heatmap cell's people, with those
 * who have not learnt any yet).
 */
export function peopleListSql(orgId: string, p: AtRiskParams): SQL {
  const opened = openedModulesSql(orgId, { now: p.now, moduleId: p.query.moduleId }, sql`people`);
  const concerned = p.query.moduleId
    ? sql`where r.recall is not null
        or exists (select 1 from mods mo where mo.user_id = pe.user_id)`
    : sql``;
  return sql`
    with ${riskCtesSql(orgId, p)}, ${opened},
    progress as (
      select user_id, sum(done) as done, sum(total) as total
      from lesson_counts group by user_id)
    select pe.user_id, u.name, pe.team_id, t.name as team_name, jr.name as job_role_name,
      pe.paused_until, r.recall, coalesce(pg.done, 0) as lessons_done,
      coalesce(pg.total, 0) as lessons_total, coalesce(o.n, 0) as overdue_cards,
      (o.n > 0 or c.user_id is not null) as at_risk, ${riskScoreSql} as risk,
      date_part('epoch', ${lastActiveSql(orgId, sql`pe.user_id`, p.now)}) * 1000 as last_active
    from people pe
    join users u on u.id = pe.user_id
    left join teams t on t.id = pe.team_id
    left join job_roles jr on jr.id = pe.job_role_id
    left join overdue o on o.user_id = pe.user_id
    left join critical c on c.user_id = pe.user_id
    left join recall r on r.user_id = pe.user_id
    left join progress pg on pg.user_id = pe.user_id
    ${concerned}`;
}
