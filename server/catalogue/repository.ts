/** The published modules of an organisation, read from their latest published version. */
import { type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { rowsOf } from '../db/rows';

export interface CatalogueRow {
  id: string;
  title: string;
  summary: string;
  tool_id: string;
  tool_name: string;
  process_name: string | null;
  criticality: 'normal' | 'critical';
  estimated_minutes: number;
  lesson_count: number;
  job_roles: unknown;
  teams: unknown;
  published_at: unknown;
}

/** The organisation's `table` rows (teams, job roles) named in the snapshot's `key` list. */
function targetsSql(orgId: string, table: 'teams' | 'job_roles', key: string): SQL {
  return sql`(select coalesce(jsonb_agg(jsonb_build_object('id', x.id, 'name', x.name)),
      '[]'::jsonb)
    from ${sql.identifier(table)} x
    where x.org_id = ${orgId}::uuid
      and (mv.content -> 'module' -> ${key}) @> to_jsonb(x.id::text))`;
}

/**
 * Published modules of `orgId` (optionally of one tool) as their latest published version
 * (server/modules/snapshot.ts) says: title, summary, tool, targets, length. Drafts and archived
 * modules never come back.
 */
export async function listPublished(db: Executor, orgId: string, toolId?: string) {
  const header = sql`mv.content -> 'module'`;
  const result = await db.execute(sql`select m.id, ${header} ->> 'title' as title,
      ${header} ->> 'summary' as summary, t.id as tool_id, t.name as tool_name,
      p.name as process_name, ${header} ->> 'criticality' as criticality,
      (${header} ->> 'estimatedMinutes')::int as estimated_minutes,
      jsonb_array_length(mv.content -> 'lessons') as lesson_count,
      ${targetsSql(orgId, 'job_roles', 'jobRoleIds')} as job_roles,
      ${targetsSql(orgId, 'teams', 'teamIds')} as teams,
      date_part('epoch', mv.published_at) * 1000 as published_at
    from modules m
    join module_versions mv on mv.module_id = m.id and mv.version = m.version
    join tools t on t.id = (${header} ->> 'toolId')::uuid and t.org_id = ${orgId}::uuid
    left join processes p on p.id = (${header} ->> 'processId')::uuid
    where m.org_id = ${orgId}::uuid and m.status = 'published'
      ${toolId ? sql`and t.id = ${toolId}::uuid` : sql``}`);
  return rowsOf<CatalogueRow>(result);
}
