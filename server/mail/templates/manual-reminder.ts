import { z } from 'zod';
import { defineTemplate, type Words } from './define';
import { renderLayout } from './layout';

export const manualReminderParamsSchema = z.object({
  /** Who sent the reminder (a manager, a trainer). */
  senderName: z.string(),
  /** Refreshers waiting when it was sent. */
  dueCount: z.number().int().min(0),
  /** Their expected time, in minutes, when known. */
  minutes: z.number().int().min(0).optional(),
  /** An app path to open instead of Today (`/o/<orgId>`). */
  link: z.string().startsWith('/').optional(),
});
/** What `outbox.queue` (through the notifier) takes for kind `manual-reminder`. */
export type ManualReminderParams = z.input<typeof manualReminderParamsSchema>;

const words: Words<{
  subject: (sender: string) => string;
  title: string;
  sent: (sender: string, org: string) => string;
  due: (count: number, minutes?: number) => string;
  action: string;
  footer: string;
}> = {
  fr: {
    subject: (sender) => `${sender} vous invite à faire vos rappels`,
    title: 'Un petit mot pour vos rappels',
    sent: (sender, org) => `${sender} (${org}) vous envoie un rappel.`,
    due: (count, minutes) =>
      count === 0
        ? 'Rien ne vous attend pour l’instant\u00a0: un coup d’œil suffit.'
        : `${count === 1 ? '1 rappel vous attend' : `${count} rappels vous attendent`}${minutes ? `, environ ${minutes}\u00a0min` : ''}.`,
    action: 'Ouvrir Aujourd’hui',
    footer:
      'Vous recevez ce message parce qu’un responsable de votre organisation vous l’a envoyé.',
  },
  en: {
    subject: (sender) => `${sender} reminds you of your refreshers`,
    title: 'A quick reminder about your refreshers',
    sent: (sender, org) => `${sender} (${org}) sent you a reminder.`,
    due: (count, minutes) =>
      count === 0
        ? 'Nothing is waiting for you right now: a quick look is enough.'
        : `${count === 1 ? '1 refresher is waiting' : `${count} refreshers are waiting`}${minutes ? `, about ${minutes} min` : ''}.`,
    action: 'Open Today',
    footer: 'You get this message because someone in charge in your organisation sent it.',
  },
};

export const manualReminderTemplate = defineTemplate({
  params: manualReminderParamsSchema,
  render(params, ctx) {
    const w = words[ctx.locale];
    const path = params.link ?? (ctx.orgId ? `/o/${ctx.orgId}` : '/');
    const { text, html } = renderLayout({
      locale: ctx.locale,
      orgName: ctx.orgName,
      title: w.title,
      paragraphs: [
        w.sent(params.senderName, ctx.orgName ?? 'Rappel'),
        w.due(params.dueCount, params.minutes),
      ],
      action: { label: w.action, url: `${ctx.appUrl}${path}` },
      footer: w.footer,
      unsubscribeUrl: ctx.unsubscribeUrl,
    });
    return { subject: w.subject(params.senderName), text, html };
  },
});
