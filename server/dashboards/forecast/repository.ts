/**
 * The forecast dashboard's queries: predicted recall of each team × module over the next
 * FORECAST_DAYS days, and of each person on a process's next use, computed in SQL over card
 * states with the organisation's FSRS parameters.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { daysBetweenSql, type FsrsParams, recallSql } from '../sql/fsrs';
import { orgPausedDueSql } from '../sql/pauses';
import { hashedGroupsPlanSql, planned, reportPlanSql } from '../sql/planner';
import { rowsOf } from '../../db/rows';
import { instantSql, type Raw, str } from '../sql/rows';
import {
  moduleFilterSql,
  type PeopleFilter,
  scopedMembersWhere,
  scopedPeopleSql,
} from '../sql/scope';
import { forecastDays, PAIR_DAYS, readsPairs } from './days';
import { cardMemorySql, pairForecastSql, scheduledSql, withoutSql } from './curves';
import { freshSql, pairColumnSql } from '../overview/pairs-repository';

export interface ForecastParams extends PeopleFilter, FsrsParams {
  moduleId?: string;
  now: Date;
  /** The organisation's time zone: pauses are calendar days there. */
  timeZone: string;
  /** How many values of R to compute at most (default FORECAST_BUDGET). */
  budget?: number;
}

export interface ForecastRow {
  teamId: string | null;
  teamName: string | null;
  moduleId: string;
  moduleTitle: string;
  learners: number;
  cards: number;
  day: number;
  withoutReviews: number;
  withScheduled: number;
}

/**
 * Per learnt card in scope (`cardMemorySql`), with its learner's team. Pauses are looked up only
 * for learners who ever paused.
 */
function memorySql(orgId: string, p: ForecastParams): SQL {
  return cardMemorySql({
    select: sql`ms.team_id, cs.module_id,`,
    from: sql`${learntSql(orgId, p)}
      left join (
        select distinct rp.user_id from refresher_pauses rp where rp.org_id = ${orgId}::uuid
      ) pz on pz.user_id = cs.user_id
      ${learntWhere(orgId, p)}`,
    due: orgPausedDueSql(orgId, p.timeZone, sql`pz.user_id is not null`),
    now: p.now,
    fsrs: p,
  });
}

/**
 * The learnt card states in scope (`cs`) with their learner's membership (`ms`), from the
 * organisation's card states through their index (`learntSql`, other joins, then
 * `learntWhere`). The members are joined rather than read from a CTE, so that the planner
 * reckons with the memberships' statistics: with a CTE it read the 400,000 card states of the
 * bench's largest organisation by one index scan per learner, a third slower than at once.
 */
const learntSql = (orgId: string, p: ForecastParams) => sql`from card_states cs
    join memberships ms on ms.user_id = cs.user_id and ${scopedMembersWhere(orgId, p)}`;
const learntWhere = (orgId: string, p: ForecastParams) =>
  sql`where cs.org_id = ${orgId}::uuid and cs.last_review is not null
      ${moduleFilterSql(sql`cs.module_id`, p.moduleId)}`;

/**
 * Per team × module of the scope, from the learner × module rows (dashboard_pairs, kept by the
 * overview's refresh job: server/dashboards/overview/pairs-repository.ts): its learners with
 * learnt cards, those cards, and the sums of R over them on each of `PAIR_DAYS` without reviews
 * (`w0`, `w1`, `w10` …) and with the scheduled refresher (`s0` …). A row within the hour stands
 * for now, its sums moved along their slopes (`freshSql`); a row marked by a write, or older,
 * is computed from the card states, as the overview does. The scope's members are joined inside
 * the fence, so that only their rows are computed.
 */
export function forecastPairsSql(orgId: string, p: ForecastParams): SQL {
  const since = daysBetweenSql(sql`r.as_of`, instantSql(p.now));
  const moved = (column: string) =>
    PAIR_DAYS.map(
      (_, i) => sql`${sql.raw(`r.${column}[${i + 1}] + r.${column}_slope[${i + 1}]`)} * ${since}`,
    );
  const stored = [...moved('forecast_without'), ...moved('forecast_scheduled')];
  const values = sql`case when ${freshSql(p.now)} then array[${sql.join(stored, sql`, `)}]
    else (select f.forecast_without || f.forecast_scheduled
      from (${pairForecastSql(PAIR_DAYS, p.now, p)}) f) end`;
  const sums = PAIR_DAYS.flatMap((d, i) => [
    sql.raw(`sum(x.v[${i + 1}]) as w${d}`),
    sql.raw(`sum(x.v[${i + 1 + PAIR_DAYS.length}]) as s${d}`),
  ]);
  return sql`select c.*, t.name as team_name, mo.title as module_title
    from (
      select x.team_id, x.module_id, count(*)::int as learners, sum(x.cards)::int as cards,
        ${sql.join(sums, sql`, `)}
      from (
        select ms.team_id, r.module_id, ${pairColumnSql('cards', p.now, p)} as cards,
          ${values} as v
        from dashboard_pairs r
        join memberships ms on ms.user_id = r.user_id and ${scopedMembersWhere(orgId, p)}
        where r.org_id = ${orgId}::uuid ${moduleFilterSql(sql`r.module_id`, p.moduleId)}
        offset 0
      ) x
      where x.cards > 0
      group by x.team_id, x.module_id
    ) c
    left join teams t on t.id = c.team_id
    join modules mo on mo.id = c.module_id
    order by c.team_id, c.module_id`;
}

type Cell = Omit<ForecastRow, 'day' | 'withoutReviews' | 'withScheduled'>;

/**
 * Per team × module, its learnt cards and the sums of R over them on each of `days` (now + d
 * days): without reviews, and with the first scheduled refresher answered Good (strictly after
 * its moment, so day 0 is today's recall on both curves). One row per team × module with a
 * column per day (each day's R without reviews computed once per card, as both curves take
 * it); a row per card × day took
 * twice as long (3.2 M rows hashed into their team × module × day at the bench's largest
 * organisation), and summing per learner first, to count the learners in the same statement,
 * a third longer than counting them apart (as `forecastPairsSql` does).
 */
export function forecastSql(orgId: string, p: ForecastParams, days: number[]): SQL {
  if (!days.every((d) => Number.isInteger(d) && d >= 0)) throw new RangeError('days');
  const col = (prefix: string, d: number) => sql.raw(`${prefix}${d}`);
  const withouts = days.map((d) => sql`${withoutSql('x', d, p)} as ${col('w', d)}`);
  const sums = days.map(
    (d) => sql`sum(m.${col('w', d)}) as ${col('w', d)},
      sum(${scheduledSql('m', d, sql`m.${col('w', d)}`, p)}) as ${col('s', d)}`,
  );
  return sql`select m.team_id, m.module_id, count(*)::int as cards, ${sql.join(sums, sql`, `)}
    from (select x.*, ${sql.join(withouts, sql`, `)} from (${memorySql(orgId, p)}) x offset 0) m
    group by m.team_id, m.module_id`;
}

/**
 * Mean R per team × module in scope on each of the forecast's days, one row per cell × day,
 * ordered by team, module, day: `forecastDays` of its learnt cards (at most `budget` values of
 * R) computed from the card states when that is every day, else `PAIR_DAYS` from the learner ×
 * module rows. The means divide by the cards counted with the sums, in the same statement: an
 * answer committed between the two statements may change a cell's learners (or, for a moment,
 * leave out a cell that one of them lacks), never make a mean of other cards than its sum's.
 */
export async function forecast(db: Executor, orgId: string, p: ForecastParams) {
  const { cells, sums, days } = await planned(db, reportPlanSql, async (tx) => {
    await tx.execute(hashedGroupsPlanSql);
    const stored = rowsOf<Raw>(await tx.execute(forecastPairsSql(orgId, p)));
    const cells = stored.map((r): Cell => ({
      teamId: str(r.team_id),
      teamName: str(r.team_name),
      moduleId: String(r.module_id),
      moduleTitle: String(r.module_title),
      learners: Number(r.learners),
      cards: Number(r.cards),
    }));
    const learnt = cells.reduce((n, c) => n + c.cards, 0);
    if (readsPairs(learnt, p.budget)) return { cells, sums: stored, days: PAIR_DAYS };
    const days = forecastDays(learnt, p.budget);
    return { cells, sums: rowsOf<Raw>(await tx.execute(forecastSql(orgId, p, days))), days };
  });
  const key = (teamId: unknown, moduleId: unknown) => `${str(teamId)}:${String(moduleId)}`;
  const sumsOf = new Map(sums.map((r) => [key(r.team_id, r.module_id), r]));
  const rows: ForecastRow[] = [];
  for (const cell of cells) {
    const sum = sumsOf.get(key(cell.teamId, cell.moduleId));
    if (!sum) continue;
    const cards = Number(sum.cards);
    for (const day of days) {
      rows.push({
        ...cell,
        cards,
        day,
        withoutReviews: Number(sum[`w${day}`]) / cards,
        withScheduled: Number(sum[`s${day}`]) / cards,
      });
    }
  }
  return rows;
}

/** A process of the organisation with its tool and next-use setting. */
export interface ProcessRow {
  id: string;
  name: string;
  toolName: string;
  nextUse: unknown;
  /** The process's own use-day target; null: the default. */
  useDayTarget: number | null;
}

export async function processes(db: Executor, orgId: string): Promise<ProcessRow[]> {
  const rows = rowsOf<Raw>(
    await db.execute(sql`select p.id, p.name, t.name as tool_name, p.next_use, p.use_day_target
      from processes p join tools t on t.id = p.tool_id
      where p.org_id = ${orgId}::uuid`),
  );
  return rows.map((r) => ({
    id: String(r.id),
    name: String(r.name),
    toolName: String(r.tool_name),
    nextUse: typeof r.next_use === 'string' ? JSON.parse(r.next_use) : r.next_use,
    useDayTarget: r.use_day_target === null ? null : Number(r.use_day_target),
  }));
}

export interface ProcessRecallRow {
  processId: string;
  /** People in scope with learnt cards of the process's modules. */
  learners: number;
  userId: string;
  name: string;
  teamName: string | null;
  recall: number;
}

/**
 * For each process at its moment `at`: the mean R then, if nobody reviews, of each person in
 * scope over their learnt cards of the process's modules. Answers the people under the use's
 * `target` and, per process, at least one row (the lowest) so that the learner count comes back.
 */
export async function processRecall(
  db: Executor,
  orgId: string,
  p: PeopleFilter & FsrsParams & { moduleId?: string },
  uses: { processId: string; at: Date; target: number }[],
): Promise<ProcessRecallRow[]> {
  if (uses.length === 0) return [];
  const values = sql.join(
    uses.map((u) => sql`(${u.processId}::uuid, ${instantSql(u.at)}, ${u.target}::float8)`),
    sql`, `,
  );
  const recall = recallSql(daysBetweenSql(sql`cs.last_review`, sql`u.at`), sql`cs.stability`, p);
  const rows = rowsOf<Raw>(
    await db.execute(sql`
      with people as (${scopedPeopleSql(orgId, p)}),
      uses (process_id, at, target) as (values ${values}),
      per_user as (
        select u.process_id, u.target, cs.user_id, avg(${recall}) as recall
        from uses u
        join modules m on m.org_id = ${orgId}::uuid and m.process_id = u.process_id
        join card_states cs on cs.org_id = ${orgId}::uuid and cs.module_id = m.id
        join people pe on pe.user_id = cs.user_id
        where cs.last_review is not null ${moduleFilterSql(sql`m.id`, p.moduleId)}
        group by u.process_id, u.target, cs.user_id
      ),
      ranked as (
        select pu.*, count(*) over (partition by pu.process_id) as learners,
          row_number() over (partition by pu.process_id order by pu.recall, pu.user_id) as rank
        from per_user pu
      )
      select r.process_id, r.learners, r.user_id, us.name, t.name as team_name, r.recall
      from ranked r
      join users us on us.id = r.user_id
      join people pe on pe.user_id = r.user_id
      left join teams t on t.id = pe.team_id
      where r.recall < r.target or r.rank = 1
      order by r.process_id, r.rank`),
  );
  return rows.map((r) => ({
    processId: String(r.process_id),
    learners: Number(r.learners),
    userId: String(r.user_id),
    name: String(r.name),
    teamName: str(r.team_name),
    recall: Number(r.recall),
  }));
}
