/**
 * The target recall (desired retention) of a persona or module as forms hold it: a whole percent,
 * null for "the organisation's".
 */
import type { z } from 'zod';
import { desiredRetentionSchema, RETENTION_MAX, RETENTION_MIN } from '$shared/learning';
import { m } from '$lib/paraglide/messages.js';

export const percentOf = (retention: number) => Math.round(retention * 100);
export const toPercent = (retention: number | null) =>
  retention === null ? null : percentOf(retention);

export const RETENTION_PERCENT_MIN = percentOf(RETENTION_MIN);
export const RETENTION_PERCENT_MAX = percentOf(RETENTION_MAX);

export const fromPercent = (percent: number | null) =>
  percent === null ? null : Math.round(percent) / 100;

/**
 * A shared persona or module body schema that also checks the target recall's range, said as
 * the range: the shared schemas leave that check to the server (see `retentionOverrideSchema`).
 */
export function withRetentionRange<S extends z.ZodType<{ desiredRetention?: number | null }>>(
  schema: S,
) {
  return schema.superRefine((body, ctx) => {
    const value = body.desiredRetention;
    if (value === null || value === undefined) return;
    if (desiredRetentionSchema.safeParse(value).success) return;
    ctx.addIssue({
      code: 'custom',
      path: ['desiredRetention'],
      message: m.learn_settings_range({ min: RETENTION_PERCENT_MIN, max: RETENTION_PERCENT_MAX }),
    });
  });
}
