import { z } from 'zod';
import { defineTemplate, formatDateTime, type Words } from './define';
import { renderLayout } from './layout';

const dateParam = z.union([z.string(), z.date()]).pipe(z.coerce.date());

export const invitationParamsSchema = z.object({
  /** Who invites, as the organisation knows them. */
  inviterName: z.string(),
  /** The invitation link (it carries the invitation's token). */
  url: z.url(),
  expiresAt: dateParam,
});
/** What `outbox.queue` takes for kind `invitation`. */
export type InvitationParams = z.input<typeof invitationParamsSchema>;

const words: Words<{
  subject: (org: string) => string;
  title: (org: string) => string;
  body: (inviter: string, org: string) => string;
  expires: (when: string) => string;
  action: string;
  footer: string;
}> = {
  fr: {
    subject: (org) => `Invitation à rejoindre ${org} sur Rappel`,
    title: (org) => `Rejoignez ${org} sur Rappel`,
    body: (inviter, org) =>
      `${inviter} vous invite à rejoindre ${org} sur Rappel\u00a0: de courtes leçons et des rappels pour bien prendre en main vos outils.`,
    expires: (when) => `Ce lien est valable jusqu’au ${when}.`,
    action: 'Accepter l’invitation',
    footer:
      'Vous ne vous attendiez pas à ce message\u00a0? Ignorez-le\u00a0: rien ne sera fait sans vous.',
  },
  en: {
    subject: (org) => `Invitation to join ${org} on Rappel`,
    title: (org) => `Join ${org} on Rappel`,
    body: (inviter, org) =>
      `${inviter} invites you to join ${org} on Rappel: short lessons and refreshers to get to grips with your tools.`,
    expires: (when) => `This link works until ${when}.`,
    action: 'Accept the invitation',
    footer: 'Not expecting this? Ignore it: nothing happens without you.',
  },
};

export const invitationTemplate = defineTemplate({
  params: invitationParamsSchema,
  render(params, ctx) {
    const w = words[ctx.locale];
    const org = ctx.orgName ?? 'Rappel';
    const title = w.title(org);
    const { text, html } = renderLayout({
      locale: ctx.locale,
      orgName: ctx.orgName,
      title,
      paragraphs: [
        w.body(params.inviterName, org),
        w.expires(formatDateTime(params.expiresAt, ctx.locale, ctx.timeZone)),
      ],
      action: { label: w.action, url: params.url },
      footer: w.footer,
    });
    return { subject: w.subject(org), text, html };
  },
});
