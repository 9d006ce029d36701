import { and, eq, inArray, lte, sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import {
  assignments,
  cardStates,
  lessonProgress,
  modules,
  moduleVersions,
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

/** Marks lessons known at `now`; a lesson known before keeps its first date. */
export async function markKnown(
  db: Executor,
  values: { orgId: string; userId: string; moduleId: string; lessonIds: string[]; now: Date },
) {
  const { orgId, userId, moduleId, lessonIds, now } = values;
  if (lessonIds.length === 0) return;
  await db
    .insert(lessonProgress)
    .values(
      lessonIds.map((lessonId) => ({
        orgId,
        userId,
        moduleId,
        lessonId,
        knownAt: now,
        updatedAt: now,
      })),
    )
    .onConflictDoUpdate({
      target: [lessonProgress.userId, lessonProgress.lessonId],
      set: {
        knownAt: sql`coalesce(${lessonProgress.knownAt}, excluded.known_at)`,
        updatedAt: sql`excluded.updated_at`,
      },
    });
}
