import { type SQL, sql } from 'drizzle-orm';

/**
 * Refresher pause `rp`'s first instant and the first instant after it: a pause runs from its
 * first day's midnight to the midnight after its last day, in `timeZone`.
 */
export function pauseBoundsSql(timeZone: SQL): { start: SQL; end: SQL } {
  return {
    start: sql`(rp.starts_on::timestamp at time zone ${timeZone})`,
    end: sql`((rp.ends_on + 1)::timestamp at time zone ${timeZone})`,
  };
}

/**
 * How far its learner's pauses push card state `cs`'s due date back (an interval, 0 for none):
 * shared/pauses.ts `pausedDue` in SQL. Pauses starting at or after the last review are taken in
 * order, each pushing the due date back by its length when it starts no later than the due date
 * pushed by the ones before it. Pauses never overlap, so once one starts too late every later
 * one does: the shift is the sum of the lengths of the pauses passing the test.
 */
export function pauseShiftSql(p: { orgId: SQL; timeZone: SQL }): SQL {
  const { start, end } = pauseBoundsSql(p.timeZone);
  return sql`(select coalesce(sum(e.len), interval '0') from (
      select ${start} as start_at, ${end} - ${start} as len,
        coalesce(sum(${end} - ${start}) over (order by rp.starts_on
          rows between unbounded preceding and 1 preceding), interval '0') as before
      from refresher_pauses rp
      where rp.org_id = ${p.orgId} and rp.user_id = cs.user_id
        and ${start} >= coalesce(cs.last_review, '-infinity'::timestamptz)
    ) e
    where e.start_at <= cs.due + e.before)`;
}

/**
 * The due date of card state `cs` pushed back by its learner's pauses (`pauseShiftSql`), for the
 * dashboards and the reminders. `guard` false skips the lookup (people who never paused: most
 * of them).
 */
export function pausedDueSql(p: { orgId: SQL; timeZone: SQL; guard: SQL }): SQL {
  return sql`(case when ${p.guard} then cs.due + ${pauseShiftSql(p)} else cs.due end)`;
}
