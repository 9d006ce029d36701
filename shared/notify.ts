/**
 * Words shared by everything that reaches people outside the screen: mail (the outbox), in-app
 * notifications, Web Push, their preferences, and the links a mail carries.
 */
import { z } from 'zod';
import { isoDate } from './common';

/** What a message in the outbox is about. */
export const messageKinds = [
  'invitation',
  'password-reset',
  'reminder',
  'new-work',
  'manual-reminder',
  'digest',
] as const;
export const messageKindSchema = z.enum(messageKinds);
export type MessageKind = z.infer<typeof messageKindSchema>;

/**
 * Where a message is: `queued` (waiting for its first try), `retrying` (a try failed, another is
 * planned), `sent`, `failed` (gave up; the reason is kept), `unsent` (no SMTP is configured: the
 * outbox shows what would have been sent).
 */
export const messageStatuses = ['queued', 'retrying', 'sent', 'failed', 'unsent'] as const;
export const messageStatusSchema = z.enum(messageStatuses);
export type MessageStatus = z.infer<typeof messageStatusSchema>;

/** What an in-app notification is about. */
export const notificationKinds = ['reminder', 'new-work', 'manual-reminder', 'digest'] as const;
export const notificationKindSchema = z.enum(notificationKinds);
export type NotificationKind = z.infer<typeof notificationKindSchema>;

/** The kinds a person chooses channels for, on the account page. */
export const preferenceKinds = ['reminders', 'new-work', 'digest'] as const;
export const preferenceKindSchema = z.enum(preferenceKinds);
export type PreferenceKind = z.infer<typeof preferenceKindSchema>;

export const channels = ['mail', 'push', 'in-app'] as const;
export const channelSchema = z.enum(channels);
export type Channel = z.infer<typeof channelSchema>;

export const reminderFrequencies = ['daily', 'weekly', 'never'] as const;
export const reminderFrequencySchema = z.enum(reminderFrequencies);
export type ReminderFrequency = z.infer<typeof reminderFrequencySchema>;

/** A single-use link sent by mail: a password reset, or (when the organisation allows it) a
 * reminder's link that signs the learner in and opens Today only. */
export const accountLinkPurposes = ['password-reset', 'today-sign-in'] as const;
export const accountLinkPurposeSchema = z.enum(accountLinkPurposes);
export type AccountLinkPurpose = z.infer<typeof accountLinkPurposeSchema>;

/** A durable job's state (server/jobs). */
export const jobStatuses = ['queued', 'running', 'done', 'failed'] as const;
export const jobStatusSchema = z.enum(jobStatuses);
export type JobStatus = z.infer<typeof jobStatusSchema>;

/** Which preference decides the channels of each notification kind. */
export const preferenceKindOf: Record<NotificationKind, PreferenceKind> = {
  reminder: 'reminders',
  'manual-reminder': 'reminders',
  'new-work': 'new-work',
  digest: 'digest',
};

/** The channels of a person who never changed their preferences. */
export const defaultChannels: Readonly<Record<PreferenceKind, readonly Channel[]>> = {
  reminders: ['mail', 'push', 'in-app'],
  'new-work': ['mail', 'push', 'in-app'],
  digest: ['mail'],
};
/** 09:00 in the organisation's time zone. */
export const DEFAULT_REMINDER_MINUTE = 9 * 60;
/** Monday (ISO weekday). */
export const DEFAULT_REMINDER_WEEKDAY = 1;

/** A time of day on the wire, `HH:MM` (24 h); stored as minutes after midnight. */
export const timeOfDaySchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Expected HH:MM.');
export const minutesToTime = (minutes: number): string =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
export const timeToMinutes = (time: string): number => {
  const [h, m] = time.split(':');
  return Number(h) * 60 + Number(m);
};

/** The channels chosen for one kind: each at most once, none for "nothing". */
export const channelListSchema = z
  .array(channelSchema)
  .max(channels.length)
  .refine((list) => new Set(list).size === list.length, 'Each channel at most once.');

export const channelsByKindSchema = z.object({
  reminders: channelListSchema,
  'new-work': channelListSchema,
  digest: channelListSchema,
});
export type ChannelsByKind = z.infer<typeof channelsByKindSchema>;

/** Stored channels (possibly partial or stale) completed with the defaults. */
export function resolveChannels(
  stored: Record<string, unknown> | null | undefined,
): ChannelsByKind {
  const out = {} as ChannelsByKind;
  for (const kind of preferenceKinds) {
    const parsed = channelListSchema.safeParse(stored?.[kind]);
    out[kind] = parsed.success ? parsed.data : [...defaultChannels[kind]];
  }
  return out;
}

/** An organisation where the caller, a trainer or an admin, may take the whole-org digest. */
export const digestOptInSchema = z.object({
  orgId: z.uuid(),
  orgName: z.string(),
  optIn: z.boolean(),
});

/** `GET /api/me/notifications`: the caller's choices (defaults until they change them). */
export const notificationSettingsSchema = z.object({
  channels: channelsByKindSchema,
  reminderFrequency: reminderFrequencySchema,
  /** In the organisation's time zone. */
  reminderTime: timeOfDaySchema,
  /** ISO weekday (1 = Monday), for weekly reminders. */
  reminderWeekday: z.number().int().min(1).max(7),
  digestOrgs: z.array(digestOptInSchema),
});
export type NotificationSettings = z.infer<typeof notificationSettingsSchema>;

/** `PUT /api/me/notifications`: what is left out stays as it was. */
export const updateNotificationSettingsBodySchema = z.strictObject({
  channels: z
    .strictObject({
      reminders: channelListSchema.optional(),
      'new-work': channelListSchema.optional(),
      digest: channelListSchema.optional(),
    })
    .optional(),
  reminderFrequency: reminderFrequencySchema.optional(),
  reminderTime: timeOfDaySchema.optional(),
  reminderWeekday: z.number().int().min(1).max(7).optional(),
});
export type UpdateNotificationSettingsBody = z.infer<typeof updateNotificationSettingsBodySchema>;

/** `PUT /api/orgs/:orgId/me/digest` (trainers and admins). */
export const digestOptInBodySchema = z.strictObject({ optIn: z.boolean() });
export const digestOptInResultSchema = z.object({ optIn: z.boolean() });

/** One in-app notification; its text is rendered in the reader's language from kind + params. */
export const notificationSchema = z.object({
  id: z.uuid(),
  kind: notificationKindSchema,
  params: z.record(z.string(), z.unknown()),
  /** An app path, or null. */
  link: z.string().nullable(),
  createdAt: isoDate,
  readAt: isoDate.nullable(),
});
export type AppNotification = z.infer<typeof notificationSchema>;

export const NOTIFICATIONS_PAGE_MAX = 100;

/** `GET /api/orgs/:orgId/notifications?limit&before`: newest first; `before` is the previous
 * page's `nextBefore`. */
export const notificationListQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(NOTIFICATIONS_PAGE_MAX).default(20),
  before: z.uuid().optional(),
  unread: z.enum(['true', 'false']).optional(),
});
export const notificationListSchema = z.object({
  items: z.array(notificationSchema),
  unreadCount: z.number().int(),
  /** Give it as `before` for the next page; null on the last one. */
  nextBefore: z.uuid().nullable(),
});
export type NotificationList = z.infer<typeof notificationListSchema>;

export const notificationParamsSchema = z.object({
  orgId: z.uuid(),
  notificationId: z.uuid(),
});
export const readAllResultSchema = z.object({ unreadCount: z.number().int() });

/** Signed unsubscribe tokens (server/lib/signed-tokens.ts) carry `{ u: userId, k: kind }`. */
const base64url = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_-]+$/, 'Not an unsubscribe link.');
/** `/api/unsubscribe/<payload>.<signature>`: the token's two parts. */
export const unsubscribeParamsSchema = z.object({ payload: base64url, signature: base64url });
/** `GET|POST /api/unsubscribe/:token`: what the link stops, and whether mail is now on. */
export const unsubscribeStateSchema = z.object({
  kind: preferenceKindSchema,
  mail: z.boolean(),
});
export type UnsubscribeState = z.infer<typeof unsubscribeStateSchema>;
