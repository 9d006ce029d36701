import { z } from 'zod';
import { RESET_LINK_TTL_MINUTES } from '../../../shared/account';
import { defineTemplate, formatDateTime, type Words } from './define';
import { renderLayout } from './layout';

export const passwordResetParamsSchema = z.object({
  /** The single-use reset link (its token in the fragment). */
  url: z.url(),
  expiresAt: z.union([z.string(), z.date()]).pipe(z.coerce.date()),
});
/** What `outbox.queue` takes for kind `password-reset`. */
export type PasswordResetParams = z.input<typeof passwordResetParamsSchema>;

const words: Words<{
  subject: string;
  body: string;
  expires: (minutes: number, when: string) => string;
  action: string;
  footer: string;
}> = {
  fr: {
    subject: 'Choisir un nouveau mot de passe Rappel',
    body: 'Vous avez demandé à changer votre mot de passe Rappel. Ce lien vous permet d’en choisir un nouveau, une seule fois\u00a0; vos autres sessions seront fermées.',
    expires: (minutes, when) => `Il est valable ${minutes} minutes (jusqu’au ${when}).`,
    action: 'Choisir un mot de passe',
    footer:
      'Vous n’avez rien demandé\u00a0? Ignorez ce message\u00a0: votre mot de passe reste le même.',
  },
  en: {
    subject: 'Choose a new Rappel password',
    body: 'You asked to change your Rappel password. This link lets you choose a new one, once; your other sessions will be signed out.',
    expires: (minutes, when) => `It works for ${minutes} minutes (until ${when}).`,
    action: 'Choose a password',
    footer: 'Did not ask for this? Ignore this message: your password stays as it is.',
  },
};

export const passwordResetTemplate = defineTemplate({
  params: passwordResetParamsSchema,
  // The link resets the password: an admin reading the outbox must not be able to use it.
  secrets: ['url'],
  linkLifetimeMs: RESET_LINK_TTL_MINUTES * 60_000,
  render(params, ctx) {
    const w = words[ctx.locale];
    const minutes = Math.max(
      1,
      Math.round((params.expiresAt.getTime() - ctx.queuedAt.getTime()) / 60_000),
    );
    const { text, html } = renderLayout({
      locale: ctx.locale,
      orgName: null,
      title: w.subject,
      paragraphs: [
        w.body,
        w.expires(minutes, formatDateTime(params.expiresAt, ctx.locale, ctx.timeZone)),
      ],
      action: { label: w.action, url: params.url },
      footer: w.footer,
    });
    return { subject: w.subject, text, html };
  },
});
