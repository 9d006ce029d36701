import { type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { recallSql } from './retention-sql';

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

/** postgres.js answers an array, PGlite an object with `rows`. */
function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : (result as { rows: T[] }).rows;
}

/**
 * Active members of `orgId` within the scope and the filters. Deactivated members have left:
 * what they learnt no longer says anything about a team.
 */
function peopleSql(orgId: string, p: OverviewParams): SQL {
  const filters: SQL[] = [];
  if (!p.scope.all) {
    const ids = p.scope.teamIds.map((id) => sql`${id}::uuid`);
    filters.push(ids.length ? sql`and ms.team_id in (${sql.join(ids, sql`, `)})` : sql`and false`);
  }
  if (p.teamId) filters.push(sql`and ms.team_id = ${p.teamId}::uuid`);
  if (p.personaId) filters.push(sql`and ms.persona_id = ${p.personaId}::uuid`);
  if (p.jobRoleId) filters.push(sql`and ms.job_role_id = ${p.jobRoleId}::uuid`);
  return sql`select ms.user_id, ms.team_id, ms.persona_id, ms.job_role_id
    from memberships ms
    where ms.org_id = ${orgId}::uuid and ms.deactivated_at is null ${sql.join(filters, sql` `)}`;
}

const moduleFilter = (column: SQL, moduleId?: string) =>
  moduleId ? sql`and ${column} = ${moduleId}::uuid` : sql``;

/**
 * Per learner × module, the sum of R now over the learnt cards (card states with a last review)
 * and their number: the one pass over card states, summed in the database.
 */
function learntSql(orgId: string, p: OverviewParams): SQL {
  const recall = recallSql(
    { lastReview: sql`cs.last_review`, stability: sql`cs.stability` },
    p.now,
    p.decay,
  );
  return sql`select cs.user_id, cs.module_id, sum(${recall}) as recall_sum, count(*) as cards
    from card_states cs
    join people pe on pe.user_id = cs.user_id
    where cs.org_id = ${orgId}::uuid and cs.last_review is not null
      ${moduleFilter(sql`cs.module_id`, p.moduleId)}
    group by cs.user_id, cs.module_id`;
}

/**
 * Mean recall, learners and cards for the whole scope and per team × module, persona and job
 * role (one GROUPING SETS over the learner × module sums), with the names to show.
 */
const groupsSql = sql`select
    case grouping(pe.team_id, l.module_id, pe.persona_id, pe.job_role_id)
      when 15 then 'all' when 3 then 'cell' when 13 then 'persona' else 'jobRole' end
      as grouping,
    pe.team_id, l.module_id, pe.persona_id, pe.job_role_id,
    sum(l.recall_sum) / nullif(sum(l.cards), 0) as recall,
    count(distinct l.user_id)::int as learners,
    coalesce(sum(l.cards), 0)::int as cards
  from learnt l join people pe on pe.user_id = l.user_id
  group by grouping sets ((), (pe.team_id, l.module_id), (pe.persona_id), (pe.job_role_id))`;

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
    where m.org_id = ${orgId}::uuid ${moduleFilter(sql`m.id`, moduleId)}`;
}

/** Whether lesson `ls` is shown to persona `persona` (shared/modules.ts `visibleTo`). */
const visible = (ls: string, persona: SQL) =>
  sql`(jsonb_array_length(${sql.raw(ls)}.persona_ids) = 0
    or coalesce(${sql.raw(ls)}.persona_ids @> to_jsonb(${persona}::text), false))`;

/** Assignments opened by `now`, with the learner's finished lessons of the module. */
function pairsSql(orgId: string, p: OverviewParams): SQL {
  return sql`select a.user_id, a.module_id, pe.persona_id, pg.user_id is not null as started,
      coalesce(pg.done, 0) as done
    from assignments a
    join people pe on pe.user_id = a.user_id
    left join progress pg on pg.user_id = a.user_id and pg.module_id = a.module_id
    where a.org_id = ${orgId}::uuid and a.opens_at <= ${p.now.toISOString()}::timestamptz
      ${moduleFilter(sql`a.module_id`, p.moduleId)}`;
}

/** Per learner × module with any lesson progress: how many visible lessons are completed or known. */
function progressSql(orgId: string, moduleId?: string): SQL {
  return sql`select lp.user_id, lp.module_id,
      count(*) filter (where (lp.completed_at is not null or lp.known_at is not null)
        and ls.lesson_id is not null and ${visible('ls', sql`pe.persona_id`)}) as done
    from lesson_progress lp
    join people pe on pe.user_id = lp.user_id
    left join lessons ls on ls.module_id = lp.module_id and ls.lesson_id = lp.lesson_id
    where lp.org_id = ${orgId}::uuid ${moduleFilter(sql`lp.module_id`, moduleId)}
    group by lp.user_id, lp.module_id`;
}

/**
 * Whether some card of the pair was answered a day or more after its first review. The last
 * review is on the card state; the first is the top of the review log's (user, card, reviewed_at)
 * index (no log, as for memory imported without history: no refresher).
 */
const refreshedSql = sql`exists (
    select 1 from card_states c
    where c.user_id = d.user_id and c.module_id = d.module_id
      and c.last_review >= (
        select min(rl.reviewed_at) from review_logs rl
        where rl.user_id = c.user_id and rl.card_id = c.card_id
      ) + interval '1 day'
  )`;

/** No persona, as a key that a hash join can match (it cannot match nulls). */
const NO_PERSONA = sql`'00000000-0000-0000-0000-000000000000'::uuid`;

/** How many lessons of each module each persona of the scope sees (shared `visibleTo`). */
const lessonCountsSql = sql`select ls.module_id, coalesce(pp.persona_id, ${NO_PERSONA}) as persona_key,
    count(*) as n
  from lessons ls
  cross join (select distinct persona_id from people) pp
  where ${visible('ls', sql`pp.persona_id`)}
  group by ls.module_id, pp.persona_id`;

/**
 * Every pair with the stages it reached, each within the one before. The refresher check, the
 * one that probes indexes, runs only for pairs whose lessons are done.
 */
function stagesSql(p: OverviewParams): SQL {
  return sql`select d.*, case when d.lessons_done then ${refreshedSql} else false end as refreshed
    from (
      select pr.user_id, pr.module_id, pr.started,
        pr.started and coalesce(pr.done >= lc.n, false) as lessons_done,
        coalesce(l.recall_sum / l.cards >= ${p.target}::float8, false) as retained
      from pairs pr
      left join learnt l on l.user_id = pr.user_id and l.module_id = pr.module_id
      left join lesson_counts lc on lc.module_id = pr.module_id
        and lc.persona_key = coalesce(pr.persona_id, ${NO_PERSONA})
    ) d`;
}

/** The funnel's counts (shared/dashboards.ts `funnelSchema`). */
const funnelSql = sql`select count(*)::int as assigned,
    count(*) filter (where started)::int as started,
    count(*) filter (where lessons_done)::int as lessons_done,
    count(*) filter (where refreshed)::int as first_refresher_done,
    count(*) filter (where refreshed and retained)::int as retained_at_target
  from stages`;

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
 * `progress` and `pairs` are materialized: inlined, the planner re-aggregated the learners'
 * progress once per learner.
 */
export function overviewSql(orgId: string, p: OverviewParams): SQL {
  return sql`
    with people as (${peopleSql(orgId, p)}),
    learnt as (${learntSql(orgId, p)}),
    lessons as (${lessonsSql(orgId, p.moduleId)}),
    progress as materialized (${progressSql(orgId, p.moduleId)}),
    pairs as materialized (${pairsSql(orgId, p)}),
    lesson_counts as (${lessonCountsSql}),
    stages as materialized (${stagesSql(p)}),
    funnel as (${funnelSql}),
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
  const result = await db.transaction(async (tx) => {
    // PostgreSQL's planner costs this statement high enough to JIT-compile it, which took
    // longer (about 2.7 s at the bench's largest organisation) than running it. And the
    // statement is prepared (server/db/client.ts): after five runs PostgreSQL may switch to a
    // generic plan, blind to which organisation and filters, which ran for minutes.
    await tx.execute(sql`set local jit = off`);
    await tx.execute(sql`set local plan_cache_mode = force_custom_plan`);
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
