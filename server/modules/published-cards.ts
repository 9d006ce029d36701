import { eq } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { publishedCards } from '../db/schema';
import type { CardContent } from '../db/schema/modules';
import type { ModuleSnapshot } from './snapshot';

/**
 * Makes `published_cards` hold exactly the cards of the module's new version (stable ids), which
 * is what answers are checked against: a card removed from the latest version is no longer
 * answerable, a kept one keeps its id and so the learners' memory of it.
 */
export async function replacePublishedCards(
  db: Executor,
  orgId: string,
  moduleId: string,
  version: number,
  snapshot: ModuleSnapshot,
) {
  await db.delete(publishedCards).where(eq(publishedCards.moduleId, moduleId));
  const rows = snapshot.lessons.flatMap((lesson) =>
    lesson.cards.map(({ id, expectedSeconds: _set, effectiveExpectedSeconds, ...content }, i) => ({
      moduleId,
      cardId: id,
      orgId,
      lessonId: lesson.id,
      version,
      position: i,
      kind: content.kind,
      content: content as CardContent,
      effectiveExpectedSeconds,
    })),
  );
  if (rows.length > 0) await db.insert(publishedCards).values(rows);
}
