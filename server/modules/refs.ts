/**
 * Checks that the ids a module or lesson body names are rows of the same organisation, so a
 * trainer can never point at another organisation's tool, job role, persona or image. Each
 * refusal is a 400 with the issue at the field, never a 404 or a database error.
 */
import type { ErrorIssue } from '../../shared/common';
import type { BlockSource } from '../../shared/modules';
import type { Executor } from '../db/client';
import { ValidationError } from '../lib/errors';
import * as personaRepo from '../personas/repository';
import * as repo from './repository';

type Path = (string | number)[];

function fail(issues: ErrorIssue[]): void {
  if (issues.length) throw new ValidationError('Some fields are invalid.', issues);
}

/** Issues for each id of `ids` not in `known`, at `[...at, index]`. */
function unknownAt(ids: readonly string[], known: ReadonlySet<string>, at: Path, message: string) {
  return ids.flatMap((id, i) => (known.has(id) ? [] : [{ path: [...at, i], message }]));
}

/** The tool, process, job roles and teams of a module (those given). */
export async function checkModuleRefs(
  db: Executor,
  orgId: string,
  refs: { toolId: string; processId: string | null; jobRoleIds?: string[]; teamIds?: string[] },
) {
  const issues: ErrorIssue[] = [];
  const [tools, processTool, roles, teams] = await Promise.all([
    repo.existingToolIds(db, orgId, [refs.toolId]),
    refs.processId ? repo.processTool(db, orgId, refs.processId) : undefined,
    repo.existingJobRoleIds(db, orgId, refs.jobRoleIds ?? []),
    repo.existingTeamIds(db, orgId, refs.teamIds ?? []),
  ]);
  if (!tools.has(refs.toolId)) {
    issues.push({ path: ['toolId'], message: 'No such tool in this organisation.' });
  }
  if (refs.processId && processTool !== refs.toolId) {
    issues.push({ path: ['processId'], message: 'No such process in this tool.' });
  }
  issues.push(
    ...unknownAt(refs.jobRoleIds ?? [], roles, ['jobRoleIds'], 'No such job role here.'),
    ...unknownAt(refs.teamIds ?? [], teams, ['teamIds'], 'No such team here.'),
  );
  fail(issues);
}

interface AssetRef {
  assetId: string;
  path: Path;
}

function assetRefs(blocks: readonly BlockSource[]): AssetRef[] {
  return blocks.flatMap((block, i): AssetRef[] => {
    if (block.kind === 'image' && block.assetId) {
      return [{ assetId: block.assetId, path: ['blocks', i, 'assetId'] }];
    }
    if (block.kind !== 'steps') return [];
    return block.steps.flatMap((step, j) =>
      step.assetId ? [{ assetId: step.assetId, path: ['blocks', i, 'steps', j, 'assetId'] }] : [],
    );
  });
}

/**
 * The personas and images a lesson names. `keptPersonaIds` are the persona ids the lesson
 * already holds: a persona deleted since stays accepted there (it is ignored when the lesson is
 * shown), so that autosave never fails because of someone else's deletion.
 */
export async function checkLessonRefs(
  db: Executor,
  orgId: string,
  lesson: { personaIds?: string[]; blocks?: BlockSource[] },
  keptPersonaIds: ReadonlySet<string> = new Set(),
) {
  const blocks = lesson.blocks ?? [];
  const assets = assetRefs(blocks);
  const named = [...(lesson.personaIds ?? []), ...blocks.flatMap((b) => b.personaIds)];
  const [personas, known] = await Promise.all([
    personaRepo.existingPersonaIds(db, orgId, [...new Set(named)]),
    repo.existingAssetIds(db, orgId, [...new Set(assets.map((a) => a.assetId))]),
  ]);
  const personaOk = new Set([...personas, ...keptPersonaIds]);
  const noPersona = 'No such persona in this organisation.';
  fail([
    ...unknownAt(lesson.personaIds ?? [], personaOk, ['personaIds'], noPersona),
    ...blocks.flatMap((b, i) =>
      unknownAt(b.personaIds, personaOk, ['blocks', i, 'personaIds'], noPersona),
    ),
    ...assets
      .filter((a) => !known.has(a.assetId))
      .map((a) => ({
        path: a.path,
        message: 'No such image in this organisation: upload it again.',
      })),
  ]);
}
