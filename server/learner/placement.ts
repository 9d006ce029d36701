/**
 * The placement check ("I already know this"): which lessons a learner's answers place them
 * out of. Pure, so the rule is read and tested apart from the database.
 */

export interface PlacementLesson {
  id: string;
  title: string;
  cardIds: string[];
  /** Known already from an earlier placement. */
  known: boolean;
}

export interface PlacementAnswer {
  cardId: string;
  correct: boolean;
  reviewedAt: Date;
}

/**
 * Splits the lessons (in order) into known and still to study. A lesson is known when it was
 * known already, or when every one of its cards was answered and the last answer to each was
 * right. A lesson without cards cannot be placed out of: nothing shows it is known.
 */
export function placeLessons(lessons: readonly PlacementLesson[], answers: PlacementAnswer[]) {
  const last = new Map<string, PlacementAnswer>();
  for (const a of answers) {
    const seen = last.get(a.cardId);
    if (!seen || seen.reviewedAt < a.reviewedAt) last.set(a.cardId, a);
  }
  const passed = (l: PlacementLesson) =>
    l.cardIds.length > 0 && l.cardIds.every((id) => last.get(id)?.correct === true);
  const known = lessons.filter((l) => l.known || passed(l));
  const toStudy = lessons.filter((l) => !known.includes(l));
  return { known, toStudy, newlyKnown: known.filter((l) => !l.known) };
}
