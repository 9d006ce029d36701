import { and, eq, inArray, lte, sql } from 'drizzle-orm';
import { type BoundStatement, type Executor, type HotTransaction, statement } from '../db/client';
import {
  assignments,
  cardStates,
  lessonProgress,
  modules,
  moduleVersions,
  processes,
  publishedCards,
  tools,
} from '../db/schema';

/**
 * The learner's assignments open at `now` (opens_at passed) of published modules, with the
 * content of the module's latest version. `lessonId` keeps the modules whose latest version
 * holds that lesson.
 */
export async function listOpenAssignments(
  db: Executor,
  orgId: string,
  userId: string,
  now: Date,
  filter: { moduleId?: string; lessonId?: string } = {},
) {
  const { moduleId, lessonId } = filter;
  return db
    .select({
      moduleId: assignments.moduleId,
      opensAt: assignments.opensAt,
      dueOn: assignments.dueOn,
      assignedAt: assignments.createdAt,
      version: moduleVersions.version,
      content: moduleVersions.content,
    })
    .from(assignments)
    .innerJoin(
      modules,
      and(
        eq(modules.id, assignments.moduleId),
        eq(modules.orgId, orgId),
        eq(modules.status, 'published'),
      ),
    )
    .innerJoin(
      moduleVersions,
      and(eq(moduleVersions.moduleId, modules.id), eq(moduleVersions.version, modules.version)),
    )
    .where(
      and(
        eq(assignments.orgId, orgId),
        eq(assignments.userId, userId),
        lte(assignments.opensAt, now),
        moduleId ? eq(assignments.moduleId, moduleId) : undefined,
        lessonId
          ? sql`${moduleVersions.content} -> 'lessons' @> ${JSON.stringify([{ id: lessonId }])}::jsonb`
          : undefined,
      ),
    );
}

/** Names of the organisation's tools among `ids`. */
export async function toolNames(db: Executor, orgId: string, ids: string[]) {
  if (ids.length === 0) return new Map<string, string>();
  const rows = await db
    .select({ id: tools.id, name: tools.name })
    .from(tools)
    .where(and(eq(tools.orgId, orgId), inArray(tools.id, ids)));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** The process each of `moduleIds` is about, with its next use; modules without one are left out. */
export async function moduleProcesses(db: Executor, orgId: string, moduleIds: string[]) {
  if (moduleIds.length === 0) return [];
  return db
    .select({
      moduleId: modules.id,
      processId: processes.id,
      processName: processes.name,
      nextUse: processes.nextUse,
    })
    .from(modules)
    .innerJoin(processes, eq(processes.id, modules.processId))
    .where(and(eq(modules.orgId, orgId), inArray(modules.id, moduleIds)));
}

/**
 * The learner's memory of the cards still in the published versions of `moduleIds`: a card
 * dropped from a module no longer comes back, so it counts nowhere.
 */
export async function listMemory(db: Executor, orgId: string, userId: string, moduleIds: string[]) {
  if (moduleIds.length === 0) return [];
  return db
    .select({
      cardId: cardStates.cardId,
      moduleId: cardStates.moduleId,
      due: cardStates.due,
      stability: cardStates.stability,
      lastReview: cardStates.lastReview,
      expectedSeconds: publishedCards.effectiveExpectedSeconds,
    })
    .from(cardStates)
    .innerJoin(
      publishedCards,
      and(
        eq(publishedCards.cardId, cardStates.cardId),
        eq(publishedCards.moduleId, cardStates.moduleId),
      ),
    )
    .where(
      and(
        eq(cardStates.orgId, orgId),
        eq(cardStates.userId, userId),
        inArray(cardStates.moduleId, moduleIds),
      ),
    );
}
export type MemoryRow = Awaited<ReturnType<typeof listMemory>>[number];

/** The published cards `cardIds` of the organisation, as learners answer them. */
export async function listPublishedCards(db: Executor, orgId: string, cardIds: string[]) {
  if (cardIds.length === 0) return [];
  return db
    .select()
    .from(publishedCards)
    .where(and(eq(publishedCards.orgId, orgId), inArray(publishedCards.cardId, cardIds)));
}

/** Where the learner is in the lessons of `moduleIds`. */
export async function listProgress(
  db: Executor,
  orgId: string,
  userId: string,
  moduleIds: string[],
) {
  if (moduleIds.length === 0) return [];
  return db
    .select({
      lessonId: lessonProgress.lessonId,
      position: lessonProgress.position,
      completedAt: lessonProgress.completedAt,
      knownAt: lessonProgress.knownAt,
    })
    .from(lessonProgress)
    .where(
      and(
        eq(lessonProgress.orgId, orgId),
        eq(lessonProgress.userId, userId),
        inArray(lessonProgress.moduleId, moduleIds),
      ),
    );
}
export type ProgressRow = Awaited<ReturnType<typeof listProgress>>[number];

/** Stores the resume position; `completed` sets the completion time once, never clears it. */
export async function saveProgress(
  db: Executor,
  values: {
    orgId: string;
    userId: string;
    moduleId: string;
    lessonId: string;
    position: number;
    completed: boolean;
    now: Date;
  },
) {
  const { orgId, userId, moduleId, lessonId, position, completed, now } = values;
  const [row] = await db
    .insert(lessonProgress)
    .values({
      orgId,
      userId,
      moduleId,
      lessonId,
      position,
      completedAt: completed ? now : null,
      updatedAt: now,
    })
    .onConflictDoUpdate({
      target: [lessonProgress.userId, lessonProgress.lessonId],
      set: {
        position: sql`excluded.position`,
        completedAt: sql`coalesce(${lessonProgress.completedAt}, excluded.completed_at)`,
        updatedAt: sql`excluded.updated_at`,
      },
    })
    .returning({
      lessonId: lessonProgress.lessonId,
      position: lessonProgress.position,
      completedAt: lessonProgress.completedAt,
    });
  return row!;
}

const lockAssignment = statement<{ orgId: string; userId: string; moduleId: string }>`
  select id from assignments
  where org_id = ${'orgId'} and user_id = ${'userId'} and module_id = ${'moduleId'}
  for no key update
`;

const doneLessons = statement<{ orgId: string; userId: string; moduleId: string }>`
  select lesson_id as "lessonId", completed_at is not null as completed,
         known_at is not null as known
  from lesson_progress
  where org_id = ${'orgId'} and user_id = ${'userId'} and module_id = ${'moduleId'}
    and (completed_at is not null or known_at is not null)
`;

/**
 * The lessons of a module the learner has completed or is known to know, read after locking
 * their assignment to it until the hot transaction ends: two placements of one module by one
 * learner run one after the other, and the second reads what the first wrote.
 */
export async function lockDoneLessons(
  tx: HotTransaction,
  key: { orgId: string; userId: string; moduleId: string },
) {
  await tx.query(lockAssignment.bind(key));
  // A statement of its own: under READ COMMITTED it sees what committed while it waited.
  const rows = await tx.query<{ lessonId: string; completed: boolean; known: boolean }>(
    doneLessons.bind(key),
  );
  return new Map(rows.map((r) => [r.lessonId, r]));
}

const markKnownStatement = statement<{
  orgId: string;
  userId: string;
  moduleId: string;
  lessonIds: string;
  now: string;
}>`
  insert into lesson_progress (org_id, user_id, module_id, lesson_id, known_at, updated_at)
  select ${'orgId'}::uuid, ${'userId'}::uuid, ${'moduleId'}::uuid, lesson_id::uuid,
         ${'now'}::timestamptz,
         ${'now'}::timestamptz
  from unnest(string_to_array(${'lessonIds'}::text, ',')) as l(lesson_id)
  on conflict (user_id, lesson_id) do update set
    known_at = coalesce(lesson_progress.known_at, excluded.known_at),
    updated_at = excluded.updated_at
`;

/**
 * The statement that marks lessons known at `now` (none: it writes nothing); a lesson known
 * before keeps its first date.
 */
export function markKnown(values: {
  orgId: string;
  userId: string;
  moduleId: string;
  lessonIds: string[];
  now: Date;
}): BoundStatement {
  const { lessonIds, now, ...key } = values;
  return markKnownStatement.bind({
    ...key,
    // Comma-separated: one text parameter either driver sends as it is.
    lessonIds: lessonIds.join(','),
    now: now.toISOString(),
  });
}
