import { and, asc, eq } from 'drizzle-orm';
import type { Block } from '../../shared/modules';
import type { Executor } from '../db/client';
import { cards, lessons } from '../db/schema';
import type { RenderedCard } from './render';

export type LessonRow = typeof lessons.$inferSelect;
export type CardRow = typeof cards.$inferSelect;

export interface LessonValues {
  title: string;
  personaIds: string[];
  blocks: Block[];
}

/** A module's lessons in order. */
export async function listLessons(db: Executor, orgId: string, moduleId: string) {
  return db
    .select()
    .from(lessons)
    .where(and(eq(lessons.orgId, orgId), eq(lessons.moduleId, moduleId)))
    .orderBy(asc(lessons.position), asc(lessons.createdAt));
}

export async function findLesson(db: Executor, orgId: string, id: string) {
  const [row] = await db
    .select()
    .from(lessons)
    .where(and(eq(lessons.orgId, orgId), eq(lessons.id, id)));
  return row;
}

export async function insertLesson(
  db: Executor,
  orgId: string,
  values: LessonValues & { moduleId: string; position: number },
  now: Date,
) {
  const [row] = await db
    .insert(lessons)
    .values({ ...values, orgId, createdAt: now, updatedAt: now })
    .returning();
  return row!;
}

export async function updateLesson(
  db: Executor,
  orgId: string,
  id: string,
  values: Partial<LessonValues>,
  now: Date,
) {
  const [row] = await db
    .update(lessons)
    .set({ ...values, updatedAt: now })
    .where(and(eq(lessons.orgId, orgId), eq(lessons.id, id)))
    .returning();
  return row;
}

export async function deleteLesson(db: Executor, orgId: string, id: string) {
  const rows = await db
    .delete(lessons)
    .where(and(eq(lessons.orgId, orgId), eq(lessons.id, id)))
    .returning({ id: lessons.id });
  return rows.length > 0;
}

/** Numbers the lessons 0..n-1 in the order of `ids`. */
export async function setLessonPositions(db: Executor, orgId: string, ids: readonly string[]) {
  for (const [position, id] of ids.entries()) {
    await db
      .update(lessons)
      .set({ position })
      .where(and(eq(lessons.orgId, orgId), eq(lessons.id, id)));
  }
}

/** A lesson's cards in order, or all the module's cards (by lesson, then position). */
export async function listCards(
  db: Executor,
  orgId: string,
  of: { lessonId: string } | { moduleId: string },
) {
  const owner =
    'lessonId' in of ? eq(cards.lessonId, of.lessonId) : eq(cards.moduleId, of.moduleId);
  return db
    .select()
    .from(cards)
    .where(and(eq(cards.orgId, orgId), owner))
    .orderBy(asc(cards.lessonId), asc(cards.position), asc(cards.createdAt));
}

export async function findCard(db: Executor, orgId: string, id: string) {
  const [row] = await db
    .select()
    .from(cards)
    .where(and(eq(cards.orgId, orgId), eq(cards.id, id)));
  return row;
}

export async function insertCard(
  db: Executor,
  orgId: string,
  values: RenderedCard & { moduleId: string; lessonId: string; position: number },
  now: Date,
) {
  const [row] = await db
    .insert(cards)
    .values({ ...values, orgId, createdAt: now, updatedAt: now })
    .returning();
  return row!;
}

export async function updateCard(
  db: Executor,
  orgId: string,
  id: string,
  values: RenderedCard,
  now: Date,
) {
  const [row] = await db
    .update(cards)
    .set({ ...values, updatedAt: now })
    .where(and(eq(cards.orgId, orgId), eq(cards.id, id)))
    .returning();
  return row;
}

export async function deleteCard(db: Executor, orgId: string, id: string) {
  const rows = await db
    .delete(cards)
    .where(and(eq(cards.orgId, orgId), eq(cards.id, id)))
    .returning({ id: cards.id });
  return rows.length > 0;
}

/** Numbers the cards 0..n-1 in the order of `ids`. */
export async function setCardPositions(db: Executor, orgId: string, ids: readonly string[]) {
  for (const [position, id] of ids.entries()) {
    await db
      .update(cards)
      .set({ position })
      .where(and(eq(cards.orgId, orgId), eq(cards.id, id)));
  }
}
