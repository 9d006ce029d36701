/**
 * The lesson being edited: title, lesson-level personas and blocks in order. Blocks keep the
 * shape the API answers (source plus rendered HTML) so the preview can show the server's HTML;
 * `body()` is what autosave sends.
 */
import type { Block, BlockKind, BlockSource, Lesson, UpdateLessonInput } from '$shared/modules';

/** A UUID, also where `crypto.randomUUID` is missing (a plain-http intranet address). */
export function newId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A new, empty block of one kind. */
export function emptyBlock(kind: BlockKind): Block {
  const base = { id: newId(), personaIds: [] as string[] };
  switch (kind) {
    case 'text':
      return { ...base, kind, markdown: '', html: '' };
    case 'image':
      return { ...base, kind, assetId: null, alt: '', caption: '' };
    case 'video':
      return { ...base, kind, url: '', title: '' };
    case 'steps':
      return { ...base, kind, steps: [{ markdown: '', html: '', assetId: null }] };
    case 'callout':
      return { ...base, kind, tone: 'tip', markdown: '', html: '' };
    case 'task':
      return { ...base, kind, markdown: '', html: '', check: '', checkHtml: '' };
  }
}

/** What the API takes for one block: its source, without the rendered HTML. */
export function blockSource(block: Block): BlockSource {
  const base = { id: block.id, personaIds: [...block.personaIds] };
  switch (block.kind) {
    case 'text':
      return { ...base, kind: 'text', markdown: block.markdown };
    case 'image':
      return {
        ...base,
        kind: 'image',
        assetId: block.assetId,
        alt: block.alt,
        caption: block.caption,
      };
    case 'video':
      return { ...base, kind: 'video', url: block.url, title: block.title };
    case 'steps':
      return {
        ...base,
        kind: 'steps',
        steps: block.steps.map((s) => ({ markdown: s.markdown, assetId: s.assetId })),
      };
    case 'callout':
      return { ...base, kind: 'callout', tone: block.tone, markdown: block.markdown };
    case 'task':
      return { ...base, kind: 'task', markdown: block.markdown, check: block.check };
  }
}

export class LessonDraft {
  title = $state('');
  personaIds = $state<string[]>([]);
  blocks = $state<Block[]>([]);

  constructor(lesson: Lesson) {
    this.title = lesson.title;
    this.personaIds = [...lesson.personaIds];
    this.blocks = structuredClone(lesson.blocks);
  }

  /**
   * The autosave body. An empty title is left out (the API refuses it) so that the blocks are
   * still saved while the trainer retypes it.
   */
  body(): UpdateLessonInput {
    const title = this.title.trim();
    return {
      ...(title ? { title } : {}),
      personaIds: [...this.personaIds],
      blocks: this.blocks.map(blockSource),
    };
  }

  /** Adds a block at `at` (default: last); returns its index. */
  add(kind: BlockKind, at = this.blocks.length): number {
    this.blocks.splice(at, 0, emptyBlock(kind));
    return at;
  }

  /** Inserts a copy (new id) after the block; returns the copy's index. */
  duplicate(index: number): number {
    const block = this.blocks[index];
    if (!block) return index;
    const copy = { ...structuredClone($state.snapshot(block)), id: newId() } as Block;
    this.blocks.splice(index + 1, 0, copy);
    return index + 1;
  }

  remove(index: number) {
    this.blocks.splice(index, 1);
  }

  /** Moves a block to another index; false when it cannot go there. */
  move(from: number, to: number): boolean {
    if (from === to || to < 0 || to >= this.blocks.length || !this.blocks[from]) return false;
    const [block] = this.blocks.splice(from, 1);
    this.blocks.splice(to, 0, block!);
    return true;
  }

  /**
   * Takes the HTML the server rendered from a save. Only the HTML: the sources may have changed
   * while the save was in flight, and the next save brings their HTML.
   */
  applyHtml(saved: Lesson) {
    for (const block of this.blocks) {
      const from = saved.blocks.find((b) => b.id === block.id);
      if (!from || from.kind !== block.kind) continue;
      if (block.kind === 'steps' && from.kind === 'steps') {
        block.steps.forEach((step, i) => {
          const html = from.steps[i]?.html;
          if (html !== undefined) step.html = html;
        });
      } else if (block.kind === 'task' && from.kind === 'task') {
        block.html = from.html;
        block.checkHtml = from.checkHtml;
      } else if ('html' in block && 'html' in from) {
        block.html = from.html;
      }
    }
  }
}
