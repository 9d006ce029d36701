/**
 * Checking an answer against a published card: whether it names the card's own options or
 * steps (bad input otherwise), whether it is right, and the right answer to show.
 */
import type { ErrorIssue } from '../../shared/common';
import { type Answer, answerMatches, type Solution } from '../../shared/learning';
import type { CardContent } from '../db/schema/modules';

/** What is wrong with an answer to this card, at its path inside `answer`; empty: fine. */
export function answerIssues(card: CardContent, answer: Answer): ErrorIssue[] {
  if (answer.kind !== card.kind) {
    return [{ path: ['answer', 'kind'], message: `This card takes a ${card.kind} answer.` }];
  }
  const unknown = (ids: string[], known: Set<string>, field: string): ErrorIssue[] =>
    ids.flatMap((id, i) =>
      known.has(id) ? [] : [{ path: ['answer', field, i], message: 'Not an option of this card.' }],
    );
  if (answer.kind === 'single' && card.kind === 'single') {
    return unknown([answer.optionId], new Set(card.options.map((o) => o.id)), 'optionId').map(
      (issue) => ({ ...issue, path: ['answer', 'optionId'] }),
    );
  }
  if (answer.kind === 'multiple' && card.kind === 'multiple') {
    return unknown(answer.optionIds, new Set(card.options.map((o) => o.id)), 'optionIds');
  }
  if (answer.kind === 'order' && card.kind === 'order') {
    const issues = unknown(answer.stepIds, new Set(card.steps.map((s) => s.id)), 'stepIds');
    if (issues.length === 0 && answer.stepIds.length !== card.steps.length) {
      return [{ path: ['answer', 'stepIds'], message: 'Put every step of the card in order.' }];
    }
    return issues;
  }
  return [];
}

/** The right answer to a card. */
export function solutionOf(card: CardContent): Solution {
  switch (card.kind) {
    case 'single':
    case 'multiple':
      return { kind: card.kind, optionIds: card.options.filter((o) => o.correct).map((o) => o.id) };
    case 'truefalse':
      return { kind: 'truefalse', value: card.answer };
    case 'order':
      return { kind: 'order', stepIds: card.steps.map((s) => s.id) };
    case 'short':
      return { kind: 'short', modelAnswer: card.modelAnswer };
  }
}

/** Whether an answer (already checked by `answerIssues`) is right. */
export function isCorrect(card: CardContent, answer: Answer): boolean {
  return answerMatches(solutionOf(card), answer);
}
