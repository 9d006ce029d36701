/**
 * Desired retention: the probability of recall refreshers aim for (DESIGN.md §5), set per
 * organisation and overridable per persona and per module. In a file of its own, with no other
 * import, so that the persona and module schemas can use it without an import cycle.
 */
import { z } from 'zod';

export const DEFAULT_DESIRED_RETENTION = 0.9;
export const RETENTION_MIN = 0.7;
export const RETENTION_MAX = 0.97;

/** The probability of recall refreshers aim for (0.70–0.97). */
export const desiredRetentionSchema = z.number().min(RETENTION_MIN).max(RETENTION_MAX);

/** A persona's or module's own desired retention; null: the organisation's applies. */
export const retentionOverrideSchema = desiredRetentionSchema.nullable();

/**
 * The recall a process's cards aim for on each day the process is used (month-end close):
 * event-anchored refreshers bring a card back before any use it would reach below it.
 */
export const DEFAULT_USE_DAY_TARGET = 0.9;

/** A process's own use-day target (0.70–0.97); null: the default applies. */
export const useDayTargetSchema = desiredRetentionSchema.nullable();
