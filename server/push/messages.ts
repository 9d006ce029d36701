import type { z } from 'zod';
import type { Locale } from '../../shared/common';
import type { NotificationKind } from '../../shared/notify';
import { digestParamsSchema, percent } from '../mail/templates/digest';
import { manualReminderParamsSchema } from '../mail/templates/manual-reminder';
import { newWorkParamsSchema } from '../mail/templates/new-work';
import { reminderParamsSchema } from '../mail/templates/reminder';

/** What a phone shows in its notification list: a title and one short line. */
export interface PushText {
  title: string;
  body: string;
}

/** A push line stays short: the phone cuts the rest anyway. */
const clip = (s: string, max = 90) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/**
 * One kind's words. A notification's params are the ones its mail template reads (one
 * contract for every channel); params that do not parse still give a plain, true sentence.
 */
interface Words<S extends z.ZodType> {
  params: S;
  render(p: z.output<S>, locale: Locale): PushText;
  plain: Record<Locale, PushText>;
}

const define = <S extends z.ZodType>(w: Words<S>) => w;

const refreshers = (locale: Locale, count: number, minutes?: number) =>
  locale === 'fr'
    ? `${count === 1 ? '1 rappel vous attend' : `${count} rappels vous attendent`}` +
      (minutes ? `, environ ${minutes} min.` : '.')
    : `${count === 1 ? '1 refresher is waiting' : `${count} refreshers are waiting`}` +
      (minutes ? `, about ${minutes} min.` : '.');

const kinds: { [K in NotificationKind]: Words<z.ZodType> } = {
  reminder: define({
    params: reminderParamsSchema,
    render: (p, locale) => ({
      title: locale === 'fr' ? 'Vos rappels du jour' : 'Your refreshers for today',
      body: refreshers(locale, p.dueCount, p.minutes),
    }),
    plain: {
      fr: { title: 'Vos rappels du jour', body: 'Des rappels vous attendent dans Rappel.' },
      en: { title: 'Your refreshers for today', body: 'Refreshers are waiting for you in Rappel.' },
    },
  }),
  'manual-reminder': define({
    params: manualReminderParamsSchema,
    render: (p, locale) => ({
      title: clip(
        locale === 'fr' ? `${p.senderName} vous fait signe` : `A nudge from ${p.senderName}`,
        60,
      ),
      body:
        p.dueCount > 0
          ? refreshers(locale, p.dueCount, p.minutes)
          : locale === 'fr'
            ? 'Un petit tour dans Rappel\u00a0?'
            : 'Time for a quick visit to Rappel?',
    }),
    plain: {
      fr: { title: 'Un petit rappel', body: 'Un petit tour dans Rappel\u00a0?' },
      en: { title: 'A friendly reminder', body: 'Time for a quick visit to Rappel?' },
    },
  }),
  'new-work': define({
    params: newWorkParamsSchema,
    render: ({ modules }, locale) => ({
      title: locale === 'fr' ? 'Nouvelle formation' : 'New training',
      body: clip(
        modules.length === 1
          ? locale === 'fr'
            ? `«\u00a0${modules[0]!.title}\u00a0» vous attend.`
            : `“${modules[0]!.title}” is waiting for you.`
          : locale === 'fr'
            ? `${modules.length} nouveaux modules vous attendent.`
            : `${modules.length} new modules are waiting for you.`,
      ),
    }),
    plain: {
      fr: { title: 'Nouvelle formation', body: 'Un nouveau module vous attend dans Rappel.' },
      en: { title: 'New training', body: 'A new module is waiting for you in Rappel.' },
    },
  }),
  digest: define({
    // The figures a push has room for; the mail carries the rest.
    params: digestParamsSchema.pick({ target: true, recallNow: true, atRiskCount: true }),
    render: (p, locale) => {
      const recall = p.recallNow === null ? '—' : percent(p.recallNow, locale, p.target);
      const target = percent(p.target, locale);
      return locale === 'fr'
        ? {
            title: 'Le point de la semaine',
            body: `Mémorisation ${recall} (objectif ${target}), ${p.atRiskCount} personne${p.atRiskCount > 1 ? 's' : ''} à aider.`,
          }
        : {
            title: 'Your weekly summary',
            body: `Recall ${recall} (target ${target}), ${p.atRiskCount} ${p.atRiskCount === 1 ? 'person' : 'people'} to help.`,
          };
    },
    plain: {
      fr: { title: 'Le point de la semaine', body: 'La mémorisation de la semaine dans Rappel.' },
      en: { title: 'Your weekly summary', body: 'This week’s recall in Rappel.' },
    },
  }),
};

/** The short text of a push about `kind`, in the person's language. */
export function pushText(
  kind: NotificationKind,
  params: Record<string, unknown>,
  locale: Locale,
): PushText {
  const words = kinds[kind];
  const parsed = words.params.safeParse(params);
  return parsed.success ? words.render(parsed.data, locale) : words.plain[locale];
}
