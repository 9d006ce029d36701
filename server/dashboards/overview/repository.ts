import { type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import type { FsrsParams } from '../sql/fsrs';
import { reportPlanSql, runPlanned } from '../sql/planner';
import { NONE_KEY, num, type Raw, str } from '../sql/rows';
import {
  lessonVisibleSql,
  moduleFilterSql,
  type PeopleFilter,
  scopedMembersWhere,
} from '../sql/scope';
import { type PairFact, pairColumnSql } from './pairs-repository';

export interface OverviewParams extends PeopleFilter, FsrsParams {
  moduleId?: string;
  now: Date;
  /** Desired retention: a pair is retained at target when its mean recall reaches it. */
  target: number;
}

/** One row per grouping: the whole scope, a team × module, a persona or a job role. */
export interface RecallGroupRow {
  grouping: 'all' | 'cell' | 'persona' | 'jobRole';
  teamId: string | null;
  teamName: string | null;
  moduleId: string | null;
  moduleTitle: string | null;
  personaId: string | null;
  personaName: string | null;
  jobRoleId: string | null;
  jobRoleName: string | null;
  recall: number | null;
  learners: number;
  cards: number;
}

export interface FunnelRow {
  assigned: number;
  started: number;
  lessonsDone: number;
  firstRefresherDone: number;
  retainedAtTarget: number;
}

/** Active members of `orgId` within the scope and the filters (server/dashboards/sql/scope.ts). */
function peopleSql(orgId: string, p: OverviewParams): SQL {
  return sql`select ms.user_id, ms.team_id, ms.persona_id, ms.job_role_id
    from memberships ms where ${scopedMembersWhere(orgId, p)}`;
}

/**
 * When the scope or a filter keeps some of the organisation's people only, a condition keeping
 * their rows only, so that the planner can read those learners' index ranges instead of every
 * learner's (the joins with `people` keep the same rows either way).
 */
function someonesSql(p: OverviewParams, userId: SQL): SQL {
  const some = !p.scope.all || p.teamId || p.personaId || p.jobRoleId;
  return some ? sql`and ${userId} in (select user_id from people)` : sql``;
}

/**
 * The lessons of each module's published version, with the personas each is limited to (none:
 * everyone), read from the version snapshot (server/modules/snapshot.ts).
 */
function lessonsSql(orgId: string, moduleId?: string): SQL {
  return sql`select m.id as module_id, (l ->> 'id')::uuid as lesson_id,
      l -> 'personaIds' as persona_ids
    from modules m
    join module_versions mv on mv.module_id = m.id and mv.version = m.version
    cross join lateral jsonb_array_elements(mv.content -> 'lessons') as l
    where m.org_id = ${orgId}::uuid ${moduleFilterSql(sql`m.id`, moduleId)}`;
}

/** What the overview reads of a learner × module row: its recall now, not the slope nor the forecast. */
const OVERVIEW_FACTS: PairFact[] = [
  'recall_sum',
  'cards',
  'refreshed',
  'opens_at',
  'started',
  'done_lessons',
];

/**
 * Per learner × module of the scope, from dashboard_pairs (pairs-repository.ts),
 * one row per pair in learner × module order: the learnt cards' sum of R now, their number and
 * whether one had a refresher; when the assignment opens, whether a lesson was started and
 * which were done.
 */
function factsSql(orgId: string, p: OverviewParams): SQL {
  const columns = OVERVIEW_FACTS.map((c) => sql`${pairColumnSql(c, p.now, p)} as ${sql.raw(c)}`);
  return sql`select r.user_id, r.module_id, ${sql.join(columns, sql`, `)}
    from dashboard_pairs r
    where r.org_id = ${orgId}::uuid ${moduleFilterSql(sql`r.module_id`, p.moduleId)}
      ${someonesSql(p, sql`r.user_id`)}`;
}

/**
 * Per learner × module of the scope that has learnt cards or an assignment opened by `now`:
 * the learnt cards' sums, whether the pair is assigned, whether the learner started its lessons
 * (any progress) and whether they have done every lesson their persona sees (a module whose
 * lessons their persona does not see is never done).
 */
function pairsSql(p: OverviewParams): SQL {
  const assigned = sql`coalesce(d.opens_at <= ${p.now.toISOString()}::timestamptz, false)`;
  return sql`select pe.user_id, d.module_id, pe.team_id, pe.persona_id, pe.job_role_id,
      d.recall_sum, d.cards, d.refreshed, ${assigned} as assigned, d.started,
      coalesce(d.started and d.done_lessons @> vs.lesson_ids, false) as lessons_done
    from facts d
    join people pe on pe.user_id = d.user_id
    left join visible_sets vs on vs.module_id = d.module_id
      and vs.persona_key = coalesce(pe.persona_id, ${NONE_KEY})
    where d.cards > 0 or ${assigned}`;
}

/** The lessons each persona of the scope sees (shared `visibleTo`), few rows. */
const visibleLessonsSql = sql`select ls.module_id, ls.lesson_id,
    coalesce(pp.persona_id, ${NONE_KEY}) as persona_key
  from lessons ls
  cross join (select distinct persona_id from people) pp
  where ${lessonVisibleSql(sql`ls.persona_ids`, sql`pp.persona_id`)}`;

/** The lessons of each module each persona of the scope sees, as one array. */
const visibleSetsSql = sql`select module_id, persona_key, array_agg(lesson_id) as lesson_ids
  from visible_lessons group by module_id, persona_key`;

/**
 * The funnel's counts over the assigned pairs (shared/dashboards.ts `funnelSchema`), each stage
 * within the one before.
 */
function funnelSql(p: OverviewParams): SQL {
  return sql`select count(*)::int as assigned,
      count(*) filter (where started)::int as started,
      count(*) filter (where lessons_done)::int as lessons_done,
      count(*) filter (where lessons_done and refreshed)::int as first_refresher_done,
      count(*) filter (where lessons_done and refreshed and retained)::int as retained_at_target
    from (
      select pr.started, pr.refreshed, pr.lessons_done,
        coalesce(pr.recall_sum / nullif(pr.cards, 0) >= ${p.target}::float8, false) as retained
      from pairs pr
      where pr.assigned
    ) d`;
}

/**
 * Mean recall, learners and cards per team × module (a learner × module pair is one learner
 * there), and for the whole scope, per persona and per job role over the learners' sums.
 */
const groupsSql = sql`select 'cell' as grouping, team_id, module_id, null::uuid as persona_id,
    null::uuid as job_role_id, sum(recall_sum) / sum(cards) as recall,
    count(*)::int as learners, sum(cards)::int as cards
  from pairs where cards > 0
  group by team_id, module_id
  union all
  select case grouping(persona_id, job_role_id)
      when 3 then 'all' when 1 then 'persona' else 'jobRole' end,
    null, null, persona_id, job_role_id, sum(recall_sum) / nullif(sum(cards), 0),
    count(*)::int, coalesce(sum(cards), 0)::int
  from (
    select user_id, persona_id, job_role_id, sum(recall_sum) as recall_sum, sum(cards) as cards
    from pairs where cards > 0
    group by user_id, persona_id, job_role_id
  ) l
  group by grouping sets ((), (persona_id), (job_role_id))`;

function toGroup(r: Raw): RecallGroupRow {
  return {
    grouping: r.grouping as RecallGroupRow['grouping'],
    teamId: str(r.team_id),
    teamName: str(r.team_name),
    moduleId: str(r.module_id),
    moduleTitle: str(r.module_title),
    personaId: str(r.persona_id),
    personaName: str(r.persona_name),
    jobRoleId: str(r.job_role_id),
    jobRoleName: str(r.job_role_name),
    recall: num(r.recall),
    learners: Number(r.learners),
    cards: Number(r.cards),
  };
}

/**
 * The retention overview's numbers for `orgId` as one statement: recall groups, and the funnel
 * repeated on each row. Every aggregate is computed in the database; only those rows come back.
 * Each learner × module pair is one row of dashboard_pairs (pairs-repository.ts),
 * joined to its learner's team, persona and job role; the funnel and the groups work on those
 * pairs. `people` and `facts` are inlined where they are used, so that the planner estimates
 * their joins from the tables' statistics.
 */
export function overviewSql(orgId: string, p: OverviewParams): SQL {
  return sql`
    with people as not materialized (${peopleSql(orgId, p)}),
    lessons as (${lessonsSql(orgId, p.moduleId)}),
    visible_lessons as (${visibleLessonsSql}),
    visible_sets as (${visibleSetsSql}),
    facts as not materialized (${factsSql(orgId, p)}),
    pairs as materialized (${pairsSql(p)}),
    funnel as (${funnelSql(p)}),
    groups as (${groupsSql})
    select g.*, t.name as team_name, m.title as module_title, ps.name as persona_name,
      jr.name as job_role_name, f.*
    from groups g
    cross join funnel f
    left join teams t on t.id = g.team_id
    left join modules m on m.id = g.module_id
    left join personas ps on ps.id = g.persona_id
    left join job_roles jr on jr.id = g.job_role_id`;
}

export async function overview(
  db: Executor,
  orgId: string,
  p: OverviewParams,
): Promise<{ groups: RecallGroupRow[]; funnel: FunnelRow }> {
  const rows = await runPlanned(db, reportPlanSql, overviewSql(orgId, p));
  const first = rows[0]!;
  return {
    groups: rows.map(toGroup),
    funnel: {
      assigned: Number(first.assigned),
      started: Number(first.started),
      lessonsDone: Number(first.lessons_done),
      firstRefresherDone: Number(first.first_refresher_done),
      retainedAtTarget: Number(first.retained_at_target),
    },
  };
}
