import { and, eq, exists, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { rowsOf } from '../db/rows';
import { lessonSearchEntries, moduleVersions, users } from '../db/schema';
import type { LessonPart } from './plain-text';
import { MATCH_START, MATCH_STOP } from './plain-text';

/** A text search configuration made by migration 0023 (unaccent, then the language's stemmer). */
export type SearchConfig = 'rappel_french' | 'rappel_english';

export async function userLocale(db: Executor, userId: string) {
  const [row] = await db.select({ locale: users.locale }).from(users).where(eq(users.id, userId));
  return row?.locale;
}

/** The organisation's versions of `moduleIds`, and whether each is indexed in `config`. */
export async function listVersions(
  db: Executor,
  orgId: string,
  moduleIds: string[],
  config: SearchConfig,
) {
  if (moduleIds.length === 0) return [];
  const e = lessonSearchEntries;
  return db
    .select({
      id: moduleVersions.id,
      moduleId: moduleVersions.moduleId,
      version: moduleVersions.version,
      indexed: exists(
        db
          .select({ one: sql`1` })
          .from(e)
          .where(and(eq(e.moduleVersionId, moduleVersions.id), eq(e.config, config))),
      ).mapWith(Boolean),
    })
    .from(moduleVersions)
    .where(and(eq(moduleVersions.orgId, orgId), inArray(moduleVersions.moduleId, moduleIds)));
}

export async function versionContent(db: Executor, orgId: string, versionId: string) {
  const [row] = await db
    .select({ content: moduleVersions.content })
    .from(moduleVersions)
    .where(and(eq(moduleVersions.orgId, orgId), eq(moduleVersions.id, versionId)));
  return row?.content;
}

/** Indexes a version's lesson parts; a concurrent search that did it first wins. */
export async function insertParts(
  db: Executor,
  orgId: string,
  moduleVersionId: string,
  config: SearchConfig,
  parts: LessonPart[],
) {
  if (parts.length === 0) return;
  await db
    .insert(lessonSearchEntries)
    .values(parts.map((p) => ({ ...p, orgId, moduleVersionId, config })))
    .onConflictDoNothing();
}

export interface SearchFilter {
  orgId: string;
  config: SearchConfig;
  /** The versions the learner is served. */
  versionIds: string[];
  /** The lessons of those versions their persona sees. */
  lessonIds: string[];
  personaId: string | null;
  query: string;
  limit: number;
}

export interface SearchRow {
  lessonId: string;
  moduleVersionId: string;
  /** `MATCH_START`/`MATCH_STOP` around each match. */
  excerpt: string;
}

/**
 * The lessons whose parts the learner sees match `query` (web search syntax), best first: the
 * ranks of a lesson's matching parts add up, a title counting twice. The excerpt comes from its
 * best matching block, or its title when only that matched.
 */
export async function search(db: Executor, f: SearchFilter): Promise<SearchRow[]> {
  if (f.lessonIds.length === 0) return [];
  const e = lessonSearchEntries;
  const config = sql`${f.config}::text::regconfig`;
  const rows = await db.execute(sql`
    with q as (select websearch_to_tsquery(${config}, ${f.query}) as query),
    hits as (
      select ${e.lessonId} as lesson_id, ${e.moduleVersionId} as module_version_id,
             ${e.part} as part, ${e.body} as body,
             ts_rank_cd(${e.document}, q.query) * (case when ${e.part} = 0 then 2 else 1 end)
               as rank
      from ${e}, q
      where ${e.orgId} = ${f.orgId} and ${e.config} = ${config}
        and ${inArray(e.moduleVersionId, f.versionIds)}
        and ${inArray(e.lessonId, f.lessonIds)}
        and (cardinality(${e.personaIds}) = 0 or ${f.personaId}::uuid = any(${e.personaIds}))
        and ${e.document} @@ q.query
    ),
    best as (
      select distinct on (module_version_id, lesson_id)
             module_version_id, lesson_id, body,
             sum(rank) over (partition by module_version_id, lesson_id) as total
      from hits
      order by module_version_id, lesson_id, part = 0, rank desc, part
    )
    select best.lesson_id as "lessonId", best.module_version_id as "moduleVersionId",
           ts_headline(${config}, best.body, q.query,
             ${`StartSel=${MATCH_START}, StopSel=${MATCH_STOP}, MaxWords=30, MinWords=12`}
           ) as excerpt
    from best, q
    order by best.total desc, best.lesson_id
    limit ${f.limit}`);
  return rowsOf<SearchRow>(rows);
}
