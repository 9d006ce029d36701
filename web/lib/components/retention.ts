/**
 * The target recall (desired retention) of a persona or module as forms hold it: a whole percent,
 * null for "the organisation's".
 */
import type { z } from 'zod';
import { RETENTION_MAX, RETENTION_MIN } from '$shared/learning';
import type { FormState } from '$lib/form.svelte';
import { m } from '$lib/paraglide/messages.js';

export const percentOf = (retention: number) => Math.round(retention * 100);
export const toPercent = (retention: number | null) =>
  retention === null ? null : percentOf(retention);

export const RETENTION_PERCENT_MIN = percentOf(RETENTION_MIN);
export const RETENTION_PERCENT_MAX = percentOf(RETENTION_MAX);

export const fromPercent = (percent: number | null) =>
  percent === null ? null : Math.round(percent) / 100;

/**
 * `form.check` for a body with a target recall (`field`): the shared schema checks its range as
 * a fraction (0.7–0.97), and the form says it as the percent range people type.
 */
export function checkWithRetention<S extends z.ZodType>(
  form: FormState,
  schema: S,
  input: unknown,
  el: HTMLFormElement,
  field: 'desiredRetention' | 'useDayTarget' = 'desiredRetention',
): z.output<S> | null {
  const body = form.check(schema, input, el);
  if (!body && form.errors[field]) {
    form.errors[field] = m.learn_settings_range({
      min: RETENTION_PERCENT_MIN,
      max: RETENTION_PERCENT_MAX,
    });
  }
  return body;
}
