import { type SQL, sql } from 'drizzle-orm';
import { NO_TEAM } from '../../shared/dashboards';
import type { PeopleScope } from '../lib/scope';

/** postgres.js answers an array, PGlite an object with `rows`. */
export function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : (result as { rows: T[] }).rows;
}

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

/** `and <column> = moduleId` when the view is filtered on a module, nothing otherwise. */
export const moduleFilterSql = (column: SQL, moduleId?: string) =>
  moduleId ? sql`and ${column} = ${moduleId}::uuid` : sql``;
