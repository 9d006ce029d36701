/**
 * Reads modules, lessons and cards as the API answers them, and the working copy as a snapshot.
 * Every function takes the executor, so services call them inside their transactions too.
 */
import {
  type Card,
  estimateLessonSeconds,
  type Lesson,
  type LessonSummary,
  type ModuleDetail,
  type ModuleSummary,
} from '../../shared/modules';
import type { Executor } from '../db/client';
import * as personaRepo from '../personas/repository';
import * as lessonRepo from './lesson-repository';
import type { CardRow, LessonRow } from './lesson-repository';
import * as repo from './repository';
import type { ModuleFilter, ModuleRow } from './repository';
import type { ModuleSnapshot, SnapshotCard } from './snapshot';

export function toCard(row: CardRow): Card {
  return {
    ...row.content,
    id: row.id,
    lessonId: row.lessonId,
    position: row.position,
    expectedSeconds: row.expectedSeconds,
    effectiveExpectedSeconds: row.effectiveExpectedSeconds,
    updatedAt: row.updatedAt,
  } as Card;
}

export function toLesson(row: LessonRow, cardRows: CardRow[]): Lesson {
  return {
    id: row.id,
    moduleId: row.moduleId,
    title: row.title,
    position: row.position,
    personaIds: row.personaIds,
    blocks: row.blocks,
    cards: cardRows.map(toCard),
    updatedAt: row.updatedAt,
  };
}

/** A lesson with its cards in order. */
export async function readLesson(db: Executor, orgId: string, row: LessonRow): Promise<Lesson> {
  return toLesson(row, await lessonRepo.listCards(db, orgId, { lessonId: row.id }));
}

const tally = (rows: { moduleId: string; n: number }[]) =>
  new Map(rows.map((r) => [r.moduleId, r.n]));

function groupIds(rows: { moduleId: string; id: string }[]) {
  const map = new Map<string, string[]>();
  for (const { moduleId, id } of rows) map.set(moduleId, [...(map.get(moduleId) ?? []), id]);
  return map;
}

/** Modules with their targets and counts, by title. */
export async function readSummaries(
  db: Executor,
  orgId: string,
  filter: ModuleFilter = {},
): Promise<ModuleSummary[]> {
  const rows = await repo.listModules(db, orgId, filter);
  const ids = rows.map((r) => r.id);
  const [targets, counts] = await Promise.all([
    repo.listTargets(db, ids),
    repo.countContent(db, orgId, ids),
  ]);
  const roles = groupIds(targets.jobRoles);
  const teams = groupIds(targets.teams);
  const lessonCounts = tally(counts.lessons);
  const cardCounts = tally(counts.cards);
  return rows.map(({ orgId: _org, ...row }) => ({
    ...row,
    jobRoleIds: roles.get(row.id) ?? [],
    teamIds: teams.get(row.id) ?? [],
    lessonCount: lessonCounts.get(row.id) ?? 0,
    cardCount: cardCounts.get(row.id) ?? 0,
  }));
}

/** One module with its lessons in order; undefined when the organisation has no such module. */
export async function readDetail(
  db: Executor,
  orgId: string,
  id: string,
): Promise<ModuleDetail | undefined> {
  const [summary] = await readSummaries(db, orgId, { id });
  if (!summary) return undefined;
  const [lessonRows, cardRows, personas] = await Promise.all([
    lessonRepo.listLessons(db, orgId, id),
    lessonRepo.listCards(db, orgId, { moduleId: id }),
    personaRepo.listPersonas(db, orgId),
  ]);
  const personaIds = personas.map((p) => p.id);
  const cardCounts = new Map<string, number>();
  for (const c of cardRows) cardCounts.set(c.lessonId, (cardCounts.get(c.lessonId) ?? 0) + 1);
  const lessons = lessonRows.map((l): LessonSummary => ({
    id: l.id,
    title: l.title,
    position: l.position,
    personaIds: l.personaIds,
    blockCount: l.blocks.length,
    cardCount: cardCounts.get(l.id) ?? 0,
    estimatedSeconds: estimateLessonSeconds(l, personaIds),
  }));
  return { ...summary, lessons };
}

function snapshotCard(row: CardRow): SnapshotCard {
  return {
    ...row.content,
    id: row.id,
    expectedSeconds: row.expectedSeconds,
    effectiveExpectedSeconds: row.effectiveExpectedSeconds,
  } as SnapshotCard;
}

/** The working copy of a module in the shape of a published version. */
export async function workingSnapshot(
  db: Executor,
  orgId: string,
  module: ModuleRow,
): Promise<ModuleSnapshot> {
  const [targets, lessonRows, cardRows] = await Promise.all([
    repo.listTargets(db, [module.id]),
    lessonRepo.listLessons(db, orgId, module.id),
    lessonRepo.listCards(db, orgId, { moduleId: module.id }),
  ]);
  const sorted = (rows: { id: string }[]) => rows.map((r) => r.id).sort();
  return {
    module: {
      title: module.title,
      summary: module.summary,
      toolId: module.toolId,
      processId: module.processId,
      jobRoleIds: sorted(targets.jobRoles),
      teamIds: sorted(targets.teams),
      estimatedMinutes: module.estimatedMinutes,
      criticality: module.criticality,
    },
    lessons: lessonRows.map((l) => ({
      id: l.id,
      title: l.title,
      personaIds: l.personaIds,
      blocks: l.blocks,
      cards: cardRows.filter((c) => c.lessonId === l.id).map(snapshotCard),
    })),
  };
}
