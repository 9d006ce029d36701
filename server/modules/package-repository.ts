/**
 * Data access for portable module files: reading a module's working copy as one tree, and
 * writing an imported tree. Every function takes the organisation explicitly; none throws HTTP
 * errors.
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Block } from '../../shared/modules';
import type { Executor } from '../db/client';
import {
  cards,
  jobRoles,
  lessons,
  moduleJobRoles,
  modules,
  moduleTeams,
  personas,
  processes,
  teams,
  tools,
} from '../db/schema';
import type { CardContent } from '../db/schema/modules';

/** The module's fields with its tool's and process's names (undefined: no such module here). */
export async function readModuleHeader(db: Executor, orgId: string, moduleId: string) {
  const [row] = await db
    .select({
      title: modules.title,
      summary: modules.summary,
      estimatedMinutes: modules.estimatedMinutes,
      criticality: modules.criticality,
      desiredRetention: modules.desiredRetention,
      toolName: tools.name,
      toolDescription: tools.description,
      processName: processes.name,
      processDescription: processes.description,
      processNextUse: processes.nextUse,
      processUseDayTarget: processes.useDayTarget,
    })
    .from(modules)
    .innerJoin(tools, eq(tools.id, modules.toolId))
    .leftJoin(processes, eq(processes.id, modules.processId))
    .where(and(eq(modules.orgId, orgId), eq(modules.id, moduleId)));
  return row;
}

/** The names of the job roles and teams a module targets, alphabetically. */
export async function readTargetNames(db: Executor, moduleId: string) {
  const [roleRows, teamRows] = await Promise.all([
    db
      .select({ name: jobRoles.name })
      .from(moduleJobRoles)
      .innerJoin(jobRoles, eq(jobRoles.id, moduleJobRoles.jobRoleId))
      .where(eq(moduleJobRoles.moduleId, moduleId))
      .orderBy(asc(sql`lower(${jobRoles.name})`), asc(jobRoles.name)),
    db
      .select({ name: teams.name })
      .from(moduleTeams)
      .innerJoin(teams, eq(teams.id, moduleTeams.teamId))
      .where(eq(moduleTeams.moduleId, moduleId))
      .orderBy(asc(sql`lower(${teams.name})`), asc(teams.name)),
  ]);
  return { jobRoles: roleRows.map((r) => r.name), teams: teamRows.map((t) => t.name) };
}

/** The module's lessons in order, and all its cards in order within their lesson. */
export async function readLessonTree(db: Executor, orgId: string, moduleId: string) {
  const [lessonRows, cardRows] = await Promise.all([
    db
      .select({
        id: lessons.id,
        title: lessons.title,
        personaIds: lessons.personaIds,
        blocks: lessons.blocks,
      })
      .from(lessons)
      .where(and(eq(lessons.orgId, orgId), eq(lessons.moduleId, moduleId)))
      .orderBy(asc(lessons.position), asc(lessons.createdAt), asc(lessons.id)),
    db
      .select({
        id: cards.id,
        lessonId: cards.lessonId,
        content: cards.content,
        expectedSeconds: cards.expectedSeconds,
      })
      .from(cards)
      .where(and(eq(cards.orgId, orgId), eq(cards.moduleId, moduleId)))
      .orderBy(asc(cards.position), asc(cards.createdAt), asc(cards.id)),
  ]);
  return { lessons: lessonRows, cards: cardRows };
}

/** The organisation's personas among `ids`. */
export async function readPersonas(db: Executor, orgId: string, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db
    .select({
      id: personas.id,
      name: personas.name,
      description: personas.description,
      confidence: personas.confidence,
      device: personas.device,
      minutesPerDay: personas.minutesPerDay,
    })
    .from(personas)
    .where(and(eq(personas.orgId, orgId), inArray(personas.id, [...ids])));
}

// ---- Import: matching by name (as the unique indexes compare: lower()) ----

const byName = (column: AnyPgColumn, name: string) => sql`lower(${column}) = lower(${name})`;

export async function findToolByName(db: Executor, orgId: string, name: string) {
  const [row] = await db
    .select({ id: tools.id })
    .from(tools)
    .where(and(eq(tools.orgId, orgId), byName(tools.name, name)));
  return row;
}

export async function findProcessByName(db: Executor, orgId: string, toolId: string, name: string) {
  const [row] = await db
    .select({ id: processes.id })
    .from(processes)
    .where(
      and(eq(processes.orgId, orgId), eq(processes.toolId, toolId), byName(processes.name, name)),
    );
  return row;
}

export async function findPersonaByName(db: Executor, orgId: string, name: string) {
  const [row] = await db
    .select({ id: personas.id })
    .from(personas)
    .where(and(eq(personas.orgId, orgId), byName(personas.name, name)));
  return row;
}

/** The id of the organisation's team (or job role) called `name`, if any. */
export async function findTargetByName(
  db: Executor,
  kind: 'team' | 'jobRole',
  orgId: string,
  name: string,
) {
  const table = kind === 'team' ? teams : jobRoles;
  const [row] = await db
    .select({ id: table.id })
    .from(table)
    .where(and(eq(table.orgId, orgId), byName(table.name, name)));
  return row;
}

// ---- Import: writing the tree ----

export interface ModuleTree {
  module: {
    title: string;
    summary: string;
    estimatedMinutes: number;
    criticality: 'normal' | 'critical';
    desiredRetention: number | null;
    toolId: string;
    processId: string | null;
  };
  jobRoleIds: string[];
  teamIds: string[];
  lessons: {
    id: string;
    title: string;
    personaIds: string[];
    blocks: Block[];
    cards: {
      id: string;
      kind: CardContent['kind'];
      content: CardContent;
      expectedSeconds: number | null;
      effectiveExpectedSeconds: number;
    }[];
  }[];
}

/**
 * Inserts a new draft module with its targets, lessons and cards (ids chosen by the caller);
 * positions follow the order given. Answers the module's id.
 */
export async function insertModuleTree(db: Executor, orgId: string, tree: ModuleTree, now: Date) {
  const [row] = await db
    .insert(modules)
    .values({
      ...tree.module,
      orgId,
      status: 'draft',
      hasUnpublishedChanges: true,
      createdAt: now,
      updatedAt: now,
    })
    .returning({ id: modules.id });
  const moduleId = row!.id;
  if (tree.jobRoleIds.length) {
    await db
      .insert(moduleJobRoles)
      .values(tree.jobRoleIds.map((jobRoleId) => ({ moduleId, jobRoleId })));
  }
  if (tree.teamIds.length) {
    await db.insert(moduleTeams).values(tree.teamIds.map((teamId) => ({ moduleId, teamId })));
  }
  if (tree.lessons.length) {
    await db.insert(lessons).values(
      tree.lessons.map((lesson, position) => ({
        id: lesson.id,
        orgId,
        moduleId,
        position,
        title: lesson.title,
        personaIds: lesson.personaIds,
        blocks: lesson.blocks,
        createdAt: now,
        updatedAt: now,
      })),
    );
  }
  const cardRows = tree.lessons.flatMap((lesson) =>
    lesson.cards.map((card, position) => ({
      ...card,
      orgId,
      moduleId,
      lessonId: lesson.id,
      position,
      createdAt: now,
      updatedAt: now,
    })),
  );
  if (cardRows.length) await db.insert(cards).values(cardRows);
  return moduleId;
}
