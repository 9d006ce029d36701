/**
 * One learnt card's two forecast curves in SQL, written once for the forecast computed from the
 * card states (repository.ts) and for the sums the learner × module rows keep of it
 * (`pairForecastSql`, read by repository.ts and written by the overview's refresh job).
 */
import { type SQL, sql } from 'drizzle-orm';
import { pausedDueSql } from '../../srs/paused-due-sql';
import {
  daysBetweenSql,
  type FsrsParams,
  recallSlopeSql,
  recallSql,
  stabilityAfterGoodSql,
} from '../sql/fsrs';
import { instantSql } from '../sql/rows';

/**
 * Per learnt card `cs` of `from` (which reads card_states as `cs`, and may join more): the
 * columns `select` names, its stability `s` and difficulty `d`, days since its last review now
 * (`t0`), days from now to its next refresher (`due`: the due date with pauses applied; 0 when
 * overdue, assumed done today), and the stability a right answer (Good) then would give (`s2`).
 * Only that first scheduled refresher is modelled: the ones after it are ignored, so the "with
 * scheduled" curve of young cards is pessimistic. The inner query is fenced (`offset 0`) so that
 * `t0` and the due date pushed by pauses are worked out once per card, not once per expression
 * that reads them.
 */
export function cardMemorySql(q: {
  select: SQL;
  from: SQL;
  due: SQL;
  now: Date;
  fsrs: FsrsParams;
}): SQL {
  const now = instantSql(q.now);
  const t0 = daysBetweenSql(sql`cs.last_review`, now);
  const until = sql`greatest(${daysBetweenSql(now, q.due)}, 0)`;
  const s2 = stabilityAfterGoodSql(
    {
      stability: sql`l.s`,
      difficulty: sql`l.d`,
      recall: recallSql(sql`(l.t0 + l.until_review)`, sql`l.s`, q.fsrs),
    },
    q.fsrs,
  );
  return sql`select l.*, ${s2} as s2
    from (
      select ${q.select} cs.stability as s, cs.difficulty as d, ${t0} as t0,
        ${until} as until_review
      ${q.from}
      offset 0
    ) l`;
}

const dayOf = (d: number) => sql.raw(String(d));

/** R on day `d` from now if nobody reviews, of the card memory `x` (`cardMemorySql`). */
export const withoutSql = (x: string, d: number, fsrs: FsrsParams) =>
  recallSql(sql`(${sql.raw(x)}.t0 + ${dayOf(d)})`, sql.raw(`${x}.s`), fsrs);

/**
 * R on day `d` from now of the card memory `m` if its refresher is answered Good on its day:
 * R without reviews until then (`without`, that day's value), R after it from the day after (so
 * day 0 is today's recall on both curves).
 */
export function scheduledSql(m: string, d: number, without: SQL, fsrs: FsrsParams): SQL {
  const after = recallSql(
    sql`(${dayOf(d)} - ${sql.raw(m)}.until_review)`,
    sql.raw(`${m}.s2`),
    fsrs,
  );
  return sql`(case when ${dayOf(d)} > ${sql.raw(m)}.until_review then ${after} else ${without} end)`;
}

/**
 * How fast each curve's value on day `d` from now changes as now moves on, per day, for sums
 * computed at one moment to stand for a little later (as the overview's recall sums do): the
 * slope of R without reviews at `t0 + d`; after the refresher, the slope at `d` days from now
 * minus the days until it. An overdue refresher is assumed done today whatever the hour, and
 * its stability after then changes with today's R: left out (second order within the hour).
 */
function slopesSql(m: string, d: number, fsrs: FsrsParams) {
  const without = recallSlopeSql(sql`(${sql.raw(m)}.t0 + ${dayOf(d)})`, sql.raw(`${m}.s`), fsrs);
  const after = recallSlopeSql(
    sql`(${dayOf(d)} - ${sql.raw(m)}.until_review)`,
    sql.raw(`${m}.s2`),
    fsrs,
  );
  const scheduled = sql`(case when ${dayOf(d)} <= ${sql.raw(m)}.until_review then ${without}
    when ${sql.raw(m)}.until_review > 0 then ${after} else 0 end)`;
  return { without, scheduled };
}

/** The columns of a dashboard_pairs row that hold the forecast (`pairForecastSql`). */
export const PAIR_FORECAST_COLUMNS = [
  'forecast_without',
  'forecast_without_slope',
  'forecast_scheduled',
  'forecast_scheduled_slope',
] as const;

/**
 * Of the learnt cards of learner × module row `r`, with its learner's pauses in its
 * organisation's time zone, one row of `PAIR_FORECAST_COLUMNS`: per day of `days` from `now`,
 * the sum of R without reviews and with the scheduled refresher, and how fast each sum changes
 * (`slopesSql`). Zeros when the pair has no learnt card.
 */
export function pairForecastSql(days: readonly number[], now: Date, fsrs: FsrsParams): SQL {
  // The zone and whether the learner ever paused, once per row rather than once per card
  // (fenced: joined after the card states, the organisation was looked up for each card).
  const memory = cardMemorySql({
    select: sql``,
    from: sql`from (
        select o.time_zone as tz, exists (select 1 from refresher_pauses rp
          where rp.org_id = r.org_id and rp.user_id = r.user_id) as has_pauses
        from organisations o where o.id = r.org_id
        offset 0
      ) pp
      cross join card_states cs
      where cs.org_id = r.org_id and cs.user_id = r.user_id and cs.module_id = r.module_id
        and cs.last_review is not null`,
    due: pausedDueSql({ orgId: sql`cs.org_id`, timeZone: sql`pp.tz`, guard: sql`pp.has_pauses` }),
    now,
    fsrs,
  });
  const perCard = days.flatMap((d) => {
    const slopes = slopesSql('x', d, fsrs);
    return [
      sql`${withoutSql('x', d, fsrs)} as ${sql.raw(`w${d}`)}`,
      sql`${slopes.without} as ${sql.raw(`dw${d}`)}`,
      sql`${slopes.scheduled} as ${sql.raw(`ds${d}`)}`,
    ];
  });
  const array = (values: SQL[]) =>
    sql`array[${sql.join(
      values.map((v) => sql`coalesce(sum(${v}), 0)`),
      sql`, `,
    )}]::float8[]`;
  const col = (prefix: string, d: number) => sql.raw(`m.${prefix}${d}`);
  return sql`select ${array(days.map((d) => col('w', d)))} as forecast_without,
      ${array(days.map((d) => col('dw', d)))} as forecast_without_slope,
      ${array(days.map((d) => scheduledSql('m', d, col('w', d), fsrs)))} as forecast_scheduled,
      ${array(days.map((d) => col('ds', d)))} as forecast_scheduled_slope
    from (select x.*, ${sql.join(perCard, sql`, `)} from (${memory}) x offset 0) m`;
}
