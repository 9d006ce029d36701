import { z } from 'zod';
import { SIGN_IN_LINK_TTL_HOURS } from '../../../shared/account';
import { defineTemplate, type Words } from './define';
import { renderLayout } from './layout';

export const reminderParamsSchema = z.object({
  /** Refreshers Today serves (those due, within the daily budget). */
  dueCount: z.number().int().min(1),
  /** Their expected time, in minutes. */
  minutes: z.number().int().min(0),
  /** Every refresher due today, beyond the budget too. */
  totalDue: z.number().int().min(0).optional(),
  /** The learner's day (`YYYY-MM-DD`, the organisation's zone). */
  date: z.string().optional(),
  /** Today's app path (`/o/<orgId>`). */
  link: z.string().startsWith('/').optional(),
  /** A single-use link that signs the learner in and opens Today, when the organisation allows. */
  signInUrl: z.url().optional(),
});
/** What the reminders' producer (server/outreach) writes for kind `reminder`. */
export type ReminderParams = z.input<typeof reminderParamsSchema>;

const words: Words<{
  subject: (count: number, minutes: number) => string;
  title: string;
  due: (count: number, minutes: number) => string;
  signIn: string;
  action: string;
  footer: string;
}> = {
  fr: {
    subject: (count, minutes) =>
      `${count === 1 ? '1 rappel' : `${count} rappels`} aujourd’hui, environ ${Math.max(minutes, 1)} min`,
    title: 'Vos rappels du jour',
    due: (count, minutes) =>
      `${count === 1 ? '1 rappel vous attend' : `${count} rappels vous attendent`} aujourd’hui, environ ${Math.max(minutes, 1)} min. Quelques minutes maintenant, et ce que vous avez appris reste en mémoire.`,
    signIn:
      'Ce bouton vous connecte directement et ouvre vos rappels\u00a0; il ne sert qu’une fois et pendant 24 heures.',
    action: 'Faire mes rappels',
    footer:
      'Vous recevez ce rappel les jours travaillés où des rappels vous attendent. L’heure et la fréquence se règlent sur la page de votre compte.',
  },
  en: {
    subject: (count, minutes) =>
      `${count === 1 ? '1 refresher' : `${count} refreshers`} today, about ${Math.max(minutes, 1)} min`,
    title: 'Your refreshers for today',
    due: (count, minutes) =>
      `${count === 1 ? '1 refresher is waiting' : `${count} refreshers are waiting`} for you today, about ${Math.max(minutes, 1)} min. A few minutes now keeps what you learnt in mind.`,
    signIn: 'This button signs you in and opens your refreshers; it works once, for 24 hours.',
    action: 'Do my refreshers',
    footer:
      'You get this reminder on working days when refreshers are waiting. Choose its time and how often on your account page.',
  },
};

export const reminderTemplate = defineTemplate({
  params: reminderParamsSchema,
  // The sign-in link opens the learner's account: an admin reading the outbox must not use it.
  secrets: ['signInUrl'],
  // The producer makes the link as it queues the message (server/outreach/reminders.ts).
  linkLifetimeMs: SIGN_IN_LINK_TTL_HOURS * 60 * 60_000,
  render(params, ctx) {
    const w = words[ctx.locale];
    const path = params.link ?? (ctx.orgId ? `/o/${ctx.orgId}` : '/');
    const url = params.signInUrl ?? `${ctx.appUrl}${path}`;
    const paragraphs = [w.due(params.dueCount, params.minutes)];
    if (params.signInUrl) paragraphs.push(w.signIn);
    const { text, html } = renderLayout({
      locale: ctx.locale,
      orgName: ctx.orgName,
      title: w.title,
      paragraphs,
      action: { label: w.action, url },
      footer: w.footer,
      unsubscribeUrl: ctx.unsubscribeUrl,
    });
    return { subject: w.subject(params.dueCount, params.minutes), text, html };
  },
});
