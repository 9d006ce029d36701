/**
 * Modules, lessons (ordered blocks) and cards: the schemas of the authoring API.
 *
 * A module's editable content is its *working copy*; publishing freezes it as a numbered version.
 * Lessons, blocks, cards and card options keep their ids across versions (stable ids), so a
 * learner's progress and card memory survive an edit that keeps them.
 *
 * Markdown fields hold what the trainer typed; every answer carries the sanitised HTML the server
 * rendered from it next to the source (`html`, `questionHtml`, …). Browsers only ever insert the
 * rendered HTML.
 *
 * Drafts may be incomplete (a lesson's text can be empty while the trainer writes, an image block
 * may wait for its upload): autosave must never lose work. `publishProblems` lists what must be
 * fixed before publishing. Cards are saved one at a time with a button, so they are validated in
 * full at every save.
 */
import { z } from 'zod';
import { idSchema, isoDate, MARKDOWN_MAX_LENGTH } from './common';
import { orgIdParamsSchema } from './orgs';
import { retentionOverrideSchema } from './retention';

// ---- Limits ----

export const TITLE_MAX = 200;
export const SUMMARY_MAX = 2000;
export const MAX_PERSONAS_PER_ITEM = 20;
export const MAX_BLOCKS = 60;
export const MAX_STEPS = 30;
export const MAX_LESSONS = 50;
export const MAX_CARDS_PER_LESSON = 30;
export const MAX_OPTIONS = 8;
export const MIN_ORDER_STEPS = 3;
export const MAX_ORDER_STEPS = 10;
export const OPTION_MAX = 300;
export const QUESTION_MAX = 1000;
export const STEP_MAX = 2000;
export const ALT_MAX = 300;
export const URL_MAX = 2000;
export const MAX_TARGETS = 100;
/** A micro-lesson should take about five minutes at most; the editor warns above this. */
export const LESSON_SECONDS_WARNING = 300;
export const EXPECTED_SECONDS_MIN = 3;
export const EXPECTED_SECONDS_MAX = 600;

/** Image uploads: at most this many bytes, one of these types (checked by content). */
export const IMAGE_MAX_BYTES = 2 * 1024 * 1024;
export const imageTypes = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'] as const;
export const imageTypeSchema = z.enum(imageTypes);
export type ImageType = z.infer<typeof imageTypeSchema>;

// ---- Enumerations ----

/** draft: never published. published: learners get the latest version. archived: withdrawn. */
export const moduleStatuses = ['draft', 'published', 'archived'] as const;
export const moduleStatusSchema = z.enum(moduleStatuses);
export type ModuleStatus = z.infer<typeof moduleStatusSchema>;

/** A critical module comes first in a learner's daily budget and in at-risk lists. */
export const criticalities = ['normal', 'critical'] as const;
export const criticalitySchema = z.enum(criticalities);
export type Criticality = z.infer<typeof criticalitySchema>;

export const blockKinds = ['text', 'image', 'video', 'steps', 'callout', 'task'] as const;
export type BlockKind = (typeof blockKinds)[number];
export const calloutTones = ['tip', 'warning'] as const;

export const cardKinds = ['single', 'multiple', 'truefalse', 'order', 'short'] as const;
export type CardKind = (typeof cardKinds)[number];

// ---- Small pieces ----

/**
 * The sentences of the checks below that the web app translates: it maps these constants (not
 * copies of their text) to its own messages, so a change of wording cannot silently untranslate.
 */
export const issueMessages = {
  webUrl: 'Enter a web address starting with https://',
  twoOptions: 'Give at least two options',
  oneCorrect: 'Mark exactly one option as correct',
  someCorrect: 'Mark at least one option as correct',
  orderSteps: `Give at least ${MIN_ORDER_STEPS} steps`,
} as const;

const unique = (ids: string[]) => new Set(ids).size === ids.length;

/** Markdown source of a block; may be empty in a draft (see `publishProblems`). */
export const markdownSchema = z.string().max(MARKDOWN_MAX_LENGTH);

/**
 * The personas a block or lesson is limited to (a *variant*); empty means everyone. Ids of
 * personas deleted since are ignored when showing the lesson.
 */
export const personaIdsSchema = z
  .array(idSchema)
  .max(MAX_PERSONAS_PER_ITEM)
  .refine(unique, { message: 'Each persona once' })
  .default([]);

/** A web address learners can open: http or https only. */
export const webUrlSchema = z
  .string()
  .trim()
  .max(URL_MAX)
  .refine(
    (value) => {
      try {
        return ['http:', 'https:'].includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { message: issueMessages.webUrl },
  );

export const titleSchema = z.string().trim().min(1).max(TITLE_MAX);

// ---- Blocks (what a trainer sends) ----

const blockBase = {
  /** Chosen by the editor (a UUID), kept across saves and versions. */
  id: idSchema,
  personaIds: personaIdsSchema,
};

export const textBlockInputSchema = z.strictObject({
  ...blockBase,
  kind: z.literal('text'),
  markdown: markdownSchema,
});
export const imageBlockInputSchema = z.strictObject({
  ...blockBase,
  kind: z.literal('image'),
  /** An uploaded image of this organisation (`POST …/assets`); null until uploaded. */
  assetId: idSchema.nullable(),
  /** What the picture shows, for screen readers; required to publish. */
  alt: z.string().trim().max(ALT_MAX),
  caption: z.string().trim().max(ALT_MAX).default(''),
});
export const videoBlockInputSchema = z.strictObject({
  ...blockBase,
  kind: z.literal('video'),
  /** Empty in a draft until the trainer pastes the link. */
  url: z.union([z.literal(''), webUrlSchema]),
  title: z.string().trim().max(TITLE_MAX).default(''),
});
export const stepInputSchema = z.strictObject({
  markdown: z.string().max(STEP_MAX),
  /** Optional screenshot for this step. */
  assetId: idSchema.nullable().default(null),
});
export const stepsBlockInputSchema = z.strictObject({
  ...blockBase,
  kind: z.literal('steps'),
  steps: z.array(stepInputSchema).max(MAX_STEPS),
});
export const calloutBlockInputSchema = z.strictObject({
  ...blockBase,
  kind: z.literal('callout'),
  tone: z.enum(calloutTones),
  markdown: markdownSchema,
});
export const taskBlockInputSchema = z.strictObject({
  ...blockBase,
  kind: z.literal('task'),
  /** What to do now in the real tool. */
  markdown: markdownSchema,
  /** How learners check they did it ("You should see the call in the timeline"). */
  check: markdownSchema,
});

export const blockInputSchema = z.discriminatedUnion('kind', [
  textBlockInputSchema,
  imageBlockInputSchema,
  videoBlockInputSchema,
  stepsBlockInputSchema,
  calloutBlockInputSchema,
  taskBlockInputSchema,
]);
export type BlockInput = z.input<typeof blockInputSchema>;
export type BlockSource = z.output<typeof blockInputSchema>;

export const blocksInputSchema = z
  .array(blockInputSchema)
  .max(MAX_BLOCKS)
  .refine((blocks) => unique(blocks.map((b) => b.id)), { message: 'Each block id once' });

// ---- Blocks (what the API answers: source plus rendered HTML) ----

const personaIdsOut = z.array(idSchema);
const blockOutBase = { id: idSchema, personaIds: personaIdsOut };

export const blockSchema = z.discriminatedUnion('kind', [
  z.object({ ...blockOutBase, kind: z.literal('text'), markdown: z.string(), html: z.string() }),
  z.object({
    ...blockOutBase,
    kind: z.literal('image'),
    assetId: idSchema.nullable(),
    alt: z.string(),
    caption: z.string(),
  }),
  z.object({ ...blockOutBase, kind: z.literal('video'), url: z.string(), title: z.string() }),
  z.object({
    ...blockOutBase,
    kind: z.literal('steps'),
    steps: z.array(
      z.object({ markdown: z.string(), html: z.string(), assetId: idSchema.nullable() }),
    ),
  }),
  z.object({
    ...blockOutBase,
    kind: z.literal('callout'),
    tone: z.enum(calloutTones),
    markdown: z.string(),
    html: z.string(),
  }),
  z.object({
    ...blockOutBase,
    kind: z.literal('task'),
    markdown: z.string(),
    html: z.string(),
    check: z.string(),
    checkHtml: z.string(),
  }),
]);
export type Block = z.infer<typeof blockSchema>;

// ---- Cards ----

const questionSchema = z.string().trim().min(1).max(QUESTION_MAX);
const explanationSchema = z.string().trim().max(MARKDOWN_MAX_LENGTH).default('');
/** Seconds a learner who knows the answer needs; null: worked out from the card's length. */
const expectedSecondsSchema = z
  .number()
  .int()
  .min(EXPECTED_SECONDS_MIN)
  .max(EXPECTED_SECONDS_MAX)
  .nullable()
  .default(null);

/** An answer option (or an order step); the id is kept across saves when the editor sends it. */
const optionInputSchema = z.strictObject({
  id: idSchema.optional(),
  text: z.string().trim().min(1).max(OPTION_MAX),
});
const choiceOptionInputSchema = optionInputSchema.extend({ correct: z.boolean() });

const cardBase = {
  /** Place among the lesson's cards; a new card goes last when absent. */
  position: z.number().int().min(0).max(10_000).optional(),
  question: questionSchema,
  explanation: explanationSchema,
  expectedSeconds: expectedSecondsSchema,
};

const choiceOptions = z
  .array(choiceOptionInputSchema)
  .min(2, { message: issueMessages.twoOptions })
  .max(MAX_OPTIONS);

/**
 * The five kinds of card, each with the fields in `extra` (the module file adds `id`), and the
 * checks a card must pass at every save.
 */
const correctCount = (card: unknown) =>
  (card as { options: { correct: boolean }[] }).options.filter((o) => o.correct).length;

export function cardInputUnion<E extends z.ZodRawShape>(extra: E) {
  const base = { ...cardBase, ...extra };
  return z.discriminatedUnion('kind', [
    z
      .strictObject({ ...base, kind: z.literal('single'), options: choiceOptions })
      .refine((c) => correctCount(c) === 1, {
        message: issueMessages.oneCorrect,
        path: ['options'],
      }),
    z
      .strictObject({ ...base, kind: z.literal('multiple'), options: choiceOptions })
      .refine((c) => correctCount(c) >= 1, {
        message: issueMessages.someCorrect,
        path: ['options'],
      }),
    z.strictObject({
      ...base,
      kind: z.literal('truefalse'),
      /** Whether the statement in `question` is true. */
      answer: z.boolean(),
    }),
    z.strictObject({
      ...base,
      kind: z.literal('order'),
      /** The steps in their right order; learners get them shuffled. */
      steps: z
        .array(optionInputSchema)
        .min(MIN_ORDER_STEPS, { message: issueMessages.orderSteps })
        .max(MAX_ORDER_STEPS),
    }),
    z.strictObject({
      ...base,
      kind: z.literal('short'),
      /** Learners compare their own answer with this one and say whether they got it. */
      modelAnswer: z.string().trim().min(1).max(OPTION_MAX),
    }),
  ]);
}

export const cardContentInputSchema = cardInputUnion({});
export type CardContentInput = z.input<typeof cardContentInputSchema>;
export type CardContentSource = z.output<typeof cardContentInputSchema>;

const optionOut = z.object({ id: idSchema, text: z.string(), html: z.string() });
const cardOutBase = {
  id: idSchema,
  lessonId: idSchema,
  position: z.number().int(),
  question: z.string(),
  questionHtml: z.string(),
  explanation: z.string(),
  explanationHtml: z.string(),
  /** As set by the trainer; null when worked out from the length. */
  expectedSeconds: z.number().int().nullable(),
  /** What the app uses to tell a fast answer from a slow one. */
  effectiveExpectedSeconds: z.number().int(),
  updatedAt: isoDate,
};
export const cardSchema = z.discriminatedUnion('kind', [
  z.object({
    ...cardOutBase,
    kind: z.literal('single'),
    options: z.array(optionOut.extend({ correct: z.boolean() })),
  }),
  z.object({
    ...cardOutBase,
    kind: z.literal('multiple'),
    options: z.array(optionOut.extend({ correct: z.boolean() })),
  }),
  z.object({ ...cardOutBase, kind: z.literal('truefalse'), answer: z.boolean() }),
  z.object({ ...cardOutBase, kind: z.literal('order'), steps: z.array(optionOut) }),
  z.object({ ...cardOutBase, kind: z.literal('short'), modelAnswer: z.string() }),
]);
export type Card = z.infer<typeof cardSchema>;

export const createCardBodySchema = cardContentInputSchema;
/** A card is replaced as a whole (its kind may change); ids of kept options are kept. */
export const updateCardBodySchema = createCardBodySchema;
export type CardBody = z.output<typeof createCardBodySchema>;

// ---- Lessons ----

export const lessonSchema = z.object({
  id: idSchema,
  moduleId: idSchema,
  title: z.string(),
  position: z.number().int(),
  /** The whole lesson is only for these personas; empty: everyone. */
  personaIds: personaIdsOut,
  blocks: z.array(blockSchema),
  cards: z.array(cardSchema),
  updatedAt: isoDate,
});
export type Lesson = z.infer<typeof lessonSchema>;

export const createLessonBodySchema = z.strictObject({
  title: titleSchema,
  personaIds: personaIdsSchema,
  blocks: blocksInputSchema.default([]),
});
export type CreateLessonBody = z.output<typeof createLessonBodySchema>;
export type CreateLessonInput = z.input<typeof createLessonBodySchema>;

/** Autosave sends the whole lesson (title, variants, blocks in order) or a part of it. */
export const updateLessonBodySchema = z
  .strictObject({
    title: titleSchema,
    // Without the default: a save that leaves the variants out must not clear them.
    personaIds: personaIdsSchema.unwrap(),
    blocks: blocksInputSchema,
  })
  .partial()
  .refine((b) => Object.keys(b).length > 0, { message: 'Nothing to change' });
export type UpdateLessonBody = z.output<typeof updateLessonBodySchema>;
export type UpdateLessonInput = z.input<typeof updateLessonBodySchema>;

export const reorderBodySchema = z.strictObject({
  /** Every id of the list, once, in the new order. */
  ids: z
    .array(idSchema)
    .max(MAX_LESSONS * MAX_CARDS_PER_LESSON)
    .refine(unique, { message: 'Each id once' }),
});
export type ReorderBody = z.output<typeof reorderBodySchema>;

// ---- Modules ----

export const lessonSummarySchema = z.object({
  id: idSchema,
  title: z.string(),
  position: z.number().int(),
  personaIds: personaIdsOut,
  blockCount: z.number().int(),
  cardCount: z.number().int(),
  /** For the persona who sees the most of it. */
  estimatedSeconds: z.number().int(),
});
export type LessonSummary = z.infer<typeof lessonSummarySchema>;

export const moduleSummarySchema = z.object({
  id: idSchema,
  title: z.string(),
  summary: z.string(),
  toolId: idSchema,
  toolName: z.string(),
  processId: idSchema.nullable(),
  processName: z.string().nullable(),
  jobRoleIds: z.array(idSchema),
  teamIds: z.array(idSchema),
  estimatedMinutes: z.number().int(),
  criticality: criticalitySchema,
  /**
   * Overrides the persona's and organisation's desired retention; null: none. Applies to the
   * next answers at once, published or not: it is not part of the published versions.
   */
  desiredRetention: z.number().nullable(),
  status: moduleStatusSchema,
  /** Latest published version number; null before the first publication. */
  version: z.number().int().nullable(),
  publishedAt: isoDate.nullable(),
  /** The working copy differs from the latest published version. */
  hasUnpublishedChanges: z.boolean(),
  lessonCount: z.number().int(),
  cardCount: z.number().int(),
  createdAt: isoDate,
  updatedAt: isoDate,
});
export type ModuleSummary = z.infer<typeof moduleSummarySchema>;
export const moduleListSchema = z.object({ items: z.array(moduleSummarySchema) });

export const moduleDetailSchema = moduleSummarySchema.extend({
  lessons: z.array(lessonSummarySchema),
});
export type ModuleDetail = z.infer<typeof moduleDetailSchema>;

export const moduleListQuerySchema = z.strictObject({
  toolId: idSchema.optional(),
  jobRoleId: idSchema.optional(),
  status: moduleStatusSchema.optional(),
});
export type ModuleListQuery = z.output<typeof moduleListQuerySchema>;

const targetIdsSchema = z
  .array(idSchema)
  .max(MAX_TARGETS)
  .refine(unique, { message: 'Each one once' })
  .default([]);

export const createModuleBodySchema = z.strictObject({
  title: titleSchema,
  summary: z.string().trim().max(SUMMARY_MAX).default(''),
  toolId: idSchema,
  processId: idSchema.nullable().default(null),
  jobRoleIds: targetIdsSchema,
  teamIds: targetIdsSchema,
  estimatedMinutes: z.number().int().min(1).max(240).default(5),
  criticality: criticalitySchema.default('normal'),
  desiredRetention: retentionOverrideSchema.default(null),
});
export type CreateModuleBody = z.output<typeof createModuleBodySchema>;
export type CreateModuleInput = z.input<typeof createModuleBodySchema>;

export const updateModuleBodySchema = z
  .strictObject({
    title: titleSchema,
    summary: z.string().trim().max(SUMMARY_MAX),
    toolId: idSchema,
    processId: idSchema.nullable(),
    // Without the default: a change that leaves the targets out must not clear them.
    jobRoleIds: targetIdsSchema.unwrap(),
    teamIds: targetIdsSchema.unwrap(),
    estimatedMinutes: z.number().int().min(1).max(240),
    criticality: criticalitySchema,
    desiredRetention: retentionOverrideSchema,
    /** `archived` withdraws a published module; `published` brings an archived one back. */
    status: z.enum(['published', 'archived']),
  })
  .partial()
  .refine((b) => Object.keys(b).length > 0, { message: 'Nothing to change' });
export type UpdateModuleBody = z.output<typeof updateModuleBodySchema>;

export const moduleParamsSchema = orgIdParamsSchema.extend({ moduleId: idSchema });
export const lessonParamsSchema = orgIdParamsSchema.extend({ lessonId: idSchema });
export const cardParamsSchema = orgIdParamsSchema.extend({ cardId: idSchema });
export const assetParamsSchema = orgIdParamsSchema.extend({ assetId: idSchema });

// ---- Publishing ----

/** One thing to fix before publishing, with where it is. */
export const publishProblemSchema = z.object({
  lessonId: idSchema.nullable(),
  blockId: idSchema.nullable(),
  code: z.enum([
    'no-lessons',
    'lesson-empty',
    'text-empty',
    'image-missing',
    'image-alt-missing',
    'video-url-missing',
    'steps-empty',
    'task-empty',
  ]),
});
export type PublishProblem = z.infer<typeof publishProblemSchema>;

/** What changed in the working copy since the latest version: the publish summary. */
export const moduleChangesSchema = z.object({
  /** The version publishing would create. */
  nextVersion: z.number().int(),
  /** Module fields that differ (title, summary, targets…). */
  moduleFields: z.array(z.string()),
  lessonsAdded: z.array(z.object({ id: idSchema, title: z.string() })),
  lessonsRemoved: z.array(z.object({ id: idSchema, title: z.string() })),
  lessonsChanged: z.array(z.object({ id: idSchema, title: z.string() })),
  cardsAdded: z.number().int(),
  cardsRemoved: z.number().int(),
  cardsChanged: z.number().int(),
  /** Empty when the module can be published. */
  problems: z.array(publishProblemSchema),
});
export type ModuleChanges = z.infer<typeof moduleChangesSchema>;

// ---- Assets ----

export const assetSchema = z.object({
  id: idSchema,
  contentType: imageTypeSchema,
  size: z.number().int(),
  createdAt: isoDate,
});
export type Asset = z.infer<typeof assetSchema>;

/** The URL an uploaded image is served from (any member of the organisation may read it). */
export function assetUrl(orgId: string, assetId: string): string {
  return `/api/orgs/${orgId}/assets/${assetId}`;
}

// ---- Pure rules shared by the editor, the server and the lesson player ----

/** Whether something limited to `personaIds` is shown to `personaId` (null: no persona yet). */
export function visibleTo(personaIds: readonly string[], personaId: string | null): boolean {
  return personaIds.length === 0 || (personaId !== null && personaIds.includes(personaId));
}

/**
 * The lesson exactly as one persona sees it: null when the whole lesson is limited to other
 * personas, else the lesson with only the blocks meant for that persona. `personaId` null is a
 * learner without a persona: they see what is meant for everyone.
 */
export function lessonForPersona<
  L extends { personaIds: readonly string[]; blocks: readonly B[] },
  B extends { personaIds: readonly string[] },
>(lesson: L, personaId: string | null): L | null {
  if (!visibleTo(lesson.personaIds, personaId)) return null;
  return { ...lesson, blocks: lesson.blocks.filter((b) => visibleTo(b.personaIds, personaId)) };
}

const WORDS_PER_MINUTE = 180;
function words(markdown: string): number {
  return markdown.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}

/**
 * Reading and doing time of some blocks, in seconds: 180 words a minute, plus 15 s a procedure
 * step, 10 s an image, 90 s a video and 60 s a "try it now" task.
 */
export function estimateBlocksSeconds(blocks: readonly BlockSource[] | readonly Block[]): number {
  let seconds = 0;
  for (const block of blocks) {
    switch (block.kind) {
      case 'text':
      case 'callout':
        seconds += (words(block.markdown) * 60) / WORDS_PER_MINUTE;
        break;
      case 'image':
        seconds += 10;
        break;
      case 'video':
        seconds += 90;
        break;
      case 'steps':
        for (const step of block.steps) {
          seconds += 15 + (words(step.markdown) * 60) / WORDS_PER_MINUTE;
          if (step.assetId) seconds += 5;
        }
        break;
      case 'task':
        seconds += 60 + ((words(block.markdown) + words(block.check)) * 60) / WORDS_PER_MINUTE;
        break;
    }
  }
  return Math.round(seconds);
}

/**
 * A learner's time on a lesson as they see it: reading and doing its blocks, then answering its
 * check (each card's expected answer time). What Today's next lesson and the look-up list show.
 */
export function lessonTimeSeconds(lesson: {
  blocks: readonly (BlockSource | Block)[];
  cards: readonly { effectiveExpectedSeconds: number }[];
}): number {
  return (
    estimateBlocksSeconds(lesson.blocks as BlockSource[]) +
    lesson.cards.reduce((sum, c) => sum + c.effectiveExpectedSeconds, 0)
  );
}

/**
 * The longest time any persona spends on the lesson (the one who sees the most blocks), so the
 * five-minute warning fires whenever some learner would exceed it.
 */
export function estimateLessonSeconds(
  lesson: { personaIds: readonly string[]; blocks: readonly (BlockSource | Block)[] },
  personaIds: readonly string[],
): number {
  const everyone = estimateBlocksSeconds(
    lesson.blocks.filter((b) => b.personaIds.length === 0) as BlockSource[],
  );
  let most = everyone;
  for (const personaId of personaIds) {
    const seen = lessonForPersona(lesson, personaId);
    if (seen) most = Math.max(most, estimateBlocksSeconds(seen.blocks as BlockSource[]));
  }
  return most;
}

/**
 * Default expected answer time of a card: 4 s to start, reading at 180 words a minute (the
 * question and every option or step), 2 s per option to choose, 6 s per step to order, 8 s to
 * recall a short answer. Between 5 and 120 s.
 */
export function defaultExpectedSeconds(card: CardContentSource): number {
  let seconds = 4 + (words(card.question) * 60) / WORDS_PER_MINUTE;
  switch (card.kind) {
    case 'single':
    case 'multiple':
      for (const o of card.options) seconds += 2 + (words(o.text) * 60) / WORDS_PER_MINUTE;
      if (card.kind === 'multiple') seconds += 3;
      break;
    case 'truefalse':
      seconds += 2;
      break;
    case 'order':
      for (const s of card.steps) seconds += 6 + (words(s.text) * 60) / WORDS_PER_MINUTE;
      break;
    case 'short':
      seconds += 8;
      break;
  }
  return Math.min(120, Math.max(5, Math.round(seconds)));
}

/** What keeps a working copy from being published; empty when it is ready. */
export function publishProblems(
  lessons: readonly { id: string; blocks: readonly (BlockSource | Block)[] }[],
): PublishProblem[] {
  const problems: PublishProblem[] = [];
  if (lessons.length === 0) problems.push({ lessonId: null, blockId: null, code: 'no-lessons' });
  for (const lesson of lessons) {
    const at = (blockId: string | null, code: PublishProblem['code']) =>
      problems.push({ lessonId: lesson.id, blockId, code });
    if (lesson.blocks.length === 0) at(null, 'lesson-empty');
    for (const block of lesson.blocks) {
      switch (block.kind) {
        case 'text':
        case 'callout':
          if (!block.markdown.trim()) at(block.id, 'text-empty');
          break;
        case 'image':
          if (!block.assetId) at(block.id, 'image-missing');
          else if (!block.alt.trim()) at(block.id, 'image-alt-missing');
          break;
        case 'video':
          if (!block.url) at(block.id, 'video-url-missing');
          break;
        case 'steps':
          if (block.steps.length === 0 || block.steps.some((s) => !s.markdown.trim())) {
            at(block.id, 'steps-empty');
          }
          break;
        case 'task':
          if (!block.markdown.trim() || !block.check.trim()) at(block.id, 'task-empty');
          break;
      }
    }
  }
  return problems;
}
