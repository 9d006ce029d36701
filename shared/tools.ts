import { z } from 'zod';
import { type WorkingCalendar, addDays, nextWorkingDay, previousWorkingDay } from './calendar';
import { idSchema, isoDate, nameSchema } from './common';
import { orgIdParamsSchema } from './orgs';
import { useDayTargetSchema } from './retention';

// ---- Next-use dates ----

/** Recurring next-use rules; working days are the organisation's (shared/calendar.ts). */
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

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * The first (or last) working day of a month (`month` 1–12), or undefined when the
 * organisation works no day of it (a month-long closure): that month has no use.
 */
function workingDayOfMonth(
  cal: WorkingCalendar,
  year: number,
  month: number,
  which: 'first' | 'last',
): string | undefined {
  const prefix = `${year}-${pad(month)}-`;
  const first = `${prefix}01`;
  const date =
    which === 'first'
      ? nextWorkingDay(cal, first, { includeSelf: true })
      : previousWorkingDay(cal, addDays(addMonths(first, 1), -1), { includeSelf: true });
  return date.startsWith(prefix) ? date : undefined;
}

function addMonths(firstOfMonth: string, months: number): string {
  const [y, m] = firstOfMonth.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + months;
  return `${Math.floor(index / 12)}-${pad((index % 12) + 1)}-01`;
}

function ruleDateInMonth(
  cal: WorkingCalendar,
  rule: NextUseRule,
  year: number,
  month: number,
): string | undefined {
  if (rule === 'first-working-day-of-month') return workingDayOfMonth(cal, year, month, 'first');
  if (rule === 'last-working-day-of-month') return workingDayOfMonth(cal, year, month, 'last');
  // Quarters end in March, June, September and December.
  return month % 3 === 0 ? workingDayOfMonth(cal, year, month, 'last') : undefined;
}

/**
 * The next `count` dates (`YYYY-MM-DD`, `from` included) on which a process is used. A rule
 * counts the organisation's working days (`cal`: its weekdays, public holidays and closures),
 * so a month-end close falling on a public holiday moves to the working day before; a month
 * with no working day has no use. Explicit dates are taken as given; those before `from` are
 * skipped; fewer than `count` come back when the list runs out.
 */
export function nextUseDates(
  cal: WorkingCalendar,
  nextUse: NextUse,
  from: string,
  count: number,
): string[] {
  if (nextUse.kind === 'none' || count <= 0) return [];
  if (nextUse.kind === 'dates') return nextUse.dates.filter((d) => d >= from).slice(0, count);
  const out: string[] = [];
  let [year, month] = from.split('-').map(Number) as [number, number];
  // A calendar closed for good would otherwise never give `count` dates.
  for (let months = 0; out.length < count && months < count * 12 + 12; months += 1) {
    const date = ruleDateInMonth(cal, nextUse.rule, year, month);
    if (date && date >= from) out.push(date);
    month += 1;
    if (month === 13) [year, month] = [year + 1, 1];
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
  /** Recall aimed for on each use day; null: `DEFAULT_USE_DAY_TARGET`. */
  useDayTarget: z.number().nullable(),
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
  useDayTarget: useDayTargetSchema.default(null),
});
export type CreateProcessBody = z.output<typeof createProcessBodySchema>;

export const updateProcessBodySchema = z
  .strictObject({
    name: nameSchema,
    description: toolDescriptionSchema,
    nextUse: nextUseSchema,
    useDayTarget: useDayTargetSchema,
  })
  .partial()
  .refine((b) => Object.keys(b).length > 0, { message: 'Nothing to change' });
export type UpdateProcessBody = z.output<typeof updateProcessBodySchema>;

export const nextUsesQuerySchema = z.strictObject({
  /** First day to consider, included; today in the organisation's zone when absent. */
  from: calendarDateSchema.optional(),
  count: z.coerce.number().int().min(1).max(MAX_NEXT_USE_DATES).default(5),
});
export const nextUsesResultSchema = z.object({ dates: z.array(calendarDateSchema) });
