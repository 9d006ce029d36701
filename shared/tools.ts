import { z } from 'zod';
import { idSchema, isoDate, nameSchema } from './common';
import { orgIdParamsSchema } from './orgs';

// ---- Next-use dates ----

/** Recurring next-use rules; a working day is Monday to Friday (no holiday calendar yet). */
export const nextUseRules = [
  'last-working-day-of-month',
  'first-working-day-of-month',
  'last-working-day-of-quarter',
] as const;
export const nextUseRuleSchema = z.enum(nextUseRules);
export type NextUseRule = z.infer<typeof nextUseRuleSchema>;

export const MAX_NEXT_USE_DATES = 100;

/** A calendar date, `YYYY-MM-DD` (no time, no zone). */
export const calendarDateSchema = z.iso.date();

const increasing = (dates: string[]) => dates.every((d, i) => i === 0 || dates[i - 1]! < d);

/** When a process is next used: never said, by a recurring rule, or on explicit dates. */
export const nextUseSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('none') }),
  z.strictObject({ kind: z.literal('rule'), rule: nextUseRuleSchema }),
  z.strictObject({
    kind: z.literal('dates'),
    dates: z
      .array(calendarDateSchema)
      .min(1)
      .max(MAX_NEXT_USE_DATES)
      .refine(increasing, { message: 'Dates must be in increasing order, each once' }),
  }),
]);
export type NextUse = z.infer<typeof nextUseSchema>;

const DAY_MS = 86_400_000;

function parseDate(date: string): Date {
  return new Date(`${date}T00:00:00Z`);
}

function formatDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function isWorkingDay(date: Date): boolean {
  const day = date.getUTCDay();
  return day !== 0 && day !== 6;
}

/** The first (or last) Monday–Friday of a month; `month` is 0-based and may overflow. */
function workingDayOfMonth(year: number, month: number, which: 'first' | 'last'): Date {
  let d =
    which === 'first' ? new Date(Date.UTC(year, month, 1)) : new Date(Date.UTC(year, month + 1, 0)); // day 0 of the next month: the last day
  const step = which === 'first' ? DAY_MS : -DAY_MS;
  while (!isWorkingDay(d)) d = new Date(d.getTime() + step);
  return d;
}

function ruleDateInMonth(rule: NextUseRule, year: number, month: number): Date | undefined {
  if (rule === 'first-working-day-of-month') return workingDayOfMonth(year, month, 'first');
  if (rule === 'last-working-day-of-month') return workingDayOfMonth(year, month, 'last');
  // Quarters end in March, June, September and December.
  return month % 3 === 2 ? workingDayOfMonth(year, month, 'last') : undefined;
}

/**
 * The next `count` dates (`YYYY-MM-DD`, `from` included) on which a process is used. A rule
 * counts only Monday–Friday as working days; public holidays are not known yet. Explicit dates
 * before `from` are skipped; fewer than `count` come back when the list runs out.
 */
export function nextUseDates(nextUse: NextUse, from: string, count: number): string[] {
  if (nextUse.kind === 'none' || count <= 0) return [];
  if (nextUse.kind === 'dates') return nextUse.dates.filter((d) => d >= from).slice(0, count);
  const start = parseDate(from);
  const out: string[] = [];
  let year = start.getUTCFullYear();
  let month = start.getUTCMonth();
  while (out.length < count) {
    const date = ruleDateInMonth(nextUse.rule, year, month);
    if (date && date.getTime() >= start.getTime()) out.push(formatDate(date));
    month += 1;
    if (month === 12) [year, month] = [year + 1, 0];
  }
  return out;
}

// ---- Tools and processes ----

export const toolDescriptionSchema = z.string().trim().max(2000).nullable();

export const processSchema = z.object({
  id: idSchema,
  toolId: idSchema,
  name: z.string(),
  description: z.string().nullable(),
  nextUse: nextUseSchema,
  createdAt: isoDate,
  updatedAt: isoDate,
});
export type Process = z.infer<typeof processSchema>;

export const toolSchema = z.object({
  id: idSchema,
  name: z.string(),
  description: z.string().nullable(),
  processCount: z.number().int().nonnegative(),
  createdAt: isoDate,
  updatedAt: isoDate,
});
export type Tool = z.infer<typeof toolSchema>;
export const toolListSchema = z.object({ items: z.array(toolSchema) });
/** One tool with its processes, by name. */
export const toolDetailSchema = toolSchema.extend({ processes: z.array(processSchema) });
export type ToolDetail = z.infer<typeof toolDetailSchema>;

export const toolParamsSchema = orgIdParamsSchema.extend({ toolId: idSchema });
export const processParamsSchema = orgIdParamsSchema.extend({ processId: idSchema });

export const createToolBodySchema = z.strictObject({
  name: nameSchema,
  description: toolDescriptionSchema.default(null),
});
export type CreateToolBody = z.output<typeof createToolBodySchema>;

export const updateToolBodySchema = z
  .strictObject({ name: nameSchema, description: toolDescriptionSchema })
  .partial()
  .refine((b) => Object.keys(b).length > 0, { message: 'Nothing to change' });
export type UpdateToolBody = z.output<typeof updateToolBodySchema>;

export const createProcessBodySchema = z.strictObject({
  name: nameSchema,
  description: toolDescriptionSchema.default(null),
  nextUse: nextUseSchema.default({ kind: 'none' }),
});
export type CreateProcessBody = z.output<typeof createProcessBodySchema>;

export const updateProcessBodySchema = z
  .strictObject({ name: nameSchema, description: toolDescriptionSchema, nextUse: nextUseSchema })
  .partial()
  .refine((b) => Object.keys(b).length > 0, { message: 'Nothing to change' });
export type UpdateProcessBody = z.output<typeof updateProcessBodySchema>;

export const nextUsesQuerySchema = z.strictObject({
  /** First day to consider, included; today (UTC) when absent. */
  from: calendarDateSchema.optional(),
  count: z.coerce.number().int().min(1).max(MAX_NEXT_USE_DATES).default(5),
});
export const nextUsesResultSchema = z.object({ dates: z.array(calendarDateSchema) });
