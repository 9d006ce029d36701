import { z } from 'zod';
import { defineTemplate, type Words } from './define';
import { escapeHtml, renderLayout } from './layout';

export const newWorkParamsSchema = z.object({
  /** The modules newly assigned, in the order they were. */
  modules: z
    .array(
      z.object({
        moduleId: z.string(),
        title: z.string(),
        /** A calendar date in the organisation's zone, when the module has one. */
        dueOn: z.string().nullable().optional(),
      }),
    )
    .min(1),
});
/** What the `new-work` job (server/outreach/new-work.ts) writes for kind `new-work`. */
export type NewWorkParams = z.input<typeof newWorkParamsSchema>;

const words: Words<{
  subject: (titles: string[]) => string;
  title: (count: number) => string;
  intro: (count: number, org: string) => string;
  dueOn: (date: string) => string;
  action: string;
  footer: string;
}> = {
  fr: {
    subject: (titles) =>
      titles.length === 1
        ? `Nouveau module\u00a0: ${titles[0]}`
        : `${titles.length} nouveaux modules à suivre`,
    title: (count) =>
      count === 1 ? 'Un nouveau module pour vous' : 'De nouveaux modules pour vous',
    intro: (count, org) =>
      count === 1
        ? `${org} vous a attribué un nouveau module\u00a0:`
        : `${org} vous a attribué ${count} nouveaux modules\u00a0:`,
    dueOn: (date) => `à terminer pour le ${date}`,
    action: 'Commencer',
    footer:
      'Vous recevez ce message quand des modules vous sont attribués, au plus une fois par jour. Réglez-le sur la page de votre compte.',
  },
  en: {
    subject: (titles) =>
      titles.length === 1 ? `New module: ${titles[0]}` : `${titles.length} new modules to follow`,
    title: (count) => (count === 1 ? 'A new module for you' : 'New modules for you'),
    intro: (count, org) =>
      count === 1
        ? `${org} assigned you a new module:`
        : `${org} assigned you ${count} new modules:`,
    dueOn: (date) => `to finish by ${date}`,
    action: 'Start',
    footer:
      'You get this message when modules are assigned to you, at most once a day. Change it on your account page.',
  },
};

/** `2026-05-29` as the reader writes it (a calendar date: no zone to apply). */
function formatDay(date: string, locale: 'fr' | 'en') {
  return new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(`${date}T00:00:00Z`));
}

export const newWorkTemplate = defineTemplate({
  params: newWorkParamsSchema,
  render(params, ctx) {
    const w = words[ctx.locale];
    const lines = params.modules.map((m) =>
      m.dueOn ? `${m.title} (${w.dueOn(formatDay(m.dueOn, ctx.locale))})` : m.title,
    );
    const { text, html } = renderLayout({
      locale: ctx.locale,
      orgName: ctx.orgName,
      title: w.title(lines.length),
      paragraphs: [w.intro(lines.length, ctx.orgName ?? 'Rappel')],
      sections: [
        {
          text: lines.map((l) => `- ${l}`).join('\n'),
          html: `<ul>${lines.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>`,
        },
      ],
      action: { label: w.action, url: `${ctx.appUrl}${ctx.orgId ? `/o/${ctx.orgId}` : '/'}` },
      footer: w.footer,
      unsubscribeUrl: ctx.unsubscribeUrl,
    });
    return { subject: w.subject(params.modules.map((m) => m.title)), text, html };
  },
});
