/**
 * The placement check ("I already know this"): grading a learner's answers, which lessons they
 * place the learner out of, and which answers then enter memory. Pure, so the rules are read
 * and tested apart from the database.
 */
import type { ErrorIssue } from '../../shared/common';
import type { ReviewBody } from '../../shared/learning';
import type { CardContent } from '../db/schema/modules';
import { answerIssues, isCorrect } from '../reviews/grading';

export interface PlacementLesson {
  id: string;
  title: string;
  cardIds: string[];
  /** Known already from an earlier placement. */
  known: boolean;
}

export interface GradedAnswer {
  cardId: string;
  correct: boolean;
  body: ReviewBody;
}

/**
 * The answers to the module's `cards`, in order, each with whether it is right, and what is
 * wrong with those that do not fit their card (paths inside the body). An answer to a card not
 * in `cards` (dropped by a version published meanwhile) counts for nothing.
 */
export function gradeAnswers(cards: ReadonlyMap<string, CardContent>, answers: ReviewBody[]) {
  const graded: GradedAnswer[] = [];
  const issues: ErrorIssue[] = [];
  answers.forEach((body, i) => {
    const card = cards.get(body.cardId);
    if (!card) return;
    const found = answerIssues(card, body.answer);
    issues.push(...found.map((issue) => ({ ...issue, path: ['answers', i, ...issue.path] })));
    if (found.length === 0)
      graded.push({ cardId: body.cardId, correct: isCorrect(card, body.answer), body });
  });
  return { graded, issues };
}

/** The last answer to each card, the one that counts. */
function lastByCard(answers: readonly GradedAnswer[]) {
  return new Map(answers.map((a) => [a.cardId, a]));
}

/**
 * Splits the lessons (in order) into known and still to study by the answers, in the order they
 * were given. A lesson is known when it was known already, or when every one of its cards was
 * answered and the last answer to each was right. A lesson without cards cannot be placed out
 * of: nothing shows it is known.
 */
export function placeLessons(
  lessons: readonly PlacementLesson[],
  answers: readonly GradedAnswer[],
) {
  const last = lastByCard(answers);
  const passed = (l: PlacementLesson) =>
    l.cardIds.length > 0 && l.cardIds.every((id) => last.get(id)?.correct === true);
  const known = lessons.filter((l) => l.known || passed(l));
  const toStudy = lessons.filter((l) => !known.includes(l));
  return { known, toStudy, newlyKnown: known.filter((l) => !l.known) };
}

/**
 * What enters memory when `lessons` are placed out of: for each of their cards, the answer that
 * placed it (its last, right). Earlier answers to the same card, and answers to cards of other
 * lessons, are recorded nowhere.
 */
export function placingAnswers(
  lessons: readonly PlacementLesson[],
  answers: readonly GradedAnswer[],
): ReviewBody[] {
  const last = lastByCard(answers);
  return lessons.flatMap((l) => l.cardIds.flatMap((id) => last.get(id)?.body ?? []));
}
