/**
 * The statements of the people side of the retention dashboards (service.ts): the at-risk list
 * and one learner's drill-down, each one statement over card states, review logs and pauses,
 * with the organisation's FSRS parameters. Only per-person, per-module or per-day rows come
 * back.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { DashboardQuery } from '../../../shared/dashboards';
import type { Executor } from '../../db/client';
import type { PeopleScope } from '../../lib/scope';
import { daysBetweenSql, type FsrsParams, recallSql } from '../sql/fsrs';
import { orgPausedDueSql, pausedUntilSql } from '../sql/pauses';
import { customPlanSql, runPlanned } from '../sql/planner';
import { rowsOf } from '../../db/rows';
import { instantSql, type Raw } from '../sql/rows';
import { lessonVisibleSql, moduleFilterSql, scopedMembersWhere } from '../sql/scope';

/**
 * Risk points of one point of predicted recall (0.01) under the target on a critical module,
 * against one per overdue refresher (see `atRiskLearnerSchema`).
 */
const RISK_PER_RECALL = 100;

/** The instants a statement needs, and the organisation's zone. */
export interface Day {
  now: Date;
  /**
   * Refreshers due before this instant are overdue: the end of the last working day before
   * today (shared/calendar.ts `lastOverdueDueDay`), so days off never count.
   */
  overdueBefore: Date;
  timeZone: string;
}

/** R now of card state `cs`. */
const recallNowSql = (p: Day & FsrsParams) =>
  recallSql(daysBetweenSql(sql`cs.last_review`, instantSql(p.now)), sql`cs.stability`, p);

/**
 * One pass over the card states of `people` (user_id, has_pauses), summed per learner ×
 * module: R now over the learnt cards (as the overview), and the overdue refreshers (`Day`)
 * among those the learner is actually served (server/learner: an opened assignment of a
 * published module, the card still in its published version), due dates pushed back by
 * pauses. Pauses only push due dates later, so the push is worked out only for the cards of
 * people with pauses that are overdue without it; and once per card: the inner query
 * is fenced (`offset 0`), or each aggregate reading `due_at` would work it out again.
 */
function pairsSql(orgId: string, p: AtRiskParams): SQL {
  const recall = recallNowSql(p);
  const served = sql`(op.user_id is not null and pc.card_id is not null)`;
  const before = instantSql(p.overdueBefore);
  const guard = sql`pe.has_pauses and cs.due < ${before} and ${served}`;
  const overdue = sql`served and due_at < ${before}`;
  return sql`select user_id, module_id,
      sum(recall) filter (where learnt) as recall_sum,
      count(*) filter (where learnt) as cards,
      count(*) filter (where ${overdue}) as overdue,
      min(due_at) filter (where ${overdue}) as overdue_since
    from (
      select cs.user_id, cs.module_id, cs.last_review is not null as learnt, ${recall} as recall,
        ${served} as served, ${orgPausedDueSql(orgId, p.timeZone, guard)} as due_at
      from card_states cs
      join people pe on pe.user_id = cs.user_id
      left join open_pairs op on op.user_id = cs.user_id and op.module_id = cs.module_id
      left join published_cards pc on pc.org_id = ${orgId}::uuid
        and pc.module_id = cs.module_id and pc.card_id = cs.card_id
      where cs.org_id = ${orgId}::uuid ${moduleFilterSql(sql`cs.module_id`, p.query.moduleId)}
      offset 0
    ) c
    group by user_id, module_id`;
}

/** Assignments opened by `now` of published modules: whose refreshers are served. */
function openPairsSql(orgId: string, now: Date): SQL {
  return sql`select a.user_id, a.module_id
    from assignments a
    join modules m on m.id = a.module_id and m.org_id = ${orgId}::uuid and m.status = 'published'
    where a.org_id = ${orgId}::uuid and a.opens_at <= ${instantSql(now)}`;
}

/**
 * Active members of `orgId` within the scope and the filters (sql/scope.ts), with whether they
 * ever paused and the pause they are in now.
 */
function peopleSql(orgId: string, scope: PeopleScope, q: DashboardQuery, d: Day): SQL {
  return sql`select ms.user_id, ms.team_id, ms.persona_id, ms.job_role_id,
      exists (select 1 from refresher_pauses p
        where p.org_id = ${orgId}::uuid and p.user_id = ms.user_id) as has_pauses,
      ${pausedUntilSql(orgId, sql`ms.user_id`, d)} as paused_until
    from memberships ms
    where ${scopedMembersWhere(orgId, { scope, ...q })}`;
}

/**
 * The latest reminder of `userId` (a column) in the organisation, dismissed or not: one step
 * down reminders_org_user_idx (organisation, learner, sent at) from its end.
 */
function lastReminderSql(orgId: string, userId: SQL): SQL {
  return sql`select rm.created_at from reminders rm
    where rm.org_id = ${orgId}::uuid and rm.user_id = ${userId}
    order by rm.created_at desc limit 1`;
}

export interface AtRiskParams extends Day, FsrsParams {
  scope: PeopleScope;
  query: DashboardQuery;
  target: number;
}

/**
 * The people of the scope and the view (`people`) and, per person, their overdue refreshers
 * (none while on a pause: `overdue`), their critical modules under the target (`critical`) and
 * their mean R now over their learnt cards (`recall`): what the at-risk list and the people list
 * (team-repository.ts) read, so both say the same of one person.
 */
export function riskCtesSql(orgId: string, p: AtRiskParams): SQL {
  const target = sql`${p.target}::float8`;
  return sql`people as (${peopleSql(orgId, p.scope, p.query, p)}),
    open_pairs as (${openPairsSql(orgId, p.now)}),
    pairs as (${pairsSql(orgId, p)}),
    overdue as (
      select pr.user_id, sum(pr.overdue) as n, min(pr.overdue_since) as since
      from pairs pr join people pe on pe.user_id = pr.user_id
      where pe.paused_until is null and pr.overdue > 0
      group by pr.user_id),
    critical as (
      select pr.user_id,
        jsonb_agg(jsonb_build_object('moduleId', pr.module_id, 'moduleTitle', m.title,
          'recall', pr.recall_sum / pr.cards)) as items,
        sum(${target} - pr.recall_sum / pr.cards) as gap
      from pairs pr
      join modules m on m.id = pr.module_id and m.criticality = 'critical'
      where pr.cards > 0 and pr.recall_sum / pr.cards < ${target}
      group by pr.user_id),
    recall as (
      select user_id, sum(recall_sum) / nullif(sum(cards), 0) as recall
      from pairs group by user_id)`;
}

/** The risk score of `atRiskLearnerSchema` over `riskCtesSql`'s `overdue o` and `critical c`. */
export const riskScoreSql = sql`coalesce(o.n, 0) + ${RISK_PER_RECALL}::float8 * coalesce(c.gap, 0)`;

/**
 * One row per person at risk: overdue refreshers (none while on a pause) or critical modules
 * under the target, with the risk score of `atRiskLearnerSchema`.
 */
export function atRiskSql(orgId: string, p: AtRiskParams): SQL {
  return sql`
    with ${riskCtesSql(orgId, p)}
    select pe.user_id, u.name, pe.team_id, t.name as team_name, pe.paused_until,
      coalesce(o.n, 0) as overdue_cards, date_part('epoch', o.since) * 1000 as overdue_since,
      coalesce(c.items, '[]'::jsonb) as critical, r.recall,
      ${riskScoreSql} as risk,
      date_part('epoch', rm.created_at) * 1000 as last_reminded_at
    from people pe
    join users u on u.id = pe.user_id
    left join teams t on t.id = pe.team_id
    left join overdue o on o.user_id = pe.user_id
    left join critical c on c.user_id = pe.user_id
    left join recall r on r.user_id = pe.user_id
    left join lateral (${lastReminderSql(orgId, sql`pe.user_id`)}) rm on true
    where o.n > 0 or c.user_id is not null`;
}

export interface DrillParams extends Day, FsrsParams {
  userId: string;
  personaId: string | null;
  /** The first instant of the history's first day. */
  historyStart: Date;
  /** The end of today in the organisation's zone: refreshers due before it are Today's. */
  todayEnds: Date;
}

/**
 * The opened assignments (by `now`, of the view's module) of the people of `who` (a from-item
 * with their user_id and persona_id), with lessons done / total as the overview's funnel counts
 * them: the lessons of the module's published version their persona sees, completed or known.
 */
export function openedModulesSql(
  orgId: string,
  p: { now: Date; moduleId?: string },
  who: SQL,
): SQL {
  return sql`mods as (
      select a.user_id, pe.persona_id, a.module_id, m.title,
        m.criticality = 'critical' as critical, m.version, m.status = 'published' as published
      from assignments a
      join ${who} pe on pe.user_id = a.user_id
      join modules m on m.id = a.module_id and m.org_id = ${orgId}::uuid
      where a.org_id = ${orgId}::uuid and a.opens_at <= ${instantSql(p.now)}
        ${moduleFilterSql(sql`a.module_id`, p.moduleId)}),
    lessons as (
      select mo.user_id, mo.module_id, (l ->> 'id')::uuid as lesson_id
      from mods mo
      join module_versions mv on mv.module_id = mo.module_id and mv.version = mo.version
      cross join lateral jsonb_array_elements(mv.content -> 'lessons') as l
      where ${lessonVisibleSql(sql`(l -> 'personaIds')`, sql`mo.persona_id`)}),
    lesson_counts as (
      select ls.user_id, ls.module_id, count(*) as total, count(lp.lesson_id) as done
      from lessons ls
      left join lesson_progress lp on lp.user_id = ls.user_id
        and lp.org_id = ${orgId}::uuid and lp.module_id = ls.module_id
        and lp.lesson_id = ls.lesson_id
        and (lp.completed_at is not null or lp.known_at is not null)
      group by ls.user_id, ls.module_id)`;
}

/** The learner's opened assignments with lessons done / total (`openedModulesSql`). */
const drillModulesSql = (orgId: string, p: DrillParams) =>
  openedModulesSql(
    orgId,
    p,
    sql`(select ${p.userId}::uuid as user_id, ${p.personaId}::uuid as persona_id)`,
  );

/**
 * The learner's memory per module: learnt cards, mean R now, and their refreshers as Today
 * serves them: due before today ends (overdue ones among them, none while on a pause, with the
 * oldest due date) and the first one due after today.
 */
function drillMemorySql(orgId: string, p: DrillParams): SQL {
  const recall = recallNowSql(p);
  const paused = pausedUntilSql(orgId, sql`${p.userId}::uuid`, p);
  const overdue = sql`due_at < ${instantSql(p.overdueBefore)} and ${paused} is null`;
  const todayEnds = instantSql(p.todayEnds);
  return sql`learnt as (
      select cs.module_id, count(*) as cards, avg(${recall}) as recall
      from card_states cs
      where cs.org_id = ${orgId}::uuid and cs.user_id = ${p.userId}::uuid
        and cs.last_review is not null
      group by cs.module_id),
    served as (
      select cs.module_id, ${orgPausedDueSql(orgId, p.timeZone, sql`true`)} as due_at
      from card_states cs
      join mods mo on mo.module_id = cs.module_id and mo.published
      join published_cards pc on pc.module_id = cs.module_id and pc.card_id = cs.card_id
      where cs.org_id = ${orgId}::uuid and cs.user_id = ${p.userId}::uuid),
    dues as (
      select module_id,
        min(due_at) filter (where due_at >= ${todayEnds}) as next_due,
        count(*) filter (where due_at < ${todayEnds}) as due_today,
        count(*) filter (where ${overdue}) as overdue,
        min(due_at) filter (where ${overdue}) as overdue_since
      from served group by module_id)`;
}

/**
 * Answers per day in the organisation's zone since `historyStart`; the predicted recall of an
 * answer is R at that moment from the card's previous review (its log's stability), so the lag
 * runs over the card's whole log, not only the window.
 */
function drillHistorySql(orgId: string, p: DrillParams): SQL {
  const predicted = recallSql(
    daysBetweenSql(sql`prev_at`, sql`reviewed_at`),
    sql`prev_stability`,
    p,
  );
  return sql`logs as (
      select rl.reviewed_at, rl.rating,
        lag(rl.reviewed_at) over w as prev_at, lag(rl.stability) over w as prev_stability
      from review_logs rl
      where rl.org_id = ${orgId}::uuid and rl.user_id = ${p.userId}::uuid
        and rl.reviewed_at <= ${instantSql(p.now)}
      window w as (partition by rl.card_id order by rl.reviewed_at, rl.id)),
    history as (
      select (reviewed_at at time zone ${p.timeZone}::text)::date as day, count(*) as reviews,
        count(*) filter (where rating > 1) as passed,
        avg(${predicted}) filter (where prev_at is not null) as predicted
      from logs where reviewed_at >= ${instantSql(p.historyStart)}
      group by 1)`;
}

/** The drill-down's modules and history as two JSON arrays: one statement, one row. */
export function drillDownSql(orgId: string, p: DrillParams): SQL {
  return sql`
    with ${drillModulesSql(orgId, p)}, ${drillMemorySql(orgId, p)}, ${drillHistorySql(orgId, p)}
    select
      (select coalesce(jsonb_agg(jsonb_build_object(
          'moduleId', mo.module_id, 'moduleTitle', mo.title, 'critical', mo.critical,
          'lessonsDone', coalesce(lc.done, 0), 'lessonsTotal', coalesce(lc.total, 0),
          'cardsLearnt', coalesce(l.cards, 0), 'recall', l.recall,
          'nextDue', date_part('epoch', d.next_due) * 1000, 'dueToday', coalesce(d.due_today, 0),
          'overdueCards', coalesce(d.overdue, 0),
          'overdueSince', date_part('epoch', d.overdue_since) * 1000)
        ), '[]'::jsonb)
        from mods mo
        left join lesson_counts lc on lc.module_id = mo.module_id
        left join learnt l on l.module_id = mo.module_id
        left join dues d on d.module_id = mo.module_id) as modules,
      (select coalesce(jsonb_agg(jsonb_build_object(
          'date', to_char(h.day, 'YYYY-MM-DD'), 'reviews', h.reviews, 'passed', h.passed,
          'predicted', h.predicted) order by h.day), '[]'::jsonb)
        from history h) as history`;
}

/** An active member of `orgId` with the names the drill-down shows and their last reminder. */
export async function findMember(db: Executor, orgId: string, userId: string) {
  const result = await db.execute(sql`select ms.user_id, u.name, ms.team_id, t.name as team_name,
      ms.persona_id, ps.name as persona_name, jr.name as job_role_name,
      date_part('epoch', rm.created_at) * 1000 as last_reminded_at
    from memberships ms
    join users u on u.id = ms.user_id
    left join teams t on t.id = ms.team_id
    left join personas ps on ps.id = ms.persona_id
    left join job_roles jr on jr.id = ms.job_role_id
    left join lateral (${lastReminderSql(orgId, sql`ms.user_id`)}) rm on true
    where ms.org_id = ${orgId}::uuid and ms.user_id = ${userId}::uuid
      and ms.deactivated_at is null`);
  return rowsOf<Raw>(result)[0];
}

/** Runs a people statement under the dashboards' planner settings: a custom plan, no JIT. */
export const run = (db: Executor, statement: SQL) => runPlanned(db, customPlanSql, statement);
