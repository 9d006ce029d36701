import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  type BlockSource,
  cardContentInputSchema,
  type CardContentSource,
  defaultExpectedSeconds,
  estimateBlocksSeconds,
  estimateLessonSeconds,
  issueMessages,
  lessonForPersona,
  publishProblems,
  visibleTo,
} from '../../shared/modules';
import { packageCardSchema } from '../../shared/module-package';

const P1 = '00000000-0000-4000-8000-000000000001';
const P2 = '00000000-0000-4000-8000-000000000002';
const P3 = '00000000-0000-4000-8000-000000000003';
const id = (n: number) => `00000000-0000-4000-8000-0000000001${String(n).padStart(2, '0')}`;

const words = (n: number) => Array.from({ length: n }, () => 'mot').join(' ');
const text = (n: number, markdown: string, personaIds: string[] = []): BlockSource => ({
  id: id(n),
  kind: 'text',
  markdown,
  personaIds,
});

describe('visibleTo and lessonForPersona', () => {
  it('shows what is for everyone to everyone, a variant only to its personas', () => {
    expect(visibleTo([], null)).toBe(true);
    expect(visibleTo([], P1)).toBe(true);
    expect(visibleTo([P1], P1)).toBe(true);
    expect(visibleTo([P1], P2)).toBe(false);
    expect(visibleTo([P1], null)).toBe(false);
  });

  it('keeps only the blocks meant for the persona; null when the lesson is for others', () => {
    const lesson = {
      title: 'L',
      personaIds: [] as string[],
      blocks: [text(1, 'all'), text(2, 'detailed', [P1]), text(3, 'shortcut', [P2, P3])],
    };
    expect(lessonForPersona(lesson, P1)?.blocks.map((b) => b.id)).toEqual([id(1), id(2)]);
    expect(lessonForPersona(lesson, P3)?.blocks.map((b) => b.id)).toEqual([id(1), id(3)]);
    expect(lessonForPersona(lesson, null)?.blocks.map((b) => b.id)).toEqual([id(1)]);
    expect(lessonForPersona(lesson, P1)?.title).toBe('L');
    const onlyP2 = { ...lesson, personaIds: [P2] };
    expect(lessonForPersona(onlyP2, P1)).toBeNull();
    expect(lessonForPersona(onlyP2, null)).toBeNull();
    expect(lessonForPersona(onlyP2, P2)?.blocks.map((b) => b.id)).toEqual([id(1), id(3)]);
  });
});

describe('estimated reading and doing time', () => {
  it('counts 180 words a minute and a fixed time per image, video, step and task', () => {
    const blocks: BlockSource[] = [
      text(1, words(90)), // 30 s
      { id: id(2), kind: 'callout', tone: 'tip', markdown: words(18), personaIds: [] }, // 6 s
      { id: id(3), kind: 'image', assetId: null, alt: '', caption: '', personaIds: [] }, // 10 s
      { id: id(4), kind: 'video', url: '', title: '', personaIds: [] }, // 90 s
      {
        id: id(5),
        kind: 'steps',
        personaIds: [],
        // 15 + 1 s; 15 + 2 s + 5 s for the screenshot
        steps: [
          { markdown: words(3), assetId: null },
          { markdown: words(6), assetId: P1 },
        ],
      },
      // 60 s + 12 words = 64 s
      { id: id(6), kind: 'task', markdown: words(9), check: words(3), personaIds: [] },
    ];
    expect(estimateBlocksSeconds(blocks)).toBe(30 + 6 + 10 + 90 + 16 + 22 + 64);
  });

  it('ignores Markdown marks and punctuation that are not words, and rounds', () => {
    // "Open", "the", "**CRM**", "now" are words; "-" and "—" are not. 4 words = 1.33 s.
    expect(estimateBlocksSeconds([text(1, '- Open the **CRM** — now')])).toBe(1);
    // 5 words = 1.67 s.
    expect(estimateBlocksSeconds([text(1, words(5))])).toBe(2);
  });

  it('gives a lesson the time of the persona who sees the most of it', () => {
    const lesson = {
      personaIds: [],
      blocks: [
        text(1, words(60)), // everyone: 20 s
        text(2, words(180), [P1]), // P1: +60 s
        text(3, words(30), [P2]), // P2: +10 s
        text(4, words(900), ['00000000-0000-4000-8000-00000000dead']), // a deleted persona
      ],
    };
    expect(estimateLessonSeconds(lesson, [P1, P2, P3])).toBe(80);
    expect(estimateLessonSeconds(lesson, [P2, P3])).toBe(30);
    expect(estimateLessonSeconds(lesson, [])).toBe(20);
  });
});

describe('defaultExpectedSeconds', () => {
  const base = { explanation: '', expectedSeconds: null };
  it('adds reading, choosing and ordering time to a 4 s start', () => {
    const single: CardContentSource = {
      ...base,
      kind: 'single',
      question: words(6), // 2 s
      options: [
        { text: words(3), correct: true }, // 2 + 1 s
        { text: words(3), correct: false }, // 2 + 1 s
      ],
    };
    expect(defaultExpectedSeconds(single)).toBe(4 + 2 + 6);
    // Multiple choice: 3 s more to check every option.
    expect(defaultExpectedSeconds({ ...single, kind: 'multiple' })).toBe(4 + 2 + 6 + 3);
    const order: CardContentSource = {
      ...base,
      kind: 'order',
      question: words(3), // 1 s
      steps: [{ text: words(3) }, { text: words(3) }, { text: words(3) }], // 3 × (6 + 1) s
    };
    expect(defaultExpectedSeconds(order)).toBe(4 + 1 + 21);
    expect(
      defaultExpectedSeconds({ ...base, kind: 'truefalse', question: words(9), answer: true }),
    ).toBe(4 + 3 + 2);
    expect(
      defaultExpectedSeconds({ ...base, kind: 'short', question: words(3), modelAnswer: 'x' }),
    ).toBe(4 + 1 + 8);
  });

  it('stays between 5 and 120 seconds', () => {
    expect(
      defaultExpectedSeconds({ ...base, kind: 'truefalse', question: '?', answer: false }),
    ).toBe(6);
    expect(
      defaultExpectedSeconds({ ...base, kind: 'truefalse', question: '', answer: false }),
    ).toBe(6);
    expect(
      defaultExpectedSeconds({ ...base, kind: 'short', question: words(600), modelAnswer: 'x' }),
    ).toBe(120);
  });
});

describe('publishProblems', () => {
  it('needs at least one lesson, and content in every lesson', () => {
    expect(publishProblems([])).toEqual([{ lessonId: null, blockId: null, code: 'no-lessons' }]);
    expect(publishProblems([{ id: id(1), blocks: [] }])).toEqual([
      { lessonId: id(1), blockId: null, code: 'lesson-empty' },
    ]);
  });

  it('names each unfinished block; complete ones pass', () => {
    const blocks: BlockSource[] = [
      text(1, ' \n '),
      text(2, 'fine'),
      { id: id(3), kind: 'callout', tone: 'warning', markdown: '', personaIds: [] },
      { id: id(4), kind: 'image', assetId: null, alt: 'set', caption: '', personaIds: [] },
      { id: id(5), kind: 'image', assetId: P1, alt: ' ', caption: '', personaIds: [] },
      { id: id(6), kind: 'image', assetId: P1, alt: 'ok', caption: '', personaIds: [] },
      { id: id(7), kind: 'video', url: '', title: '', personaIds: [] },
      { id: id(8), kind: 'steps', steps: [], personaIds: [] },
      {
        id: id(9),
        kind: 'steps',
        steps: [
          { markdown: 'one', assetId: null },
          { markdown: '', assetId: P1 },
        ],
        personaIds: [],
      },
      { id: id(10), kind: 'task', markdown: 'do', check: '', personaIds: [] },
      { id: id(11), kind: 'task', markdown: '', check: 'see', personaIds: [] },
      { id: id(12), kind: 'task', markdown: 'do', check: 'see', personaIds: [] },
    ];
    const at = (n: number, code: string) => ({ lessonId: id(20), blockId: id(n), code });
    expect(publishProblems([{ id: id(20), blocks }])).toEqual([
      at(1, 'text-empty'),
      at(3, 'text-empty'),
      at(4, 'image-missing'),
      at(5, 'image-alt-missing'),
      at(7, 'video-url-missing'),
      at(8, 'steps-empty'),
      at(9, 'steps-empty'),
      at(10, 'task-empty'),
      at(11, 'task-empty'),
    ]);
  });
});

describe('the right options of a choice card', () => {
  const card = (kind: 'single' | 'multiple', ...correct: boolean[]) => ({
    kind,
    question: 'Where is a call logged?',
    options: correct.map((right, i) => ({ text: `Place ${i + 1}`, correct: right })),
  });
  /** The issues of a card, as [path, message]; none when it passes. */
  const issues = (input: object, schema: z.ZodType = cardContentInputSchema) =>
    schema.safeParse(input).error?.issues.map((i) => [i.path.join('.'), i.message]) ?? [];

  it('refuses a single-choice card with no right option, or more than one, at its options', () => {
    const refused = [['options', issueMessages.oneCorrect]];
    expect(issues(card('single', false, false))).toEqual(refused);
    expect(issues(card('single', true, false, true))).toEqual(refused);
    expect(issues(card('single', false, true, false))).toEqual([]);
  });

  it('refuses a multiple-choice card with no right option; one or more pass', () => {
    expect(issues(card('multiple', false, false, false))).toEqual([
      ['options', issueMessages.someCorrect],
    ]);
    expect(issues(card('multiple', true, false))).toEqual([]);
    expect(issues(card('multiple', true, true, true))).toEqual([]);
  });

  it('holds for a card in a module file too', () => {
    const inFile = { id: id(1), ...card('single', false, false) };
    expect(issues(inFile, packageCardSchema)).toEqual([['options', issueMessages.oneCorrect]]);
    expect(issues({ ...inFile, ...card('single', true, false) }, packageCardSchema)).toEqual([]);
  });
});
