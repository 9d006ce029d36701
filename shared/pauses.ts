/**
 * Pausing refreshers for a holiday: while a learner is away no refresher comes, and on
 * their return the cards come back spread as they would have been, each one as many days later
 * as the pause lasted, instead of all at once. The stored memory of each card is left as FSRS
 * made it (its review log still replays to it); the shift is applied where due dates are read.
 */
import { z } from 'zod';
import { daysBetween } from './calendar';
import { idSchema, isoDate } from './common';
import { orgIdParamsSchema } from './orgs';
import { calendarDateSchema } from './tools';

/** The longest pause: a long summer holiday. Longer absences are a matter for the manager. */
export const MAX_PAUSE_DAYS = 92;

export const pauseStatuses = ['upcoming', 'active', 'over'] as const;

export const pauseSchema = z.object({
  id: idSchema,
  userId: idSchema,
  /** First and last day of the pause, both included, in the organisation's time zone. */
  startsOn: calendarDateSchema,
  endsOn: calendarDateSchema,
  status: z.enum(pauseStatuses),
  /** Who set it: the learner themselves or their manager (null once that account is gone). */
  createdBy: z.object({ id: idSchema, name: z.string() }).nullable(),
  createdAt: isoDate,
});
export type Pause = z.infer<typeof pauseSchema>;

export const pauseListSchema = z.object({ items: z.array(pauseSchema) });

export const createPauseBodySchema = z
  .strictObject({
    /** Whose refreshers: the caller's own when left out. */
    userId: idSchema.optional(),
    startsOn: calendarDateSchema,
    endsOn: calendarDateSchema,
  })
  .superRefine((body, ctx) => {
    const days = daysBetween(body.startsOn, body.endsOn) + 1;
    if (days < 1) {
      ctx.addIssue({ code: 'custom', path: ['endsOn'], message: 'Ends before it starts.' });
    } else if (days > MAX_PAUSE_DAYS) {
      ctx.addIssue({
        code: 'custom',
        path: ['endsOn'],
        message: `A pause lasts at most ${MAX_PAUSE_DAYS} days.`,
      });
    }
  });
export type CreatePauseBody = z.output<typeof createPauseBodySchema>;

export const pauseListQuerySchema = z.strictObject({ userId: idSchema.optional() });
export const pauseParamsSchema = orgIdParamsSchema.extend({ pauseId: idSchema });

/** A pause as instants: from the first day's start to the day after the last one's start. */
export interface PauseSpan {
  start: Date;
  end: Date;
}

/**
 * When a card is due once the learner's pauses are accounted for. A pause that began after the
 * card was last reviewed, and no later than the card was (by then) due, pushes it back by the
 * pause's length; pauses are taken in order, so a card pushed into a later pause is pushed
 * again. A card reviewed during a pause is left alone: the learner chose to keep going.
 */
export function pausedDue(due: Date, lastReview: Date | null, pauses: readonly PauseSpan[]): Date {
  let at = due.getTime();
  const since = lastReview?.getTime() ?? -Infinity;
  const ordered = [...pauses].sort((a, b) => a.start.getTime() - b.start.getTime());
  for (const { start, end } of ordered) {
    if (start.getTime() >= since && start.getTime() <= at) at += end.getTime() - start.getTime();
  }
  return new Date(at);
}
