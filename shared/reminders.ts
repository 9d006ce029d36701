/**
 * Reminders (the at-risk list's "remind"): a manager, referent, trainer or admin nudges
 * a learner of their scope, who sees it on their home page until they dismiss it, and gets it as
 * a notification on their channels (server/notify).
 */
import { z } from 'zod';
import { idSchema, isoDate } from './common';
import { orgIdParamsSchema } from './orgs';

/** `POST /api/orgs/:orgId/dashboards/learners/:userId/reminders`: whom to remind. */
export const remindParamsSchema = orgIdParamsSchema.extend({ userId: idSchema });

/** `POST /api/orgs/:orgId/me/reminders/:reminderId/dismiss`. */
export const reminderParamsSchema = orgIdParamsSchema.extend({ reminderId: idSchema });

/** Who sent a reminder; null once that account is gone. */
const senderSchema = z.object({ id: idSchema, name: z.string() }).nullable();

/**
 * A reminder as its sender gets it back (201). At most one per learner per calendar day in the
 * organisation's time zone, whoever sends it: a second one that day is 409.
 */
export const reminderSchema = z.object({
  id: idSchema,
  /** The learner reminded. */
  userId: idSchema,
  sentBy: senderSchema,
  createdAt: isoDate,
  /** When the learner dismissed it; null while it is shown on their home page. */
  dismissedAt: isoDate.nullable(),
});
export type Reminder = z.infer<typeof reminderSchema>;

/** One of the caller's reminders still shown on their home page. */
export const myReminderSchema = z.object({
  id: idSchema,
  sentBy: senderSchema,
  createdAt: isoDate,
  /**
   * Refreshers due for the caller now, counted as their home page counts them (`GET …/me/today`
   * `dueCount`: due before today ends in the organisation's zone; none while on a pause).
   */
  dueCount: z.number().int(),
  /**
   * About how long today's refreshers take, in seconds: those that fit the daily budget, as the
   * home page offers them (never more than the budget, however many are due).
   */
  estimatedSeconds: z.number().int(),
});
export type MyReminder = z.infer<typeof myReminderSchema>;

/** `GET /api/orgs/:orgId/me/reminders`: undismissed, newest first. */
export const myReminderListSchema = z.object({ items: z.array(myReminderSchema) });
export type MyReminderList = z.infer<typeof myReminderListSchema>;
