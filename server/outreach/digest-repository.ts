/** The weekly digest's reads and its one write (the figures kept for next week's comparison). */
import { sql } from 'drizzle-orm';
import type { Role } from '../../shared/common';
import type { Executor } from '../db/client';
import { managedTeamIdsColumn } from '../members/repository';
import { rowsOf } from '../db/rows';
import { type PeopleFilter, scopedMembersWhere } from '../dashboards/sql/scope';

/** Every organisation's id (each has its own digest moment). */
export async function listOrgIds(db: Executor): Promise<string[]> {
  const rows = rowsOf<{ id: string }>(
    await db.execute(sql`select id from organisations order by id`),
  );
  return rows.map((r) => String(r.id));
}

/** postgres.js parses arrays; a raw PGlite result may hand over `{1,2,3}`. */
function pgArray(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  const s = String(v ?? '').replace(/^\{|\}$/g, '');
  return s ? s.split(',') : [];
}

/**
 * Who may get a digest: active managers who manage at least one team, and active trainers and
 * admins who opted in. The service decides each one's scope.
 */
const candidateSql = sql`ms.deactivated_at is null and (
    ('manager' = any(ms.roles)
      and exists (select 1 from managed_teams mt
        where mt.org_id = ms.org_id and mt.user_id = ms.user_id))
    or (ms.digest_opt_in and ms.roles && array['admin', 'trainer']::role[]))`;

/** The candidates of `orgId` without a digest job for `week` yet (the job key is the digest's). */
export async function recipientsWithoutDigest(
  db: Executor,
  orgId: string,
  week: string,
): Promise<string[]> {
  const rows = rowsOf<{ user_id: string }>(
    await db.execute(sql`select ms.user_id from memberships ms
      where ms.org_id = ${orgId}::uuid and ${candidateSql}
        and not exists (select 1 from jobs j
          where j.key = 'digest:' || ms.org_id::text || ':' || ms.user_id::text || ':' || ${week})
      order by ms.user_id`),
  );
  return rows.map((r) => String(r.user_id));
}

export interface DigestRecipient {
  orgId: string;
  userId: string;
  roles: Role[];
  teamId: string | null;
  managedTeamIds: string[];
  digestOptIn: boolean;
  orgName: string;
}

/** `userId`'s active membership of `orgId` with what their scope needs; null when gone. */
export async function findRecipient(
  db: Executor,
  orgId: string,
  userId: string,
): Promise<DigestRecipient | null> {
  const rows = rowsOf<Record<string, unknown>>(
    await db.execute(sql`select memberships.roles, memberships.team_id,
        memberships.digest_opt_in, o.name as org_name, ${managedTeamIdsColumn} as managed
      from memberships join organisations o on o.id = memberships.org_id
      where memberships.org_id = ${orgId}::uuid and memberships.user_id = ${userId}::uuid
        and memberships.deactivated_at is null`),
  );
  const r = rows[0];
  if (!r) return null;
  return {
    orgId,
    userId,
    roles: pgArray(r.roles).map(String) as Role[],
    teamId: r.team_id === null || r.team_id === undefined ? null : String(r.team_id),
    managedTeamIds: pgArray(r.managed).map(String),
    digestOptIn: r.digest_opt_in === true || r.digest_opt_in === 't',
    orgName: String(r.org_name),
  };
}

/** The names of these teams of `orgId`, by name. */
export async function teamNames(db: Executor, orgId: string, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const list = sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
  const rows = rowsOf<{ name: string }>(
    await db.execute(sql`select name from teams
      where org_id = ${orgId}::uuid and id in (${list}) order by lower(name), id`),
  );
  return rows.map((r) => r.name);
}

/** Lessons finished (read to the end) by the people in scope between `from` and `to` (excluded). */
export async function lessonsCompleted(
  db: Executor,
  orgId: string,
  filter: PeopleFilter,
  { from, to }: { from: Date; to: Date },
): Promise<number> {
  const rows = rowsOf<{ n: number }>(
    await db.execute(sql`select count(*)::int as n
      from lesson_progress lp
      join memberships ms on ms.user_id = lp.user_id and ${scopedMembersWhere(orgId, filter)}
      where lp.org_id = ${orgId}::uuid
        and lp.completed_at >= ${from.toISOString()}::timestamptz
        and lp.completed_at < ${to.toISOString()}::timestamptz`),
  );
  return Number(rows[0]?.n ?? 0);
}

/** What a digest job kept of its figures (`saveFigures`), by the job's key; null when none. */
export async function keptFigures(db: Executor, key: string): Promise<unknown> {
  const rows = rowsOf<{ figures: unknown }>(
    await db.execute(sql`select payload -> 'figures' as figures from jobs where key = ${key}`),
  );
  const v = rows[0]?.figures;
  return typeof v === 'string' ? JSON.parse(v) : (v ?? null);
}

/** Keeps `figures` in the digest job's own payload, for the next week's comparison. */
export async function saveFigures(db: Executor, jobId: string, figures: unknown): Promise<void> {
  await db.execute(sql`update jobs
    set payload = payload || jsonb_build_object('figures', ${JSON.stringify(figures)}::jsonb)
    where id = ${jobId}::uuid`);
}
