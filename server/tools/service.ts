import {
  type CreateProcessBody,
  type CreateToolBody,
  nextUseDates,
  type Process,
  type Tool,
  type ToolDetail,
  type UpdateProcessBody,
  type UpdateToolBody,
} from '../../shared/tools';
import type { Database } from '../db/client';
import type { Clock } from '../lib/clock';
import {
  ConflictError,
  isForeignKeyViolation,
  isUniqueViolation,
  NotFoundError,
} from '../lib/errors';
import * as repo from './repository';

export type ToolService = ReturnType<typeof createToolService>;

function duplicate(what: 'tool' | 'process') {
  return (err: unknown): never => {
    if (isUniqueViolation(err)) {
      const where = what === 'tool' ? '' : ' in this tool';
      throw new ConflictError(`A ${what} with this name already exists${where}.`);
    }
    throw err;
  };
}

/** Tools being adopted and their processes, with the dates a process is next used. */
export function createToolService({ db, clock }: { db: Database; clock: Clock }) {
  async function summary(orgId: string, id: string): Promise<Tool> {
    const [tool] = await repo.listTools(db, orgId, id);
    if (!tool) throw new NotFoundError('Tool');
    return tool;
  }

  async function get(orgId: string, id: string): Promise<ToolDetail> {
    const tool = await summary(orgId, id);
    return { ...tool, processes: await repo.listProcesses(db, orgId, id) };
  }

  async function getProcess(orgId: string, id: string): Promise<Process> {
    const process = await repo.findProcess(db, orgId, id);
    if (!process) throw new NotFoundError('Process');
    return process;
  }

  return {
    list: (orgId: string): Promise<Tool[]> => repo.listTools(db, orgId),
    get,

    async create(orgId: string, body: CreateToolBody): Promise<ToolDetail> {
      const row = await repo.insertTool(db, orgId, body, clock.now()).catch(duplicate('tool'));
      return { ...row, processCount: 0, processes: [] };
    },

    async update(orgId: string, id: string, body: UpdateToolBody): Promise<ToolDetail> {
      const row = await repo.updateTool(db, orgId, id, body, clock.now()).catch(duplicate('tool'));
      if (!row) throw new NotFoundError('Tool');
      return get(orgId, id);
    },

    /** Deletes a tool and its processes. */
    async remove(orgId: string, id: string) {
      if (!(await repo.deleteTool(db, orgId, id))) throw new NotFoundError('Tool');
    },

    async createProcess(orgId: string, toolId: string, body: CreateProcessBody): Promise<Process> {
      await summary(orgId, toolId);
      return repo.insertProcess(db, orgId, toolId, body, clock.now()).catch((err: unknown) => {
        // The tool was deleted in the meantime.
        if (isForeignKeyViolation(err)) throw new NotFoundError('Tool');
        return duplicate('process')(err);
      });
    },

    async updateProcess(orgId: string, id: string, body: UpdateProcessBody): Promise<Process> {
      const row = await repo
        .updateProcess(db, orgId, id, body, clock.now())
        .catch(duplicate('process'));
      if (!row) throw new NotFoundError('Process');
      return row;
    },

    async removeProcess(orgId: string, id: string) {
      if (!(await repo.deleteProcess(db, orgId, id))) throw new NotFoundError('Process');
    },

    /** The next `count` use dates from `from` (default: today, UTC). */
    async nextUses(orgId: string, id: string, count: number, from?: string) {
      const process = await getProcess(orgId, id);
      const start = from ?? clock.now().toISOString().slice(0, 10);
      return { dates: nextUseDates(process.nextUse, start, count) };
    },
  };
}
