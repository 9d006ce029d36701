import { type SQL, sql } from 'drizzle-orm';

/**
 * The due date of card state `cs` pushed back by its learner's pauses: shared/pauses.ts
 * `pausedDue` in SQL, for the dashboards and the reminders. Pauses starting at or after the last
 * review are taken in order, each pushing the due date back by its length when it starts no
 * later than the due date pushed by the ones before it. Pauses never overlap, so once one starts
 * too late every later one does: the shift is the sum of the lengths of the pauses passing the
 * test. A pause runs from its first day's midnight to the midnight after its last day, in
 * `timeZone`. `guard` false skips the lookup (people who never paused: most of them).
 */
export function pausedDueSql(p: { orgId: SQL; timeZone: SQL; guard: SQL }): SQL {
  const start = sql`(rp.starts_on::timestamp at time zone ${p.timeZone})`;
  const end = sql`((rp.ends_on + 1)::timestamp at time zone ${p.timeZone})`;
  return sql`(case when ${p.guard} then cs.due + (
      select coalesce(sum(e.len), interval '0') from (
        select ${start} as start_at, ${end} - ${start} as len,
          coalesce(sum(${end} - ${start}) over (order by rp.starts_on
            rows between unbounded preceding and 1 preceding), interval '0') as before
        from refresher_pauses rp
        where rp.org_id = ${p.orgId} and rp.user_id = cs.user_id
          and ${start} >= coalesce(cs.last_review, '-infinity'::timestamptz)
      ) e
      where e.start_at <= cs.due + e.before)
    else cs.due end)`;
}
