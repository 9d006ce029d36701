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
import { byName } from '../../shared/names';
import type { Database } from '../db/client';
import type { Clock } from '../lib/clock';
import {
  ConflictError,
  isForeignKeyViolation,
  isUniqueViolation,
  NotFoundError,
} from '../lib/errors';
import { loadCalendar } from '../calendar/service';
import { localDate } from '../lib/zoned-day';
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

function inUse(what: 'tool' | 'process', modules: number) {
  return new ConflictError(
    `This ${what} is used by ${modules} module(s). Move or delete those modules first ` +
      '(archived modules count too).',
    'IN_USE',
  );
}

/** Deletes with `remove`; a module still using the row (even one added meanwhile) is IN_USE. */
async function removeUnused(
  remove: () => Promise<boolean>,
  uses: () => Promise<number>,
  what: 'tool' | 'process',
) {
  const before = await uses();
  if (before > 0) throw inUse(what, before);
  try {
    if (!(await remove())) throw new NotFoundError(what === 'tool' ? 'Tool' : 'Process');
  } catch (err) {
    if (isForeignKeyViolation(err)) throw inUse(what, await uses());
    throw err;
  }
}

/** The tool page lists its processes as people read names ("Step 2" before "Step 10"). */
const byProcessName = byName<{ id: string; name: string }>(
  (p) => p.name,
  (p) => p.id,
);

/** Tools being adopted and their processes, with the dates a process is next used. */
export function createToolService({ db, clock }: { db: Database; clock: Clock }) {
  async function summary(orgId: string, id: string): Promise<Tool> {
    const [tool] = await repo.listTools(db, orgId, id);
    if (!tool) throw new NotFoundError('Tool');
    return tool;
  }

  async function get(orgId: string, id: string): Promise<ToolDetail> {
    const tool = await summary(orgId, id);
    const processes = await repo.listProcesses(db, orgId, id);
    return { ...tool, processes: processes.sort(byProcessName) };
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

    /** Deletes a tool and its processes; refused while modules are about it. */
    remove: (orgId: string, id: string) =>
      removeUnused(
        () => repo.deleteTool(db, orgId, id),
        () => repo.countModules(db, orgId, { toolId: id }),
        'tool',
      ),

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

    /** Deletes a process; refused while modules are about it. */
    removeProcess: (orgId: string, id: string) =>
      removeUnused(
        () => repo.deleteProcess(db, orgId, id),
        () => repo.countModules(db, orgId, { processId: id }),
        'process',
      ),

    /**
     * The next `count` use dates from `from` (default: today in the organisation's zone), on
     * the organisation's working days.
     */
    async nextUses(orgId: string, id: string, count: number, from?: string) {
      const process = await getProcess(orgId, id);
      const calendar = await loadCalendar(db, orgId);
      if (!calendar) throw new NotFoundError('Process');
      const start = from ?? localDate(clock.now(), calendar.timeZone);
      return { dates: nextUseDates(calendar, process.nextUse, start, count) };
    },
  };
}
