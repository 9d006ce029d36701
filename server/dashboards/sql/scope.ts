/** Whose rows a dashboard statement reads: the caller's scope and the filters of the view. */
import { type SQL, sql } from 'drizzle-orm';
import { NO_TEAM } from '../../../shared/dashboards';
import type { PeopleScope } from '../../lib/scope';

/** The caller's scope (server/lib/scope.ts) with the people filters every dashboard takes. */
export interface PeopleFilter {
  scope: PeopleScope;
  teamId?: string;
  personaId?: string;
  jobRoleId?: string;
}

/**
 * The one condition on `memberships ms` that every dashboard's people share: active members of
 * `orgId` within the scope and the filters. Deactivated members have left: what they learnt no
 * longer says anything about a team. A filter outside the scope narrows it to nobody.
 */
export function scopedMembersWhere(orgId: string, p: PeopleFilter): SQL {
  const filters: SQL[] = [];
  if (!p.scope.all) {
    const ids = p.scope.teamIds.map((id) => sql`${id}::uuid`);
    filters.push(ids.length ? sql`and ms.team_id in (${sql.join(ids, sql`, `)})` : sql`and false`);
  }
  if (p.teamId === NO_TEAM) filters.push(sql`and ms.team_id is null`);
  else if (p.teamId) filters.push(sql`and ms.team_id = ${p.teamId}::uuid`);
  if (p.personaId) filters.push(sql`and ms.persona_id = ${p.personaId}::uuid`);
  if (p.jobRoleId) filters.push(sql`and ms.job_role_id = ${p.jobRoleId}::uuid`);
  return sql`ms.org_id = ${orgId}::uuid and ms.deactivated_at is null ${sql.join(filters, sql` `)}`;
}

/** Active members of `orgId` within the scope and the filters, with their team. */
export function scopedPeopleSql(orgId: string, p: PeopleFilter): SQL {
  return sql`select ms.user_id, ms.team_id from memberships ms
    where ${scopedMembersWhere(orgId, p)}`;
}

/**
 * Whether a lesson limited to the personas `personaIds` (a jsonb array of ids, empty: everyone)
 * is shown to persona `persona` (a uuid, null: none): shared/modules.ts `visibleTo`.
 */
export const lessonVisibleSql = (personaIds: SQL, persona: SQL) =>
  sql`(jsonb_array_length(${personaIds}) = 0
    or coalesce(${personaIds} @> to_jsonb(${persona}::text), false))`;

/** `and <column> = moduleId` when the view is filtered on a module, nothing otherwise. */
export const moduleFilterSql = (column: SQL, moduleId?: string) =>
  moduleId ? sql`and ${column} = ${moduleId}::uuid` : sql``;
