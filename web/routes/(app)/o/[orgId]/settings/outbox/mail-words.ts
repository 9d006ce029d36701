import type { MessageKind, MessageStatus } from '$shared/notify';
import { i18n } from '$lib/i18n.svelte';
import { m } from '$lib/paraglide/messages.js';

export const statusLabel: Record<MessageStatus, () => string> = {
  queued: m.mail_status_queued,
  retrying: m.mail_status_retrying,
  sent: m.mail_status_sent,
  failed: m.mail_status_failed,
  unsent: m.mail_status_unsent,
};

/** Statuses that need an admin's eye. */
export const isWarning = (status: MessageStatus) => status === 'failed' || status === 'retrying';

export const kindLabel: Record<MessageKind, () => string> = {
  invitation: m.mail_kind_invitation,
  'password-reset': m.mail_kind_password_reset,
  reminder: m.mail_kind_reminder,
  'new-work': m.mail_kind_new_work,
  'manual-reminder': m.mail_kind_manual_reminder,
  digest: m.mail_kind_digest,
};

export const dateTime = (date: Date) =>
  new Intl.DateTimeFormat(i18n.dateLocale, { dateStyle: 'medium', timeStyle: 'short' }).format(
    date,
  );
