import { type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { recallSql } from './retention-sql';
import { moduleFilterSql, rowsOf, scopedMembersWhere } from './scope-sql';

/** Whose people a query covers: the whole organisation, or the members of some teams. */
export type TeamScope = { all: true } | { all: false; teamIds: string[] };

export interface OverviewParams {
  scope: TeamScope;
  teamId?: string;
  moduleId?: string;
  personaId?: string;
  jobRoleId?: string;
  now: Date;
  decay: number;
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

/** Active members of `orgId` within the scope and the filters (server/dashboards/scope-sql.ts). */
function peopleSql(orgId: string, p: OverviewParams): SQL {
  return sql`select ms.user_id, ms.team_id, ms.persona_id, ms.job_role_id
    from memberships ms where ${scopedMembersWhere(orgId, p)}`;
}

/** No persona, as a key that a hash can match (it cannot match nulls). */
const NO_PERSONA = sql`'00000000-0000-0000-0000-000000000000'::uuid`;

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

/** Whether lesson `ls` is shown to persona `persona` (shared/modules.ts `visibleTo`). */
const visible = (ls: string, persona: SQL) =>
  sql`(jsonb_array_length(${sql.raw(ls)}.persona_ids) = 0
    or coalesce(${sql.raw(ls)}.persona_ids @> to_jsonb(${persona}::text), false))`;

/**
 * Per learner × module, the sum of R now over the learnt cards (card states with a last review),
 * their number, and whether one was answered again a day (24 hours, whatever the session's time
 * zone) or more after its first review: a refresher (a memory with no first review recorded has
 * had none). Read from card_states_org_user_module_idx alone, already in group order: no
 * hashing, no sort, and none of the review log.
 */
function learntSql(orgId: string, p: OverviewParams): SQL {
  const recall = recallSql(
    { lastReview: sql`cs.last_review`, stability: sql`cs.stability` },
    p.now,
    p.decay,
  );
  return sql`select cs.user_id, cs.module_id, sum(${recall}) as recall_sum, count(*) as cards,
      coalesce(bool_or(cs.last_review >= cs.first_review + interval '24 hours'), false)
        as refreshed
    from card_states cs
    where cs.org_id = ${orgId}::uuid and cs.last_review is not null
      ${moduleFilterSql(sql`cs.module_id`, p.moduleId)} ${someonesSql(p, sql`cs.user_id`)}
    group by cs.user_id, cs.module_id`;
}

/**
 * Per learner × module with any lesson progress, read from lesson_progress_org_user_module_idx
 * alone in that order, without joining the people: how many lessons of the published version
 * open to every persona are completed or known, and which completed or known lessons are limited
 * to some personas (rare: counted against the learner's persona in `pairs`). Lessons dropped
 * from the published version count for neither.
 */
function progressSql(orgId: string, p: OverviewParams): SQL {
  const done = sql`(lp.completed_at is not null or lp.known_at is not null)`;
  return sql`select lp.user_id, lp.module_id,
      count(*) filter (where ${done} and (lp.module_id, lp.lesson_id)
        in (select module_id, lesson_id from lessons where jsonb_array_length(persona_ids) = 0))
        as done_open,
      array_agg(lp.lesson_id) filter (where ${done} and (lp.module_id, lp.lesson_id)
        in (select module_id, lesson_id from lessons where jsonb_array_length(persona_ids) > 0))
        as done_limited
    from lesson_progress lp
    where lp.org_id = ${orgId}::uuid ${moduleFilterSql(sql`lp.module_id`, p.moduleId)}
      ${someonesSql(p, sql`lp.user_id`)}
    group by lp.user_id, lp.module_id`;
}

/**
 * Per learner × module of the scope that has learnt cards or an assignment opened by `now`:
 * the learnt cards' sums, whether the pair is assigned, whether the learner started its lessons
 * (any progress) and whether they have done them all: as many as their persona sees (never
 * more: one progress per lesson), looked up in a hash of the few counts.
 */
function pairsSql(orgId: string, p: OverviewParams): SQL {
  const persona = sql`coalesce(pe.persona_id, ${NO_PERSONA})`;
  const limitedDone = sql`case when pg.done_limited is null then 0 else (
      select count(*) from visible_lessons v
      where v.module_id = a.module_id and v.persona_key = ${persona}
        and v.lesson_id = any(pg.done_limited)) end`;
  return sql`select pe.user_id, coalesce(l.module_id, a.module_id) as module_id,
      pe.team_id, pe.persona_id, pe.job_role_id, l.recall_sum, coalesce(l.cards, 0) as cards,
      coalesce(l.refreshed, false) as refreshed, a.user_id is not null as assigned,
      pg.user_id is not null as started,
      pg.user_id is not null and (a.module_id, ${persona}, pg.done_open + ${limitedDone})
        in (select module_id, persona_key, n from lesson_counts) as lessons_done
    from learnt l
    full join (
      select a.user_id, a.module_id from assignments a
      where a.org_id = ${orgId}::uuid and a.opens_at <= ${p.now.toISOString()}::timestamptz
        ${moduleFilterSql(sql`a.module_id`, p.moduleId)}
    ) a on a.user_id = l.user_id and a.module_id = l.module_id
    left join progress pg on pg.user_id = a.user_id and pg.module_id = a.module_id
    join people pe on pe.user_id = coalesce(l.user_id, a.user_id)`;
}

/** The lessons each persona of the scope sees (shared `visibleTo`), few rows. */
const visibleLessonsSql = sql`select ls.module_id, ls.lesson_id,
    coalesce(pp.persona_id, ${NO_PERSONA}) as persona_key
  from lessons ls
  cross join (select distinct persona_id from people) pp
  where ${visible('ls', sql`pp.persona_id`)}`;

/** How many lessons of each module each persona of the scope sees. */
const lessonCountsSql = sql`select module_id, persona_key, count(*) as n
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

type Raw = Record<string, unknown>;
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const str = (v: unknown) => (v === null || v === undefined ? null : String(v));

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
 * Card states, lesson progress and assignments are each read once, from an index holding every
 * column needed in learner × module order, and joined into learner × module pairs; the funnel
 * and the groups work on those pairs. `people`, `learnt` and `progress` are inlined where they
 * are used: the planner then estimates their joins from the tables' statistics and can join
 * the sorted aggregates without hashing them again (with a CTE's guesses it chose sorts).
 */
export function overviewSql(orgId: string, p: OverviewParams): SQL {
  return sql`
    with people as not materialized (${peopleSql(orgId, p)}),
    lessons as (${lessonsSql(orgId, p.moduleId)}),
    visible_lessons as (${visibleLessonsSql}),
    lesson_counts as (${lessonCountsSql}),
    learnt as not materialized (${learntSql(orgId, p)}),
    progress as not materialized (${progressSql(orgId, p)}),
    pairs as materialized (${pairsSql(orgId, p)}),
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

/**
 * The overview's planner settings, for its transaction only, in one round trip. PostgreSQL's
 * planner costs the statement high enough to JIT-compile it, which took longer (about 2.7 s at
 * the bench's largest organisation) than running it. The statement is prepared
 * (server/db/client.ts): after five runs PostgreSQL may switch to a generic plan, blind to which
 * organisation and filters, which ran for minutes. With the default 4 MB per sort or hash, the
 * learner × module hashes (about 10 MB for 40,000 pairs) spilled to disk or became sorts. And
 * the organisation's card states, about half of every organisation's at the bench's largest
 * one, are read from the covering index in group order rather than by a sequential scan of all
 * organisations' rows hashed into 40,000 groups (twice as long).
 */
export const overviewSettingsSql = sql`select set_config('jit', 'off', true),
  set_config('plan_cache_mode', 'force_custom_plan', true),
  set_config('work_mem', '64MB', true), set_config('enable_seqscan', 'off', true)`;

export async function overview(
  db: Executor,
  orgId: string,
  p: OverviewParams,
): Promise<{ groups: RecallGroupRow[]; funnel: FunnelRow }> {
  const result = await db.transaction(async (tx) => {
    await tx.execute(overviewSettingsSql);
    return tx.execute(overviewSql(orgId, p));
  });
  const rows = rowsOf<Raw>(result);
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

/** The organisation's desired retention (the dashboards' target line). */
export async function desiredRetention(db: Executor, orgId: string): Promise<number> {
  const result = await db.execute(
    sql`select desired_retention from organisations where id = ${orgId}::uuid`,
  );
  return Number(rowsOf<Raw>(result)[0]!.desired_retention);
}
