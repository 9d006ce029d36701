import type { ErrorIssue } from '../../shared/common';
import {
  type CreateModuleBody,
  type ModuleChanges,
  type ModuleDetail,
  type ModuleListQuery,
  type ModuleSummary,
  type PublishProblem,
  publishProblems,
  type UpdateModuleBody,
} from '../../shared/modules';
import { syncTargetAssignments } from '../assignments/sync';
import type { Database, Executor } from '../db/client';
import type { Clock } from '../lib/clock';
import { AppError, ConflictError, NotFoundError } from '../lib/errors';
import { readDetail, readSummaries, workingSnapshot } from './content';
import { replacePublishedCards } from './published-cards';
import { checkModuleRefs } from './refs';
import * as repo from './repository';
import type { ModuleRow } from './repository';
import { diffSnapshots, type ModuleSnapshot, moduleSnapshotSchema } from './snapshot';

export type ModuleService = ReturnType<typeof createModuleService>;

const problemMessages: Record<PublishProblem['code'], string> = {
  'no-lessons': 'Add at least one lesson.',
  'lesson-empty': 'This lesson has no content yet.',
  'text-empty': 'This text is empty.',
  'image-missing': 'Upload the image.',
  'image-alt-missing': 'Describe the image for people who cannot see it.',
  'video-url-missing': 'Paste the link to the video.',
  'steps-empty': 'Every step needs its text.',
  'task-empty': 'Say what to do in the tool and how to check it worked.',
};

/** 409 NOT_READY with one issue per problem, at `[lessonId, blockId]` where there is one. */
function notReady(problems: PublishProblem[]) {
  const issues: ErrorIssue[] = problems.map((p) => ({
    path: [p.lessonId, p.blockId].filter((id): id is string => id !== null),
    message: problemMessages[p.code],
    code: p.code,
  }));
  return new AppError(
    'NOT_READY',
    409,
    'The module is not ready to publish yet: fix the problems listed.',
    issues,
  );
}

async function readSnapshot(db: Executor, orgId: string, moduleId: string) {
  const row = await repo.latestVersion(db, orgId, moduleId);
  return row ? moduleSnapshotSchema.parse(row.content) : null;
}

/** Refuses a status change the module's life cycle does not allow. */
function checkStatusChange(module: ModuleRow, status: 'published' | 'archived') {
  if (status === 'archived' && module.status !== 'published') {
    throw new ConflictError('Only a published module can be archived.');
  }
  if (status === 'published' && module.status !== 'archived') {
    throw new ConflictError(
      module.status === 'draft'
        ? 'Publish the module to make it available.'
        : 'This module is already published.',
    );
  }
}

/**
 * Modules: the working copy header, its targets, and its life cycle draft → published →
 * archived. Publishing freezes the working copy as a numbered version that learners follow.
 */
export function createModuleService({ db, clock }: { db: Database; clock: Clock }) {
  async function get(orgId: string, id: string, executor: Executor = db): Promise<ModuleDetail> {
    const detail = await readDetail(executor, orgId, id);
    if (!detail) throw new NotFoundError('Module');
    return detail;
  }

  async function locked(tx: Executor, orgId: string, id: string) {
    const module = await repo.lockModule(tx, orgId, id);
    if (!module) throw new NotFoundError('Module');
    return module;
  }

  return {
    list: (orgId: string, query: ModuleListQuery): Promise<ModuleSummary[]> =>
      readSummaries(db, orgId, query),
    get: (orgId: string, id: string) => get(orgId, id),

    async create(orgId: string, body: CreateModuleBody): Promise<ModuleDetail> {
      return db.transaction(async (tx) => {
        await checkModuleRefs(tx, orgId, body);
        const { jobRoleIds, teamIds, ...values } = body;
        const row = await repo.insertModule(tx, orgId, values, clock.now());
        await repo.setTargets(tx, row.id, { jobRoleIds, teamIds });
        return get(orgId, row.id, tx);
      });
    },

    /**
     * Changes the header and targets (a content change: the working copy now differs from the
     * published version), the desired retention (not content: the next answers use it, published
     * or not) and/or the status: archive a published module, or publish an archived one again,
     * which serves its latest version again.
     */
    async update(orgId: string, id: string, body: UpdateModuleBody): Promise<ModuleDetail> {
      return db.transaction(async (tx) => {
        const module = await locked(tx, orgId, id);
        const { status, jobRoleIds, teamIds, desiredRetention, ...fields } = body;
        if (status) checkStatusChange(module, status);
        const edits = Object.keys(fields).length > 0 || jobRoleIds || teamIds;
        if (edits) {
          await checkModuleRefs(tx, orgId, {
            toolId: fields.toolId ?? module.toolId,
            processId: fields.processId === undefined ? module.processId : fields.processId,
            jobRoleIds,
            teamIds,
          });
          await repo.setTargets(tx, id, { jobRoleIds, teamIds });
        }
        await repo.updateModule(tx, orgId, id, {
          ...fields,
          ...(desiredRetention === undefined ? {} : { desiredRetention }),
          ...(status ? { status } : {}),
          ...(edits ? { hasUnpublishedChanges: true } : {}),
          updatedAt: clock.now(),
        });
        // Targets apply to learners at once; a restored module reaches those who joined since.
        if ((jobRoleIds || teamIds || status) && (status ?? module.status) === 'published') {
          await syncTargetAssignments(tx, orgId, { moduleId: id }, clock.now());
        }
        return get(orgId, id, tx);
      });
    },

    /** Deletes a module that was never published; a published one must be archived instead. */
    async remove(orgId: string, id: string) {
      await db.transaction(async (tx) => {
        const module = await locked(tx, orgId, id);
        if (module.version !== null) {
          throw new ConflictError(
            'This module has been published: learners may have followed it. Archive it instead.',
            'IN_USE',
          );
        }
        await repo.deleteModule(tx, orgId, id);
      });
    },

    /** What publishing now would change, and what keeps it from being published. */
    async changes(orgId: string, id: string): Promise<ModuleChanges> {
      const module = (await repo.listModules(db, orgId, { id }))[0];
      if (!module) throw new NotFoundError('Module');
      const [now, then] = await Promise.all([
        workingSnapshot(db, orgId, module),
        readSnapshot(db, orgId, id),
      ]);
      return {
        nextVersion: (module.version ?? 0) + 1,
        ...diffSnapshots(now, then),
        problems: publishProblems(now.lessons),
      };
    },

    /**
     * Freezes the working copy as the next version and serves it to learners. One transaction
     * with the module row locked, so no edit lands between the snapshot and the version number.
     */
    async publish(orgId: string, id: string, userId: string): Promise<ModuleDetail> {
      return db.transaction(async (tx) => {
        const module = await locked(tx, orgId, id);
        if (module.version !== null && !module.hasUnpublishedChanges) {
          const restore = module.status === 'archived' ? ' Restore it instead.' : '';
          throw new ConflictError(
            `Nothing changed since version ${module.version}: there is nothing to publish.${restore}`,
          );
        }
        const snapshot: ModuleSnapshot = await workingSnapshot(tx, orgId, module);
        const problems = publishProblems(snapshot.lessons);
        if (problems.length) throw notReady(problems);
        const version = (module.version ?? 0) + 1;
        const now = clock.now();
        await repo.insertVersion(tx, orgId, {
          moduleId: id,
          version,
          content: snapshot,
          publishedAt: now,
          publishedBy: userId,
        });
        await repo.updateModule(tx, orgId, id, {
          status: 'published',
          version,
          publishedAt: now,
          hasUnpublishedChanges: false,
          updatedAt: now,
        });
        await replacePublishedCards(tx, orgId, id, version, snapshot);
        await syncTargetAssignments(tx, orgId, { moduleId: id }, now);
        return get(orgId, id, tx);
      });
    },
  };
}
