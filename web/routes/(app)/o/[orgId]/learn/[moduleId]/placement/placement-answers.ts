import type { PlacementCheckResult, ReviewBody, ReviewResult } from '$shared/learning';
import { api } from '$lib/api';

/**
 * The answers of one placement check. Each is graded through the check endpoint, which records
 * nothing, and kept with its client-made id and measured duration for the final POST: that one
 * records only the answers to the lessons placed out of, so a wrong answer never puts a card of
 * a lesson still to study into memory.
 */
export class PlacementAnswers {
  readonly #answers = new Map<string, ReviewBody>();

  constructor(
    readonly orgId: string,
    readonly moduleId: string,
  ) {}

  /** Grades one answer for the card session, and keeps it once graded. */
  grade = async (body: ReviewBody): Promise<ReviewResult> => {
    const { cardId, answer } = body;
    const checked = await api.placementCheck(this.orgId, this.moduleId, { cardId, answer });
    this.#answers.set(body.id, body);
    return asShown(checked, body.id);
  };

  /** Every graded answer, in the order given. */
  get all(): ReviewBody[] {
    return [...this.#answers.values()];
  }
}

/**
 * A graded answer in the shape the card session shows: its feedback reads the verdict, the
 * solution and the explanation only. Nothing is scheduled yet (the card enters memory only if
 * its lesson is placed out of), so the scheduling fields are placeholders nothing reads.
 */
function asShown(checked: PlacementCheckResult, id: string): ReviewResult {
  const now = new Date();
  return { ...checked, id, rating: 1, due: now, scheduledDays: 0, reviewedAt: now };
}
