import type { z } from 'zod';
import type { Locale } from '../../../shared/common';

/** What every template gets beside its own params. */
export interface TemplateContext {
  locale: Locale;
  /** The organisation the message is about; null for account messages (password reset). */
  orgId: string | null;
  orgName: string | null;
  /** Absolute address of the web app, without a trailing slash (`PUBLIC_URL`). */
  appUrl: string;
  /** One-click unsubscribe page for reminders, new work and digests; null otherwise. */
  unsubscribeUrl: string | null;
  /** The organisation's time zone for dates; UTC for account messages. */
  timeZone: string;
  /** When the message was queued (a retry hours later still speaks of that moment). */
  queuedAt: Date;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/**
 * One kind of mail. `params` checks what the outbox row holds (JSON: dates come back as
 * strings); `secrets` names the params whose value must not be shown to admins reading the
 * outbox (links that sign someone in or reset a password, their token in the fragment).
 */
export interface MailTemplate<S extends z.ZodType = z.ZodType> {
  params: S;
  secrets?: readonly string[];
  /**
   * How long the `secrets` links work from the moment the message is queued (they are made
   * then, never later): past it they are removed from the outbox (server/mail/expired-links.ts).
   */
  linkLifetimeMs?: number;
  render(params: z.output<S>, ctx: TemplateContext): RenderedMail;
}

export function defineTemplate<S extends z.ZodType>(template: MailTemplate<S>): MailTemplate<S> {
  return template;
}

/** The same words in both languages; `pick(ctx.locale, words)` takes the reader's. */
export type Words<T> = Record<Locale, T>;

/** A date and time as the reader writes it, in the organisation's zone when known. */
export function formatDateTime(date: Date, locale: Locale, timeZone: string): string {
  return new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone,
    timeZoneName: 'short',
  }).format(date);
}
