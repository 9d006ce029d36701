import { and, asc, count, eq, sql } from 'drizzle-orm';
import type { NextUse } from '../../shared/tools';
import type { Executor } from '../db/client';
import { modules, processes, tools } from '../db/schema';

export interface ToolValues {
  name: string;
  description: string | null;
}

export interface ProcessValues extends ToolValues {
  nextUse: NextUse;
  /** Absent or null: the default target. */
  useDayTarget?: number | null;
}

/** The organisation's tools by name, with their process counts; one tool when `id` is given. */
export async function listTools(db: Executor, orgId: string, id?: string) {
  return db
    .select({
      id: tools.id,
      name: tools.name,
      description: tools.description,
      processCount: count(processes.id),
      createdAt: tools.createdAt,
      updatedAt: tools.updatedAt,
    })
    .from(tools)
    .leftJoin(processes, eq(processes.toolId, tools.id))
    .where(and(eq(tools.orgId, orgId), id ? eq(tools.id, id) : undefined))
    .groupBy(tools.id)
    .orderBy(asc(sql`lower(${tools.name})`));
}

export async function insertTool(db: Executor, orgId: string, values: ToolValues, now: Date) {
  const [row] = await db
    .insert(tools)
    .values({ ...values, orgId, createdAt: now, updatedAt: now })
    .returning();
  return row!;
}

export async function updateTool(
  db: Executor,
  orgId: string,
  id: string,
  values: Partial<ToolValues>,
  now: Date,
) {
  const [row] = await db
    .update(tools)
    .set({ ...values, updatedAt: now })
    .where(and(eq(tools.orgId, orgId), eq(tools.id, id)))
    .returning({ id: tools.id });
  return row;
}

/** Deletes the tool; its processes go with it (foreign key cascade). */
export async function deleteTool(db: Executor, orgId: string, id: string) {
  const rows = await db
    .delete(tools)
    .where(and(eq(tools.orgId, orgId), eq(tools.id, id)))
    .returning({ id: tools.id });
  return rows.length > 0;
}

const processColumns = {
  id: processes.id,
  toolId: processes.toolId,
  name: processes.name,
  description: processes.description,
  nextUse: processes.nextUse,
  useDayTarget: processes.useDayTarget,
  createdAt: processes.createdAt,
  updatedAt: processes.updatedAt,
};

/** A tool's processes by name. */
export async function listProcesses(db: Executor, orgId: string, toolId: string) {
  return db
    .select(processColumns)
    .from(processes)
    .where(and(eq(processes.orgId, orgId), eq(processes.toolId, toolId)))
    .orderBy(asc(sql`lower(${processes.name})`));
}

export async function findProcess(db: Executor, orgId: string, id: string) {
  const [row] = await db
    .select(processColumns)
    .from(processes)
    .where(and(eq(processes.orgId, orgId), eq(processes.id, id)));
  return row;
}

export async function insertProcess(
  db: Executor,
  orgId: string,
  toolId: string,
  values: ProcessValues,
  now: Date,
) {
  const [row] = await db
    .insert(processes)
    .values({ ...values, orgId, toolId, createdAt: now, updatedAt: now })
    .returning(processColumns);
  return row!;
}

export async function updateProcess(
  db: Executor,
  orgId: string,
  id: string,
  values: Partial<ProcessValues>,
  now: Date,
) {
  const [row] = await db
    .update(processes)
    .set({ ...values, updatedAt: now })
    .where(and(eq(processes.orgId, orgId), eq(processes.id, id)))
    .returning(processColumns);
  return row;
}

export async function deleteProcess(db: Executor, orgId: string, id: string) {
  const rows = await db
    .delete(processes)
    .where(and(eq(processes.orgId, orgId), eq(processes.id, id)))
    .returning({ id: processes.id });
  return rows.length > 0;
}

/** How many modules (of any status) are about the tool or the process. */
export async function countModules(
  db: Executor,
  orgId: string,
  of: { toolId: string } | { processId: string },
) {
  const about =
    'toolId' in of ? eq(modules.toolId, of.toolId) : eq(modules.processId, of.processId);
  const [row] = await db
    .select({ n: count() })
    .from(modules)
    .where(and(eq(modules.orgId, orgId), about));
  return row?.n ?? 0;
}
