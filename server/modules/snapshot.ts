/**
 * The frozen content of a published module version (`module_versions.content`), and the diff
 * between two of them that the publish summary shows.
 *
 * A snapshot holds what learners need to follow the module without the working copy: the
 * module's header, then its lessons in order with their rendered blocks and cards in order.
 * Lessons, blocks, cards and options keep the working copy's ids, so a learner's progress and card
 * memory carry over to the next version when they survive.
 */
import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import { idSchema } from '../../shared/common';
import {
  blockSchema,
  cardSchema,
  criticalitySchema,
  type ModuleChanges,
} from '../../shared/modules';

const cardOmit = { lessonId: true, position: true, updatedAt: true } as const;
const [single, multiple, truefalse, order, short] = cardSchema.options;

/** A card in a snapshot: its content, without what only the working copy needs. */
export const snapshotCardSchema = z.discriminatedUnion('kind', [
  single.omit(cardOmit),
  multiple.omit(cardOmit),
  truefalse.omit(cardOmit),
  order.omit(cardOmit),
  short.omit(cardOmit),
]);
export type SnapshotCard = z.infer<typeof snapshotCardSchema>;

export const snapshotLessonSchema = z.object({
  id: idSchema,
  title: z.string(),
  /** The whole lesson is only for these personas; empty: everyone. */
  personaIds: z.array(idSchema),
  blocks: z.array(blockSchema),
  /** In the lesson's order. */
  cards: z.array(snapshotCardSchema),
});
export type SnapshotLesson = z.infer<typeof snapshotLessonSchema>;

export const snapshotHeaderSchema = z.object({
  title: z.string(),
  summary: z.string(),
  toolId: idSchema,
  processId: idSchema.nullable(),
  /** Sorted, so that two snapshots compare equal whatever order the targets were saved in. */
  jobRoleIds: z.array(idSchema),
  teamIds: z.array(idSchema),
  estimatedMinutes: z.number().int(),
  criticality: criticalitySchema,
});
export type SnapshotHeader = z.infer<typeof snapshotHeaderSchema>;

export const moduleSnapshotSchema = z.object({
  module: snapshotHeaderSchema,
  /** In the module's order. */
  lessons: z.array(snapshotLessonSchema),
});
/** What one published version of a module holds (stored as JSON in `module_versions`). */
export type ModuleSnapshot = z.infer<typeof moduleSnapshotSchema>;

/** Ids of `items` that are also in `others`, in the order of `items`. */
function commonOrder(items: readonly { id: string }[], others: ReadonlySet<string>): string[] {
  return items.map((i) => i.id).filter((id) => others.has(id));
}

const idSet = (items: readonly { id: string }[]) => new Set(items.map((i) => i.id));

function changedHeaderFields(now: SnapshotHeader, then: SnapshotHeader): string[] {
  return (Object.keys(now) as (keyof SnapshotHeader)[]).filter(
    (key) => !isDeepStrictEqual(now[key], then[key]),
  );
}

function lessonChanged(now: SnapshotLesson, then: SnapshotLesson): boolean {
  return (
    now.title !== then.title ||
    !isDeepStrictEqual(now.personaIds, then.personaIds) ||
    !isDeepStrictEqual(now.blocks, then.blocks) ||
    // Cards moved around inside the lesson.
    !isDeepStrictEqual(
      commonOrder(now.cards, idSet(then.cards)),
      commonOrder(then.cards, idSet(now.cards)),
    )
  );
}

type Diff = Omit<ModuleChanges, 'nextVersion' | 'problems'>;

/**
 * What changed from `then` (the latest published version; null before the first publication) to
 * `now` (the working copy), by stable ids. Lessons whose title, variants, blocks or card order
 * changed are "changed"; cards are counted over the whole module (the cards of an added lesson
 * are added). `moduleFields` names the header fields that differ, and `lessonOrder` when lessons
 * kept from the last version were moved.
 */
export function diffSnapshots(now: ModuleSnapshot, then: ModuleSnapshot | null): Diff {
  const before = then ?? { module: now.module, lessons: [] };
  const oldLessons = new Map(before.lessons.map((l) => [l.id, l]));
  const newIds = idSet(now.lessons);
  const oldCards = new Map(before.lessons.flatMap((l) => l.cards.map((c) => [c.id, c] as const)));
  const newCards = now.lessons.flatMap((l) => l.cards);
  const newCardIds = idSet(newCards);

  const moduleFields = changedHeaderFields(now.module, before.module);
  const keptOrderNow = commonOrder(now.lessons, new Set(oldLessons.keys()));
  const keptOrderThen = commonOrder(before.lessons, newIds);
  if (!isDeepStrictEqual(keptOrderNow, keptOrderThen)) moduleFields.push('lessonOrder');

  const brief = (l: SnapshotLesson) => ({ id: l.id, title: l.title });
  const changedCards = newCards.filter((c) => {
    const old = oldCards.get(c.id);
    return old !== undefined && !isDeepStrictEqual(c, old);
  });
  return {
    moduleFields,
    lessonsAdded: now.lessons.filter((l) => !oldLessons.has(l.id)).map(brief),
    lessonsRemoved: before.lessons.filter((l) => !newIds.has(l.id)).map(brief),
    lessonsChanged: now.lessons
      .filter((l) => {
        const old = oldLessons.get(l.id);
        return old !== undefined && lessonChanged(l, old);
      })
      .map(brief),
    cardsAdded: newCards.filter((c) => !oldCards.has(c.id)).length,
    cardsRemoved: [...oldCards.keys()].filter((id) => !newCardIds.has(id)).length,
    cardsChanged: changedCards.length,
  };
}
