import type { MessageKind } from '../../../shared/notify';
import type { MailTemplate } from './define';
import { digestTemplate } from './digest';
import { invitationTemplate } from './invitation';
import { manualReminderTemplate } from './manual-reminder';
import { newWorkTemplate } from './new-work';
import { passwordResetTemplate } from './password-reset';
import { reminderTemplate } from './reminder';

export type { MailTemplate, RenderedMail, TemplateContext } from './define';

/**
 * Each kind's template. A kind without one yet cannot be rendered: its messages fail with that
 * reason, visible in the outbox, rather than leaving empty.
 */
export const templates: Partial<Record<MessageKind, MailTemplate>> = {
  invitation: invitationTemplate as MailTemplate,
  'password-reset': passwordResetTemplate as MailTemplate,
  'manual-reminder': manualReminderTemplate as MailTemplate,
  reminder: reminderTemplate as MailTemplate,
  'new-work': newWorkTemplate as MailTemplate,
  digest: digestTemplate as MailTemplate,
};
