import type { WhatsNew } from '../../shared/learning';
import type { SnapshotLesson } from '../modules/snapshot';
import { toLearnerCard } from './cards';

/**
 * Per module, the cards of lessons the learner has finished (`done`) that are not in their
 * memory (`remembered`): cards a later version added after they finished. They would never be
 * served otherwise: the lesson is not offered again, and only an answer puts a card in memory
 * (a card skipped in a lesson check is offered here too, for the same reason). A lesson not
 * finished yet brings its new cards in its own check, so it is left out. Modules keep the
 * order given (the learner's priority order), lessons and cards the module's.
 */
export function whatsNew(
  modules: readonly { moduleId: string; title: string; lessons: readonly SnapshotLesson[] }[],
  done: (lessonId: string) => boolean,
  remembered: ReadonlySet<string>,
): WhatsNew[] {
  return modules.flatMap((module) => {
    const lessons = module.lessons
      .filter((l) => done(l.id))
      .map((lesson) => ({ lesson, cards: lesson.cards.filter((c) => !remembered.has(c.id)) }))
      .filter((l) => l.cards.length > 0);
    if (lessons.length === 0) return [];
    const cards = lessons.flatMap(({ lesson, cards }) =>
      cards.map((card) => ({ card, lessonId: lesson.id })),
    );
    return [
      {
        moduleId: module.moduleId,
        moduleTitle: module.title,
        lessons: lessons.map(({ lesson }) => ({ id: lesson.id, title: lesson.title })),
        cards: cards.map(({ card, lessonId }) =>
          toLearnerCard(
            card,
            { id: card.id, lessonId, moduleId: module.moduleId },
            card.effectiveExpectedSeconds,
          ),
        ),
        estimatedSeconds: cards.reduce((sum, c) => sum + c.card.effectiveExpectedSeconds, 0),
      },
    ];
  });
}
