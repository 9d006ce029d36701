/**
 * Words shared by everything that reaches people outside the screen: mail (the outbox), in-app
 * notifications, Web Push, their preferences, and the links a mail carries.
 */
import { z } from 'zod';

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
