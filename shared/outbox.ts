/** The outbox as admins read it: every mail Rappel sent, will send, or would have sent. */
import { z } from 'zod';
import { idSchema, isoDate, localeSchema } from './common';
import { messageKindSchema, messageStatusSchema } from './notify';
import { orgIdParamsSchema } from './orgs';

export const OUTBOX_PAGE_MAX = 100;

export const outboxMessageSchema = z.object({
  id: idSchema,
  kind: messageKindSchema,
  status: messageStatusSchema,
  to: z.string(),
  locale: localeSchema,
  /** Null until the message is first rendered (when it is sent or read). */
  subject: z.string().nullable(),
  /** Tries made so far. */
  attempts: z.number().int(),
  /** Why the last try failed (kept once the message failed for good). */
  lastError: z.string().nullable(),
  /** When the next try is planned, while it is `retrying`. */
  nextAttemptAt: isoDate.nullable(),
  createdAt: isoDate,
  sentAt: isoDate.nullable(),
});
export type OutboxMessage = z.infer<typeof outboxMessageSchema>;

/** `GET /api/orgs/:orgId/outbox?status&kind&limit&before`: newest first. */
export const outboxListQuerySchema = z.strictObject({
  status: messageStatusSchema.optional(),
  kind: messageKindSchema.optional(),
  limit: z.coerce.number().int().min(1).max(OUTBOX_PAGE_MAX).default(50),
  /** The previous page's `nextBefore`. */
  before: idSchema.optional(),
});
export type OutboxListQuery = z.output<typeof outboxListQuerySchema>;

export const outboxListSchema = z.object({
  items: z.array(outboxMessageSchema),
  /** Give it as `before` for the next page; null on the last one. */
  nextBefore: idSchema.nullable(),
  /** False when no SMTP is set up: the messages are what Rappel would have sent. */
  mailConfigured: z.boolean(),
});
export type OutboxList = z.infer<typeof outboxListSchema>;

export const outboxMessageParamsSchema = orgIdParamsSchema.extend({ messageId: idSchema });

/**
 * One message as sent or as it would be: links that sign someone in or reset a password are
 * masked. The parts are null when it cannot be rendered (`renderError` says why).
 */
export const outboxMessageDetailSchema = outboxMessageSchema.extend({
  text: z.string().nullable(),
  html: z.string().nullable(),
  headers: z.record(z.string(), z.string()),
  renderError: z.string().nullable(),
  /** False when no SMTP is set up: a retry leaves it unsent again. */
  mailConfigured: z.boolean(),
});
export type OutboxMessageDetail = z.infer<typeof outboxMessageDetailSchema>;
