import {
  excerptParts,
  LOOKUP_MATCH_LIMIT,
  type Lookup,
  type LookupMatch,
  type LookupModule,
} from '../../shared/lookup';
import { lessonTimeSeconds } from '../../shared/modules';
import type { Database } from '../db/client';
import type { LearnerService } from '../learner/service';
import { moduleSnapshotSchema, type SnapshotLesson } from '../modules/snapshot';
import { lessonParts, MATCH_START, MATCH_STOP } from './plain-text';
import * as repo from './repository';

export type LookupService = ReturnType<typeof createLookupService>;

type Shelf = Awaited<ReturnType<LearnerService['shelf']>>;

/** A lesson's time as Today counts it, in whole minutes. */
const minutesOf = (lesson: SnapshotLesson) =>
  Math.max(1, Math.ceil(lessonTimeSeconds(lesson) / 60));

/**
 * Lessons to look up again: the lessons a learner may open (the learner service's rule: assigned,
 * published, opened, as their persona sees them), listed by module or searched by their words in
 * the learner's language. Reading them changes nothing: no progress, no scheduling.
 */
export function createLookupService({ db, learner }: { db: Database; learner: LearnerService }) {
  async function lookup(orgId: string, userId: string, query?: string): Promise<Lookup> {
    const shelf = await learner.shelf(orgId, userId);
    if (query === undefined) return { kind: 'modules', modules: shelf.modules.map(listed) };
    return { kind: 'matches', query, matches: await search(orgId, userId, shelf, query) };
  }

  function listed(m: Shelf['modules'][number]): LookupModule {
    return {
      moduleId: m.moduleId,
      title: m.title,
      lessons: m.lessons.map((l) => ({
        lessonId: l.id,
        title: l.title,
        done: l.done,
        minutes: minutesOf(l),
      })),
    };
  }

  async function search(orgId: string, userId: string, shelf: Shelf, query: string) {
    // Stemming follows the learner's language: modules and organisations have none of their own.
    const config =
      (await repo.userLocale(db, userId)) === 'en' ? 'rappel_english' : 'rappel_french';
    const versionIds = await indexedVersions(orgId, shelf, config);
    const rows = await repo.search(db, {
      orgId,
      config,
      versionIds: [...versionIds.keys()],
      lessonIds: shelf.modules.flatMap((m) => m.lessons.map((l) => l.id)),
      personaId: shelf.personaId,
      query,
      limit: LOOKUP_MATCH_LIMIT,
    });
    return rows.flatMap((row): LookupMatch[] => {
      const module = versionIds.get(row.moduleVersionId);
      const lesson = module?.lessons.find((l) => l.id === row.lessonId);
      if (!module || !lesson) return [];
      return [
        {
          moduleId: module.moduleId,
          moduleTitle: module.title,
          lessonId: lesson.id,
          lessonTitle: lesson.title,
          done: lesson.done,
          excerpt: excerptParts(row.excerpt, MATCH_START, MATCH_STOP),
        },
      ];
    });
  }

  /**
   * The ids of the versions the learner is served, each with its module; indexes in `config`
   * those not indexed yet (a version never changes once published, so once is enough).
   */
  async function indexedVersions(orgId: string, shelf: Shelf, config: repo.SearchConfig) {
    const served = new Map(shelf.modules.map((m) => [m.moduleId, m]));
    const versions = (await repo.listVersions(db, orgId, [...served.keys()], config)).filter(
      (v) => served.get(v.moduleId)?.version === v.version,
    );
    for (const v of versions.filter((v) => !v.indexed)) {
      const { lessons } = moduleSnapshotSchema.parse(await repo.versionContent(db, orgId, v.id));
      await repo.insertParts(db, orgId, v.id, config, lessons.flatMap(lessonParts));
    }
    return new Map(versions.map((v) => [v.id, served.get(v.moduleId)!]));
  }

  return { lookup };
}
