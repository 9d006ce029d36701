/**
 * Refresher pauses as the dashboards read them, in the organisation's time zone, on top of the
 * one SQL form of the pause rules (server/srs/paused-due-sql.ts).
 */
import { type SQL, sql } from 'drizzle-orm';
import { pauseBoundsSql, pausedDueSql, pauseShiftSql } from '../../srs/paused-due-sql';
import { instantSql } from './rows';
import { moduleFilterSql } from './scope';

/** The organisation and its zone as the pause rules take them. */
const orgZone = (orgId: string, timeZone: string) => ({
  orgId: sql`${orgId}::uuid`,
  timeZone: sql`${timeZone}::text`,
});

/** `pausedDue` for this organisation's card states `cs` (`guard` false: not paused). */
export const orgPausedDueSql = (orgId: string, timeZone: string, guard: SQL) =>
  pausedDueSql({ ...orgZone(orgId, timeZone), guard });

/** The last day of the pause `userId` (a column) is in at `now`; null when none. */
export function pausedUntilSql(
  orgId: string,
  userId: SQL,
  p: { now: Date; timeZone: string },
): SQL {
  const { start, end } = pauseBoundsSql(sql`${p.timeZone}::text`);
  const now = instantSql(p.now);
  return sql`(select max(rp.ends_on)::text from refresher_pauses rp
    where rp.org_id = ${orgId}::uuid and rp.user_id = ${userId}
      and ${start} <= ${now} and ${now} < ${end})`;
}

/**
 * Per learnt card (user_id, card_id) of the people of the `people` CTE who ever paused: how far
 * their pauses push its due date (`shift`). Only those people's cards are looked at: working
 * the shift out for every card cost seconds at the bench's largest organisation.
 */
export function pauseShiftsSql(orgId: string, p: { timeZone: string; moduleId?: string }): SQL {
  return sql`select cs.user_id, cs.card_id,
      ${pauseShiftSql(orgZone(orgId, p.timeZone))} as shift
    from card_states cs
    join (
      select distinct rp.user_id from refresher_pauses rp
      join people pe on pe.user_id = rp.user_id
      where rp.org_id = ${orgId}::uuid
    ) paused on paused.user_id = cs.user_id
    where cs.org_id = ${orgId}::uuid and cs.last_review is not null
      ${moduleFilterSql(sql`cs.module_id`, p.moduleId)}`;
}
