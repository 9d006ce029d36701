/**
 * Portable module files (`rappel.module/1`, shared/module-package.ts): export a module's working
 * copy as one JSON document, import one into an organisation as a new draft.
 */
import { randomUUID } from 'node:crypto';
import type { ImportResult, ModulePackage } from '../../shared/module-package';
import type { Block } from '../../shared/modules';
import { storeImage } from '../assets/service';
import type { Database, Transaction } from '../db/client';
import type { Clock } from '../lib/clock';
import { ConflictError, isUniqueViolation } from '../lib/errors';
import * as personaRepo from '../personas/repository';
import * as toolRepo from '../tools/repository';
import { type CheckedPackage, checkPackage } from './package-check';
import { readPackage } from './package-export';
import * as repo from './package-repository';

export type ModulePackageService = ReturnType<typeof createModulePackageService>;

/** The importing organisation's tool and process for the file's names, created if missing. */
async function resolveTool(tx: Transaction, orgId: string, file: ModulePackage, now: Date) {
  const { tool, process } = file.module;
  let toolId = (await repo.findToolByName(tx, orgId, tool.name))?.id;
  const createdTool = !toolId;
  toolId ??= (
    await toolRepo.insertTool(
      tx,
      orgId,
      { name: tool.name, description: tool.description || null },
      now,
    )
  ).id;
  if (!process) return { toolId, processId: null, createdTool, createdProcess: false };
  let processId = (await repo.findProcessByName(tx, orgId, toolId, process.name))?.id;
  const createdProcess = !processId;
  processId ??= (
    await toolRepo.insertProcess(
      tx,
      orgId,
      toolId,
      {
        name: process.name,
        description: process.description || null,
        nextUse: process.nextUse ?? { kind: 'none' },
        useDayTarget: process.useDayTarget ?? null,
      },
      now,
    )
  ).id;
  return { toolId, processId, createdTool, createdProcess };
}

/** The organisation's job roles (or teams) for the file's names; the missing ones apart. */
async function resolveTargets(
  tx: Transaction,
  kind: 'team' | 'jobRole',
  orgId: string,
  names: string[],
) {
  const ids = new Set<string>();
  const unmatched: string[] = [];
  for (const name of names) {
    const found = await repo.findTargetByName(tx, kind, orgId, name);
    if (found) ids.add(found.id);
    else unmatched.push(name);
  }
  return { ids: [...ids], unmatched };
}

/** Maps the file's persona ids that lessons use to personas of the same name, created last. */
async function resolvePersonas(
  tx: Transaction,
  orgId: string,
  file: ModulePackage,
  used: string[],
  now: Date,
) {
  const map = new Map<string, string>();
  const created: string[] = [];
  for (const fileId of used) {
    const persona = file.personas.find((p) => p.id === fileId)!;
    const found = await repo.findPersonaByName(tx, orgId, persona.name);
    if (found) {
      map.set(fileId, found.id);
      continue;
    }
    const { id: _fileId, ...values } = persona;
    const position = await personaRepo.nextPosition(tx, orgId);
    const row = await personaRepo.insertPersona(tx, orgId, { ...values, position }, now);
    map.set(fileId, row.id);
    created.push(row.name);
  }
  return { map, created };
}

/** The lessons with new ids for lessons, blocks and cards, and references mapped. */
function remapLessons(
  checked: CheckedPackage,
  personaMap: Map<string, string>,
  assetMap: Map<string, string>,
): repo.ModuleTree['lessons'] {
  const personas = (ids: string[]) => [...new Set(ids.map((id) => personaMap.get(id)!))];
  const asset = (id: string | null) => (id ? assetMap.get(id)! : null);
  return checked.lessons.map((lesson) => ({
    id: randomUUID(),
    title: lesson.title,
    personaIds: personas(lesson.personaIds),
    blocks: lesson.blocks.map((block): Block => {
      const base = { id: randomUUID(), personaIds: personas(block.personaIds) };
      if (block.kind === 'image') return { ...block, ...base, assetId: asset(block.assetId) };
      if (block.kind === 'steps') {
        const steps = block.steps.map((s) => ({ ...s, assetId: asset(s.assetId) }));
        return { ...block, ...base, steps };
      }
      return { ...block, ...base };
    }),
    // Option ids are already new: the renderer gives every option an id of its own.
    cards: lesson.cards.map((card) => ({ id: randomUUID(), ...card })),
  }));
}

/** Module files: export of a working copy, import as a new draft. */
export function createModulePackageService({ db, clock }: { db: Database; clock: Clock }) {
  return {
    /**
     * The module's working copy as the trainer sees it now, as a module file: Markdown sources
     * only, the personas its variants use and its images inside. The same module always gives
     * the same file.
     */
    exportModule(orgId: string, moduleId: string) {
      // One snapshot, so an edit in between cannot give a file with a card of a deleted lesson.
      return db.transaction((tx) => readPackage(tx, orgId, moduleId), {
        isolationLevel: 'repeatable read',
        accessMode: 'read only',
      });
    },

    /**
     * Imports a module file as a new draft module in one transaction: a file that fails any
     * check changes nothing. The tool, process, job roles, teams and personas are matched by
     * name (case-insensitively); a missing tool, process or persona is created, a missing job
     * role or team is left out and reported. Lessons, blocks, cards and options get new ids.
     */
    async importModule(orgId: string, userId: string, file: ModulePackage): Promise<ImportResult> {
      const checked = checkPackage(file);
      const now = clock.now();
      return db
        .transaction(async (tx) => {
          const tool = await resolveTool(tx, orgId, file, now);
          const jobRoles = await resolveTargets(tx, 'jobRole', orgId, file.module.jobRoles);
          const teams = await resolveTargets(tx, 'team', orgId, file.module.teams);
          const personas = await resolvePersonas(tx, orgId, file, checked.usedPersonaIds, now);
          const assetMap = new Map<string, string>();
          for (const fileId of checked.usedImageIds) {
            const image = checked.images.get(fileId)!;
            assetMap.set(fileId, (await storeImage(tx, orgId, image, userId, now)).id);
          }
          const { title, summary, estimatedMinutes, criticality, desiredRetention } = file.module;
          const moduleId = await repo.insertModuleTree(
            tx,
            orgId,
            {
              module: {
                title,
                summary,
                estimatedMinutes,
                criticality,
                desiredRetention: desiredRetention ?? null,
                toolId: tool.toolId,
                processId: tool.processId,
              },
              jobRoleIds: jobRoles.ids,
              teamIds: teams.ids,
              lessons: remapLessons(checked, personas.map, assetMap),
            },
            now,
          );
          return {
            moduleId,
            unmatchedJobRoles: jobRoles.unmatched,
            unmatchedTeams: teams.unmatched,
            createdPersonas: personas.created,
            createdTool: tool.createdTool,
            createdProcess: tool.createdProcess,
          };
        })
        .catch((err: unknown) => {
          // Someone created a tool, process or persona of the same name at the same moment.
          if (isUniqueViolation(err)) {
            throw new ConflictError('Something of the same name was just created; try again.');
          }
          throw err;
        });
    },
  };
}
