/**
 * Lessons to look up again: a learner's own lessons, finished or not, listed by module or found
 * by words in them, so that Rappel helps at the moment of need and not only while learning.
 */
import { z } from 'zod';
import { idSchema } from './common';

/** The longest search a learner may type. */
export const LOOKUP_QUERY_MAX = 200;
/** The most lessons a search answers. */
export const LOOKUP_MATCH_LIMIT = 20;

export const lookupQuerySchema = z.strictObject({
  /** Words to find (web search syntax: "quoted phrase", -excluded, or). Absent: list everything. */
  q: z.string().trim().min(1).max(LOOKUP_QUERY_MAX).optional(),
});
export type LookupQuery = z.output<typeof lookupQuerySchema>;

export const lookupLessonSchema = z.object({
  lessonId: idSchema,
  title: z.string(),
  /** Finished, or marked known by a placement check: reopening it only reads it. */
  done: z.boolean(),
  /** Reading it and answering its check, rounded up. */
  minutes: z.number().int(),
});
export type LookupLesson = z.infer<typeof lookupLessonSchema>;

export const lookupModuleSchema = z.object({
  moduleId: idSchema,
  title: z.string(),
  lessons: z.array(lookupLessonSchema),
});
export type LookupModule = z.infer<typeof lookupModuleSchema>;

/**
 * A piece of an excerpt: plain text, `match` where it matched the search. Text, never HTML, so
 * the page inserts it as text and marks the matches itself.
 */
export const excerptPartSchema = z.object({ text: z.string(), match: z.boolean() });
export type ExcerptPart = z.infer<typeof excerptPartSchema>;

export const lookupMatchSchema = z.object({
  moduleId: idSchema,
  moduleTitle: z.string(),
  lessonId: idSchema,
  lessonTitle: z.string(),
  done: z.boolean(),
  excerpt: z.array(excerptPartSchema),
});
export type LookupMatch = z.infer<typeof lookupMatchSchema>;

/** Without a query: the modules and their lessons, in module order. With one: the best matches. */
export const lookupSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('modules'), modules: z.array(lookupModuleSchema) }),
  z.object({ kind: z.literal('matches'), query: z.string(), matches: z.array(lookupMatchSchema) }),
]);
export type Lookup = z.infer<typeof lookupSchema>;

/**
 * Splits a highlighted excerpt into parts: `start` and `stop` surround each match (the
 * database's `ts_headline` puts them there). Empty parts are left out.
 */
export function excerptParts(text: string, start: string, stop: string): ExcerptPart[] {
  const parts: ExcerptPart[] = [];
  for (const [i, piece] of text.split(start).entries()) {
    const [marked, rest] = i === 0 ? [null, piece] : splitOnce(piece, stop);
    if (marked) parts.push({ text: marked, match: true });
    if (rest) parts.push({ text: rest, match: false });
  }
  return parts;
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return at === -1 ? [text, ''] : [text.slice(0, at), text.slice(at + separator.length)];
}
