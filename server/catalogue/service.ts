import type { Catalogue, CatalogueModule, CatalogueQuery } from '../../shared/catalogue';
import { byName } from '../../shared/names';
import type { Database } from '../db/client';
import { epochMs, jsonOf } from '../dashboards/sql/rows';
import * as repo from './repository';

export type CatalogueService = ReturnType<typeof createCatalogueService>;

type Target = CatalogueModule['teams'][number];
const byTitle = byName<CatalogueModule>(
  (x) => x.title,
  (x) => x.id,
);
const byTargetName = byName<Target>(
  (x) => x.name,
  (x) => x.id,
);

function toModule(r: repo.CatalogueRow): CatalogueModule {
  return {
    id: r.id,
    title: r.title,
    summary: r.summary,
    toolId: r.tool_id,
    toolName: r.tool_name,
    processName: r.process_name,
    criticality: r.criticality,
    estimatedMinutes: Number(r.estimated_minutes),
    lessonCount: Number(r.lesson_count),
    jobRoles: jsonOf<Target[]>(r.job_roles).sort(byTargetName),
    teams: jsonOf<Target[]>(r.teams).sort(byTargetName),
    publishedAt: epochMs(r.published_at)!,
  };
}

/** What can be assigned: every published module of the organisation, read-only. */
export function createCatalogueService({ db }: { db: Database }) {
  return {
    /**
     * The organisation's published modules by title, as their latest published version says.
     * The same for every role that may read it: a catalogue is not scoped to people.
     */
    async list(orgId: string, query: CatalogueQuery): Promise<Catalogue> {
      const rows = await repo.listPublished(db, orgId, query.toolId);
      return { items: rows.map(toModule).sort(byTitle) };
    },
  };
}
