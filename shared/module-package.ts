/**
 * The portable module file, `rappel.module/1`: one JSON document holding a module with its
 * lessons, cards, the personas its variants use and its images, so a trainer can export it from
 * one organisation and import it into another.
 *
 * Nothing in it refers to the source organisation's rows: the tool, process, job roles and teams
 * travel by name (matched case-insensitively on import), personas and images travel whole inside
 * the file and are referred to by the ids the file gives them. Lessons, blocks, cards and options
 * keep their ids in the file; import gives them new ones (an organisation can import the same
 * file twice).
 *
 * Only Markdown sources travel; the importing server renders and sanitises them again, so a
 * hand-edited file can carry no HTML of its own. Published as JSON Schema at
 * `GET /api/schemas/module-package.json`.
 */
import { z } from 'zod';
import { idSchema, nameSchema } from './common';
import { retentionOverrideSchema, useDayTargetSchema } from './retention';
import {
  cardInputUnion,
  createModuleBodySchema,
  IMAGE_MAX_BYTES,
  imageTypeSchema,
  blocksInputSchema,
  MAX_CARDS_PER_LESSON,
  MAX_LESSONS,
  personaIdsSchema,
  titleSchema,
} from './modules';
import { confidenceSchema, descriptionSchema, deviceSchema, minutesPerDaySchema } from './personas';
import { nextUseSchema } from './tools';

export const MODULE_PACKAGE_FORMAT = 'rappel.module/1';
export const MAX_PACKAGE_IMAGES = 40;
export const MAX_PACKAGE_PERSONAS = 20;
/** Base64 of `IMAGE_MAX_BYTES` bytes. */
const IMAGE_DATA_MAX = Math.ceil(IMAGE_MAX_BYTES / 3) * 4;
/** Largest file the import route accepts, in bytes (images included). */
export const MODULE_PACKAGE_MAX_BYTES = 25 * 1024 * 1024;

const unique = (values: string[]) => new Set(values).size === values.length;
const uniqueBy =
  <T>(key: (item: T) => string, message: string) =>
  (items: T[], ctx: z.RefinementCtx) => {
    const seen = new Set<string>();
    items.forEach((item, i) => {
      const k = key(item);
      if (seen.has(k)) ctx.addIssue({ code: 'custom', message, path: [i] });
      seen.add(k);
    });
  };

const namedThing = z.strictObject({
  name: nameSchema,
  description: z.string().trim().max(1000).default(''),
});

export const packagePersonaSchema = z.strictObject({
  /** Referred to by `personaIds` in lessons and blocks of this file. */
  id: idSchema,
  name: nameSchema,
  description: descriptionSchema.default(''),
  confidence: confidenceSchema,
  device: deviceSchema,
  minutesPerDay: minutesPerDaySchema,
});

export const packageImageSchema = z.strictObject({
  /** Referred to by `assetId` in image blocks and procedure steps of this file. */
  id: idSchema,
  contentType: imageTypeSchema,
  /** The image bytes, base64; the type is checked against the content on import. */
  data: z
    .string()
    .max(IMAGE_DATA_MAX, { message: 'Image larger than 2 MiB' })
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, { message: 'Not base64' }),
});

export const packageCardSchema = cardInputUnion({ id: idSchema });

export const packageLessonSchema = z.strictObject({
  id: idSchema,
  title: titleSchema,
  personaIds: personaIdsSchema,
  blocks: blocksInputSchema,
  cards: z.array(packageCardSchema).max(MAX_CARDS_PER_LESSON),
});

const moduleFields = createModuleBodySchema.shape;

export const modulePackageSchema = z.strictObject({
  format: z.literal(MODULE_PACKAGE_FORMAT),
  module: z.strictObject({
    title: moduleFields.title,
    summary: moduleFields.summary,
    estimatedMinutes: moduleFields.estimatedMinutes,
    criticality: moduleFields.criticality,
    /**
     * The recall refreshers aim for in this module, overriding the importing organisation's
     * (0.70–0.97). Absent or null: none. Optional, so files written before it still import.
     */
    desiredRetention: retentionOverrideSchema.optional(),
    tool: namedThing,
    /**
     * `useDayTarget`: the recall aimed for on each use day (0.70–0.97); absent or null: the
     * default. Optional, like `nextUse`, so files written before it still import.
     */
    process: namedThing
      .extend({ nextUse: nextUseSchema.optional(), useDayTarget: useDayTargetSchema.optional() })
      .nullable()
      .default(null),
    /** Job role names; those the importing organisation lacks are left out (and reported). */
    jobRoles: z
      .array(nameSchema)
      .max(100)
      .refine(unique, { message: 'Each name once' })
      .default([]),
    /** Team names, as for job roles. */
    teams: z.array(nameSchema).max(100).refine(unique, { message: 'Each name once' }).default([]),
  }),
  personas: z
    .array(packagePersonaSchema)
    .max(MAX_PACKAGE_PERSONAS)
    .superRefine(uniqueBy((p) => p.id, 'Each persona id once'))
    .default([]),
  images: z
    .array(packageImageSchema)
    .max(MAX_PACKAGE_IMAGES)
    .superRefine(uniqueBy((i) => i.id, 'Each image id once'))
    .default([]),
  lessons: z.array(packageLessonSchema).max(MAX_LESSONS),
});
export type ModulePackageInput = z.input<typeof modulePackageSchema>;
export type ModulePackage = z.output<typeof modulePackageSchema>;

/** What `POST …/modules/import` answers. */
export const importResultSchema = z.object({
  moduleId: idSchema,
  /** Job roles and teams of the file that this organisation does not have (left out). */
  unmatchedJobRoles: z.array(z.string()),
  unmatchedTeams: z.array(z.string()),
  /** Personas created because no persona of that name existed here. */
  createdPersonas: z.array(z.string()),
  /** Whether the tool (and process) had to be created. */
  createdTool: z.boolean(),
  createdProcess: z.boolean(),
});
export type ImportResult = z.infer<typeof importResultSchema>;
