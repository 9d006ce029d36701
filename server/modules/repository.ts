import { and, asc, count, desc, eq, exists, getTableColumns, inArray, sql } from 'drizzle-orm';
import type { Criticality, ModuleStatus } from '../../shared/modules';
import type { Executor } from '../db/client';
import {
  assets,
  cards,
  jobRoles,
  lessons,
  moduleJobRoles,
  modules,
  moduleTeams,
  moduleVersions,
  processes,
  teams,
  tools,
} from '../db/schema';

export type ModuleRow = typeof modules.$inferSelect;

export interface ModuleValues {
  title: string;
  summary: string;
  toolId: string;
  processId: string | null;
  estimatedMinutes: number;
  criticality: Criticality;
  /** Null: the persona's, else the organisation's desired retention applies. */
  desiredRetention?: number | null;
}

export interface ModuleFilter {
  id?: string;
  toolId?: string;
  jobRoleId?: string;
  status?: ModuleStatus;
}

/** The organisation's modules by title (case-insensitively) with their tool and process names. */
export async function listModules(db: Executor, orgId: string, filter: ModuleFilter = {}) {
  const { id, toolId, jobRoleId, status } = filter;
  const targetsRole = (roleId: string) =>
    exists(
      db
        .select({ one: sql`1` })
        .from(moduleJobRoles)
        .where(and(eq(moduleJobRoles.moduleId, modules.id), eq(moduleJobRoles.jobRoleId, roleId))),
    );
  return db
    .select({ ...getTableColumns(modules), toolName: tools.name, processName: processes.name })
    .from(modules)
    .innerJoin(tools, eq(tools.id, modules.toolId))
    .leftJoin(processes, eq(processes.id, modules.processId))
    .where(
      and(
        eq(modules.orgId, orgId),
        id ? eq(modules.id, id) : undefined,
        toolId ? eq(modules.toolId, toolId) : undefined,
        status ? eq(modules.status, status) : undefined,
        jobRoleId ? targetsRole(jobRoleId) : undefined,
      ),
    )
    .orderBy(asc(sql`lower(${modules.title})`), asc(modules.id));
}

/** The job roles and teams each module targets (ids of the organisation's modules only). */
export async function listTargets(db: Executor, moduleIds: string[]) {
  if (moduleIds.length === 0) return { jobRoles: [], teams: [] };
  const [roleRows, teamRows] = await Promise.all([
    db
      .select({ moduleId: moduleJobRoles.moduleId, id: moduleJobRoles.jobRoleId })
      .from(moduleJobRoles)
      .where(inArray(moduleJobRoles.moduleId, moduleIds)),
    db
      .select({ moduleId: moduleTeams.moduleId, id: moduleTeams.teamId })
      .from(moduleTeams)
      .where(inArray(moduleTeams.moduleId, moduleIds)),
  ]);
  return { jobRoles: roleRows, teams: teamRows };
}

/** How many lessons and cards each module has. */
export async function countContent(db: Executor, orgId: string, moduleIds: string[]) {
  if (moduleIds.length === 0) return { lessons: [], cards: [] };
  const [lessonRows, cardRows] = await Promise.all([
    db
      .select({ moduleId: lessons.moduleId, n: count() })
      .from(lessons)
      .where(and(eq(lessons.orgId, orgId), inArray(lessons.moduleId, moduleIds)))
      .groupBy(lessons.moduleId),
    db
      .select({ moduleId: cards.moduleId, n: count() })
      .from(cards)
      .where(and(eq(cards.orgId, orgId), inArray(cards.moduleId, moduleIds)))
      .groupBy(cards.moduleId),
  ]);
  return { lessons: lessonRows, cards: cardRows };
}

export async function insertModule(db: Executor, orgId: string, values: ModuleValues, now: Date) {
  const [row] = await db
    .insert(modules)
    .values({ ...values, orgId, createdAt: now, updatedAt: now })
    .returning();
  return row!;
}

/** Replaces the job roles and teams a module targets (those given only). */
export async function setTargets(
  db: Executor,
  moduleId: string,
  targets: { jobRoleIds?: string[]; teamIds?: string[] },
) {
  const { jobRoleIds, teamIds } = targets;
  if (jobRoleIds) {
    await db.delete(moduleJobRoles).where(eq(moduleJobRoles.moduleId, moduleId));
    if (jobRoleIds.length) {
      await db
        .insert(moduleJobRoles)
        .values(jobRoleIds.map((jobRoleId) => ({ moduleId, jobRoleId })));
    }
  }
  if (teamIds) {
    await db.delete(moduleTeams).where(eq(moduleTeams.moduleId, moduleId));
    if (teamIds.length) {
      await db.insert(moduleTeams).values(teamIds.map((teamId) => ({ moduleId, teamId })));
    }
  }
}

type ModuleUpdate = Partial<
  ModuleValues &
    Pick<ModuleRow, 'status' | 'version' | 'publishedAt' | 'hasUnpublishedChanges' | 'updatedAt'>
>;

export async function updateModule(db: Executor, orgId: string, id: string, values: ModuleUpdate) {
  const [row] = await db
    .update(modules)
    .set(values)
    .where(and(eq(modules.orgId, orgId), eq(modules.id, id)))
    .returning();
  return row;
}

/**
 * Reads the module and locks its row until the transaction ends: every write to a module's
 * content takes this lock first, so writes to one module (and publishing) happen one at a time.
 */
export async function lockModule(db: Executor, orgId: string, id: string) {
  const [row] = await db
    .select()
    .from(modules)
    .where(and(eq(modules.orgId, orgId), eq(modules.id, id)))
    .for('update');
  return row;
}

export async function deleteModule(db: Executor, orgId: string, id: string) {
  const rows = await db
    .delete(modules)
    .where(and(eq(modules.orgId, orgId), eq(modules.id, id)))
    .returning({ id: modules.id });
  return rows.length > 0;
}

/** The content of the module's latest published version, or undefined. */
export async function latestVersion(db: Executor, orgId: string, moduleId: string) {
  const [row] = await db
    .select()
    .from(moduleVersions)
    .where(and(eq(moduleVersions.orgId, orgId), eq(moduleVersions.moduleId, moduleId)))
    .orderBy(desc(moduleVersions.version))
    .limit(1);
  return row;
}

export async function insertVersion(
  db: Executor,
  orgId: string,
  values: {
    moduleId: string;
    version: number;
    content: unknown;
    publishedAt: Date;
    publishedBy: string;
  },
) {
  const [row] = await db
    .insert(moduleVersions)
    .values({ ...values, orgId })
    .returning();
  return row!;
}

// ---- References a module or lesson may hold: which of the ids are the organisation's ----

async function existing(
  db: Executor,
  table: typeof jobRoles | typeof teams | typeof assets | typeof tools,
  orgId: string,
  ids: string[],
) {
  if (ids.length === 0) return new Set<string>();
  const rows = await db
    .select({ id: table.id })
    .from(table)
    .where(and(eq(table.orgId, orgId), inArray(table.id, ids)));
  return new Set(rows.map((r) => r.id));
}

export const existingJobRoleIds = (db: Executor, orgId: string, ids: string[]) =>
  existing(db, jobRoles, orgId, ids);
export const existingTeamIds = (db: Executor, orgId: string, ids: string[]) =>
  existing(db, teams, orgId, ids);
export const existingAssetIds = (db: Executor, orgId: string, ids: string[]) =>
  existing(db, assets, orgId, ids);
export const existingToolIds = (db: Executor, orgId: string, ids: string[]) =>
  existing(db, tools, orgId, ids);

/** The tool a process of the organisation belongs to, or undefined. */
export async function processTool(db: Executor, orgId: string, processId: string) {
  const [row] = await db
    .select({ toolId: processes.toolId })
    .from(processes)
    .where(and(eq(processes.orgId, orgId), eq(processes.id, processId)));
  return row?.toolId;
}
