/**
 * Turns what a trainer sends (block and card sources) into what is stored and served: the same
 * sources plus the sanitised HTML rendered from every Markdown field. Used by every save and by
 * module import, so a block or card can only reach the database through `renderMarkdown`.
 *
 * Rendering errors (Markdown too long or too complex) come back as a `ValidationError` whose
 * issue paths point at the field, under `pathPrefix` (e.g. `['blocks', 3]`).
 */
import { randomUUID } from 'node:crypto';
import type { ErrorIssue } from '../../shared/common';
import {
  type Block,
  type BlockSource,
  type CardContentSource,
  defaultExpectedSeconds,
} from '../../shared/modules';
import type { CardContent } from '../db/schema/modules';
import { ValidationError } from '../lib/errors';
import { renderMarkdown } from '../lib/markdown';

type Path = (string | number)[];

/** Collects the rendering errors of one save so the trainer sees all of them at once. */
class Renderer {
  readonly issues: ErrorIssue[] = [];

  md(source: string, path: Path, inline = false): string {
    try {
      return renderMarkdown(source, { inline });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      for (const issue of err.issues ?? []) {
        // ValidationError prefixes 'body'; keep the field path only.
        this.issues.push({ ...issue, path: [...path, ...issue.path.slice(1)] });
      }
      return '';
    }
  }

  done(): void {
    if (this.issues.length) {
      throw new ValidationError('Some text cannot be displayed.', this.issues);
    }
  }
}

function renderBlock(r: Renderer, block: BlockSource, at: Path): Block {
  switch (block.kind) {
    case 'text':
      return { ...block, html: r.md(block.markdown, [...at, 'markdown']) };
    case 'callout':
      return { ...block, html: r.md(block.markdown, [...at, 'markdown']) };
    case 'task':
      return {
        ...block,
        html: r.md(block.markdown, [...at, 'markdown']),
        checkHtml: r.md(block.check, [...at, 'check']),
      };
    case 'steps':
      return {
        ...block,
        steps: block.steps.map((step, i) => ({
          ...step,
          html: r.md(step.markdown, [...at, 'steps', i, 'markdown']),
        })),
      };
    case 'image':
    case 'video':
      return { ...block };
  }
}

/** Renders a lesson's blocks; throws one `ValidationError` listing every field that fails. */
export function renderBlocks(
  blocks: readonly BlockSource[],
  pathPrefix: Path = ['blocks'],
): Block[] {
  const r = new Renderer();
  const out = blocks.map((block, i) => renderBlock(r, block, [...pathPrefix, i]));
  r.done();
  return out;
}

/** A card ready to store: its kind-specific content with HTML, and its expected answer time. */
export interface RenderedCard {
  kind: CardContentSource['kind'];
  content: CardContent;
  expectedSeconds: number | null;
  effectiveExpectedSeconds: number;
}

/**
 * Renders a card. Options and order steps without an id get a new one; `keepIds` lists the ids
 * of the card being replaced, so an id the editor sends that is not among them is replaced too
 * (a card cannot borrow another card's option ids).
 */
export function renderCard(
  card: CardContentSource,
  keepIds: ReadonlySet<string> = new Set(),
  pathPrefix: Path = [],
): RenderedCard {
  const r = new Renderer();
  const idFor = (id: string | undefined) => (id && keepIds.has(id) ? id : randomUUID());
  const base = {
    question: card.question,
    questionHtml: r.md(card.question, [...pathPrefix, 'question'], true),
    explanation: card.explanation,
    explanationHtml: r.md(card.explanation, [...pathPrefix, 'explanation']),
  };
  const option = (o: { id?: string; text: string }, path: Path) => ({
    id: idFor(o.id),
    text: o.text,
    html: r.md(o.text, [...pathPrefix, ...path, 'text'], true),
  });
  let content: CardContent;
  switch (card.kind) {
    case 'single':
    case 'multiple':
      content = {
        ...base,
        kind: card.kind,
        options: card.options.map((o, i) => ({
          ...option(o, ['options', i]),
          correct: o.correct,
        })),
      };
      break;
    case 'truefalse':
      content = { ...base, kind: 'truefalse', answer: card.answer };
      break;
    case 'order':
      content = {
        ...base,
        kind: 'order',
        steps: card.steps.map((s, i) => option(s, ['steps', i])),
      };
      break;
    case 'short':
      content = { ...base, kind: 'short', modelAnswer: card.modelAnswer };
      break;
  }
  r.done();
  return {
    kind: card.kind,
    content,
    expectedSeconds: card.expectedSeconds,
    effectiveExpectedSeconds: card.expectedSeconds ?? defaultExpectedSeconds(card),
  };
}

/** The option and step ids of a stored card, for `renderCard`'s `keepIds`. */
export function cardOptionIds(content: CardContent): Set<string> {
  if (content.kind === 'single' || content.kind === 'multiple') {
    return new Set(content.options.map((o) => o.id));
  }
  if (content.kind === 'order') return new Set(content.steps.map((s) => s.id));
  return new Set();
}
