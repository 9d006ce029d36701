import {
  type Card,
  type CardBody,
  type CreateLessonBody,
  type Lesson,
  MAX_CARDS_PER_LESSON,
  MAX_LESSONS,
  type ModuleDetail,
  type UpdateLessonBody,
} from '../../shared/modules';
import type { Database, Transaction } from '../db/client';
import type { Clock } from '../lib/clock';
import { ConflictError, NotFoundError, ValidationError } from '../lib/errors';
import { readDetail, readLesson, toCard } from './content';
import * as lessonRepo from './lesson-repository';
import type { CardRow, LessonRow } from './lesson-repository';
import { checkLessonRefs } from './refs';
import { cardOptionIds, renderBlocks, renderCard } from './render';
import * as repo from './repository';

export type LessonService = ReturnType<typeof createLessonService>;

/** `ids` with `id` moved to `position` (clamped to the list). */
function moveTo(ids: string[], id: string, position: number): string[] {
  const rest = ids.filter((x) => x !== id);
  const at = Math.min(Math.max(position, 0), rest.length);
  return [...rest.slice(0, at), id, ...rest.slice(at)];
}

/** Refuses a new order that is not exactly the current ids, each once. */
function checkOrder(current: readonly { id: string }[], ids: readonly string[]) {
  const known = new Set(current.map((x) => x.id));
  if (ids.length !== known.size || !ids.every((id) => known.has(id))) {
    throw new ValidationError('The order must list every item once.', [
      { path: ['ids'], message: `Give all ${known.size} ids, each once, in the new order.` },
    ]);
  }
}

function personaIdsOf(lesson: LessonRow): Set<string> {
  return new Set([...lesson.personaIds, ...lesson.blocks.flatMap((b) => b.personaIds)]);
}

/**
 * Lessons (ordered blocks) and their cards. Every write is one transaction that first locks the
 * module row, then marks the working copy as changed; nothing of a refused save is kept.
 */
export function createLessonService({ db, clock }: { db: Database; clock: Clock }) {
  /** Runs `work` with the module locked, then marks it changed. */
  async function editModule<T>(
    orgId: string,
    moduleId: (tx: Transaction) => Promise<string | undefined>,
    work: (tx: Transaction, moduleId: string, now: Date) => Promise<T>,
  ): Promise<T> {
    return db.transaction(async (tx) => {
      const id = await moduleId(tx);
      if (!id || !(await repo.lockModule(tx, orgId, id))) throw new NotFoundError('Module');
      const now = clock.now();
      const result = await work(tx, id, now);
      await repo.updateModule(tx, orgId, id, { hasUnpublishedChanges: true, updatedAt: now });
      return result;
    });
  }

  /** Like `editModule` for a lesson, read again once its module is locked. */
  async function editLesson<T>(
    orgId: string,
    lessonId: string,
    work: (tx: Transaction, lesson: LessonRow, now: Date) => Promise<T>,
  ): Promise<T> {
    const moduleOf = async (tx: Transaction) => {
      const lesson = await lessonRepo.findLesson(tx, orgId, lessonId);
      if (!lesson) throw new NotFoundError('Lesson');
      return lesson.moduleId;
    };
    return editModule(orgId, moduleOf, async (tx, _moduleId, now) => {
      const lesson = await lessonRepo.findLesson(tx, orgId, lessonId);
      if (!lesson) throw new NotFoundError('Lesson');
      return work(tx, lesson, now);
    });
  }

  /** Like `editLesson` for a card. */
  async function editCard<T>(
    orgId: string,
    cardId: string,
    work: (tx: Transaction, card: CardRow, now: Date) => Promise<T>,
  ): Promise<T> {
    const moduleOf = async (tx: Transaction) => {
      const card = await lessonRepo.findCard(tx, orgId, cardId);
      if (!card) throw new NotFoundError('Card');
      return card.moduleId;
    };
    return editModule(orgId, moduleOf, async (tx, _moduleId, now) => {
      const card = await lessonRepo.findCard(tx, orgId, cardId);
      if (!card) throw new NotFoundError('Card');
      return work(tx, card, now);
    });
  }

  return {
    async getLesson(orgId: string, id: string): Promise<Lesson> {
      const row = await lessonRepo.findLesson(db, orgId, id);
      if (!row) throw new NotFoundError('Lesson');
      return readLesson(db, orgId, row);
    },

    /** Adds a lesson at the end of the module. */
    async createLesson(orgId: string, moduleId: string, body: CreateLessonBody): Promise<Lesson> {
      const blocks = renderBlocks(body.blocks);
      return editModule(
        orgId,
        async () => moduleId,
        async (tx, _id, now) => {
          await checkLessonRefs(tx, orgId, body);
          const position = (await lessonRepo.listLessons(tx, orgId, moduleId)).length;
          if (position >= MAX_LESSONS) {
            throw new ConflictError(`A module has at most ${MAX_LESSONS} lessons.`);
          }
          const row = await lessonRepo.insertLesson(
            tx,
            orgId,
            { ...body, blocks, moduleId, position },
            now,
          );
          return readLesson(tx, orgId, row);
        },
      );
    },

    /** Saves the parts of a lesson given (autosave sends the whole lesson). */
    async updateLesson(orgId: string, id: string, body: UpdateLessonBody): Promise<Lesson> {
      const blocks = body.blocks && renderBlocks(body.blocks);
      return editLesson(orgId, id, async (tx, lesson, now) => {
        await checkLessonRefs(tx, orgId, body, personaIdsOf(lesson));
        const { blocks: _sources, ...rest } = body;
        const values = blocks ? { ...rest, blocks } : rest;
        const row = await lessonRepo.updateLesson(tx, orgId, id, values, now);
        return readLesson(tx, orgId, row!);
      });
    },

    /** Deletes a lesson and its cards; the lessons after it move up. */
    async removeLesson(orgId: string, id: string) {
      await editLesson(orgId, id, async (tx, lesson) => {
        await lessonRepo.deleteLesson(tx, orgId, id);
        const rest = await lessonRepo.listLessons(tx, orgId, lesson.moduleId);
        await lessonRepo.setLessonPositions(
          tx,
          orgId,
          rest.map((l) => l.id),
        );
      });
    },

    async reorderLessons(orgId: string, moduleId: string, ids: string[]): Promise<ModuleDetail> {
      return editModule(
        orgId,
        async () => moduleId,
        async (tx) => {
          checkOrder(await lessonRepo.listLessons(tx, orgId, moduleId), ids);
          await lessonRepo.setLessonPositions(tx, orgId, ids);
          return (await readDetail(tx, orgId, moduleId))!;
        },
      );
    },

    /** Adds a card to a lesson, last or at `position`. */
    async createCard(orgId: string, lessonId: string, body: CardBody): Promise<Card> {
      const rendered = renderCard(body);
      return editLesson(orgId, lessonId, async (tx, lesson, now) => {
        const siblings = await lessonRepo.listCards(tx, orgId, { lessonId });
        if (siblings.length >= MAX_CARDS_PER_LESSON) {
          throw new ConflictError(`A lesson has at most ${MAX_CARDS_PER_LESSON} cards.`);
        }
        const row = await lessonRepo.insertCard(
          tx,
          orgId,
          { ...rendered, moduleId: lesson.moduleId, lessonId, position: siblings.length },
          now,
        );
        const order = moveTo(
          siblings.map((c) => c.id).concat(row.id),
          row.id,
          body.position ?? siblings.length,
        );
        await lessonRepo.setCardPositions(tx, orgId, order);
        return toCard({ ...row, position: order.indexOf(row.id) });
      });
    },

    /**
     * Replaces a card, whose kind may change. Option and step ids the editor sends are kept when
     * they were this card's, so learners' memory of the card survives an edit of its wording.
     */
    async updateCard(orgId: string, id: string, body: CardBody): Promise<Card> {
      return editCard(orgId, id, async (tx, card, now) => {
        const rendered = renderCard(body, cardOptionIds(card.content));
        const row = (await lessonRepo.updateCard(tx, orgId, id, rendered, now))!;
        if (body.position === undefined || body.position === card.position) return toCard(row);
        const siblings = await lessonRepo.listCards(tx, orgId, { lessonId: card.lessonId });
        const order = moveTo(
          siblings.map((c) => c.id),
          id,
          body.position,
        );
        await lessonRepo.setCardPositions(tx, orgId, order);
        return toCard({ ...row, position: order.indexOf(id) });
      });
    },

    /** Deletes a card; the cards after it move up. */
    async removeCard(orgId: string, id: string) {
      await editCard(orgId, id, async (tx, card) => {
        await lessonRepo.deleteCard(tx, orgId, id);
        const rest = await lessonRepo.listCards(tx, orgId, { lessonId: card.lessonId });
        await lessonRepo.setCardPositions(
          tx,
          orgId,
          rest.map((c) => c.id),
        );
      });
    },

    async reorderCards(orgId: string, lessonId: string, ids: string[]): Promise<Lesson> {
      return editLesson(orgId, lessonId, async (tx, lesson) => {
        checkOrder(await lessonRepo.listCards(tx, orgId, { lessonId }), ids);
        await lessonRepo.setCardPositions(tx, orgId, ids);
        return readLesson(tx, orgId, lesson);
      });
    },
  };
}
