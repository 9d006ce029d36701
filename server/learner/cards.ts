import type { LearnerCard } from '../../shared/learning';
import type { CardContent } from '../db/schema';
import type { SnapshotCard } from '../modules/snapshot';

/**
 * Steps in an order that is not the right one whenever another order exists (two steps or
 * more): a Fisher–Yates shuffle, rotated by one if it happened to give the right order back.
 */
export function shuffledSteps<T extends { id: string }>(
  steps: readonly T[],
  random: () => number = Math.random,
): T[] {
  const out = [...steps];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  if (out.length > 1 && out.every((s, i) => s.id === steps[i]!.id)) out.push(out.shift()!);
  return out;
}

/**
 * A card as the learner sees it before answering: the question and the options or steps by id
 * and HTML only, never which are correct, the true/false answer or the model answer.
 */
export function toLearnerCard(
  card: CardContent | SnapshotCard,
  where: { id: string; lessonId: string; moduleId: string },
  expectedSeconds: number,
  random: () => number = Math.random,
): LearnerCard {
  const base = { ...where, questionHtml: card.questionHtml, expectedSeconds };
  const choices = (items: readonly { id: string; html: string }[]) =>
    items.map(({ id, html }) => ({ id, html }));
  switch (card.kind) {
    case 'single':
    case 'multiple':
      return { ...base, kind: card.kind, options: choices(card.options) };
    case 'order':
      return { ...base, kind: 'order', steps: choices(shuffledSteps(card.steps, random)) };
    case 'truefalse':
      return { ...base, kind: 'truefalse' };
    case 'short':
      return { ...base, kind: 'short', modelAnswer: card.modelAnswer };
  }
}
