import { parseFragment, type DefaultTreeAdapterMap } from 'parse5';
import type { SnapshotLesson } from '../modules/snapshot';

type Node = DefaultTreeAdapterMap['node'];

/** Marks a search match in an excerpt; private-use characters, so no lesson text holds them. */
export const MATCH_START = '\uE000';
export const MATCH_STOP = '\uE001';
const markers = /[\uE000\uE001]/g;

/**
 * The words of sanitised lesson HTML as plain text: tags dropped, entities decoded, one space
 * between elements (so that "<li>a</li><li>b</li>" gives "a b", not "ab").
 */
export function htmlText(html: string): string {
  const words: string[] = [];
  const stack: Node[] = [parseFragment(html)];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.nodeName === '#text') words.push((node as DefaultTreeAdapterMap['textNode']).value);
    else if ('childNodes' in node) {
      words.push(' ');
      for (let i = node.childNodes.length - 1; i >= 0; i--) stack.push(node.childNodes[i]!);
    }
  }
  return squash(words.join(''));
}

const squash = (text: string) => text.replace(markers, '').replace(/\s+/g, ' ').trim();

/** One searchable piece of a lesson: its title (part 0), a block, or a card's question. */
export interface LessonPart {
  lessonId: string;
  part: number;
  /** Empty: every persona (the lesson's own limit is applied from the snapshot). */
  personaIds: string[];
  body: string;
}

/**
 * What a learner can find in a lesson: its title, the text of each block (images by their
 * description, videos by their title), then its cards' questions; not their answers, which
 * would give the lesson's check away.
 */
export function lessonParts(lesson: SnapshotLesson): LessonPart[] {
  const texts: { personaIds: string[]; body: string }[] = [
    { personaIds: [], body: squash(lesson.title) },
  ];
  for (const block of lesson.blocks) {
    texts.push({ personaIds: block.personaIds, body: blockText(block) });
  }
  for (const card of lesson.cards)
    texts.push({ personaIds: [], body: htmlText(card.questionHtml) });
  return texts.map((t, part) => ({ lessonId: lesson.id, part, ...t })).filter((t) => t.body !== '');
}

function blockText(block: SnapshotLesson['blocks'][number]): string {
  switch (block.kind) {
    case 'text':
    case 'callout':
      return htmlText(block.html);
    case 'image':
      return squash(`${block.alt} ${block.caption}`);
    case 'video':
      return squash(block.title);
    case 'steps':
      return block.steps.map((s) => htmlText(s.html)).join(' ');
    case 'task':
      return squash(`${htmlText(block.html)} ${htmlText(block.checkHtml)}`);
  }
}
