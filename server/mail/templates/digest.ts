import { z } from 'zod';
import type { Locale } from '../../../shared/common';
import { shownPercent } from '../../../shared/percent';
import { defineTemplate, type TemplateContext } from './define';
import { digestWords, type DigestWords } from './digest-words';
import { escapeHtml as e, renderLayout } from './layout';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** What server/outreach/digest-figures.ts computes for one person and week. */
export const digestParamsSchema = z.object({
  orgId: z.uuid(),
  week: z.string(),
  monday: day,
  whole: z.boolean(),
  teams: z.array(z.string()),
  target: z.number(),
  recallNow: z.number().nullable(),
  learners: z.number().int(),
  recallLastWeek: z.number().nullable(),
  atRiskCount: z.number().int(),
  atRisk: z.array(
    z.object({
      userId: z.uuid(),
      name: z.string(),
      teamName: z.string().nullable(),
      overdueCards: z.number().int(),
      recall: z.number().nullable(),
      criticalModules: z.array(z.string()),
    }),
  ),
  newlyAtRisk: z.number().int().nullable(),
  crossingCount: z.number().int(),
  crossing: z.array(
    z.object({
      moduleId: z.uuid(),
      moduleTitle: z.string(),
      teamName: z.string().nullable(),
      recallNow: z.number(),
      on: day,
      alreadyUnder: z.boolean(),
    }),
  ),
  lastWeek: z.object({
    lessonsCompleted: z.number().int(),
    refreshers: z.number().int(),
    refreshersPassed: z.number().int(),
  }),
  /** The same counts over the week before it. */
  weekBefore: z.object({ lessonsCompleted: z.number().int(), refreshers: z.number().int() }),
});
export type DigestMailParams = z.output<typeof digestParamsSchema>;

/** A share as the dashboards show it: never rounded up onto a target it is under. */
export function percent(value: number, locale: Locale, target?: number): string {
  const shown = shownPercent(value, target);
  return new Intl.NumberFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', {
    style: 'percent',
    minimumFractionDigits: shown.digits,
    maximumFractionDigits: shown.digits,
  }).format(shown.value);
}

/** A calendar date (`YYYY-MM-DD`) as the reader writes it: "14 décembre", "14 December". */
export function calendarDay(date: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', {
    day: 'numeric',
    month: 'long',
    timeZone: 'UTC',
  }).format(new Date(`${date}T00:00:00Z`));
}

interface Link {
  label: string;
  url: string;
}
type Section = { text: string; html: string };

const H2 = 'margin:24px 0 8px;font-size:18px;line-height:1.3';
const CELL = 'padding:6px 8px;border-bottom:1px solid #d8d8d2;text-align:left;vertical-align:top';

function heading(title: string): Section {
  return {
    text: `${title}\n${'-'.repeat(title.length)}`,
    html: `<h2 style="${H2}">${e(title)}</h2>`,
  };
}

/** A table with a caption, column headers and each row's first cell as its header. */
function table(caption: string, head: string[], rows: string[][], colon: string): Section {
  const th = (s: string, scope: string) => `<th scope="${scope}" style="${CELL}">${e(s)}</th>`;
  const td = (s: string) => `<td style="${CELL}">${e(s)}</td>`;
  const html = [
    '<table role="table" style="border-collapse:collapse;width:100%;margin:0 0 16px;font-size:15px">',
    `<caption style="text-align:left;font-weight:600;padding:0 0 8px">${e(caption)}</caption>`,
    `<thead><tr>${head.map((h) => th(h, 'col')).join('')}</tr></thead>`,
    `<tbody>${rows.map(([first, ...rest]) => `<tr>${th(first!, 'row')}${rest.map(td).join('')}</tr>`).join('')}</tbody>`,
    '</table>',
  ].join('\n');
  const text = rows
    .map(
      ([first, ...rest]) => `- ${first}${colon} ${rest.filter((c) => c && c !== '—').join(' · ')}`,
    )
    .join('\n');
  return { text: `${heading(caption).text}\n${text}`, html };
}

/** A list of lines, each possibly with a link (its address written out in the text part). */
function list(items: { text: string; link?: Link }[]): Section {
  const li = (i: { text: string; link?: Link }) =>
    `<li style="margin:0 0 8px">${
      i.link
        ? `<a href="${e(i.link.url)}" style="color:#1f4e79">${e(i.link.label)}</a>${e(i.text)}`
        : e(i.text)
    }</li>`;
  return {
    html: `<ul style="margin:0 0 16px;padding-left:20px">${items.map(li).join('')}</ul>`,
    text: items
      .map((i) => (i.link ? `- ${i.link.label}${i.text}\n  ${i.link.url}` : `- ${i.text}`))
      .join('\n'),
  };
}

function paragraph(text: string): Section {
  return { text, html: `<p style="margin:0 0 16px">${e(text)}</p>` };
}

/** A link on its own line, its address written out in the text part. */
function linkLine({ label, url }: Link, colon: string): Section {
  return {
    text: `${label}${colon} ${url}`,
    html: `<p style="margin:0 0 16px"><a href="${e(url)}" style="color:#1f4e79">${e(label)}</a></p>`,
  };
}

function figures(p: DigestMailParams, w: DigestWords, locale: Locale): Section {
  const pct = (v: number | null) => (v === null ? '—' : percent(v, locale, p.target));
  const recallChange =
    p.recallNow !== null && p.recallLastWeek !== null
      ? w.points(Math.round((p.recallNow - p.recallLastWeek) * 100))
      : '—';
  const passRate = p.lastWeek.refreshers
    ? ` (${w.passRate(percent(p.lastWeek.refreshersPassed / p.lastWeek.refreshers, locale))})`
    : '';
  const change = (now: number, before: number) => w.versus(now - before);
  return table(
    w.figuresCaption,
    w.figuresHead,
    [
      [w.recallNow, pct(p.recallNow), recallChange],
      [w.target, percent(p.target, locale), '—'],
      [w.learners, String(p.learners), '—'],
      [w.atRiskCount, String(p.atRiskCount), p.newlyAtRisk === null ? '—' : w.newly(p.newlyAtRisk)],
      [
        w.lessonsCompleted,
        String(p.lastWeek.lessonsCompleted),
        change(p.lastWeek.lessonsCompleted, p.weekBefore.lessonsCompleted),
      ],
      [
        w.refreshers,
        `${p.lastWeek.refreshers}${passRate}`,
        change(p.lastWeek.refreshers, p.weekBefore.refreshers),
      ],
    ],
    w.colon,
  );
}

function body(p: DigestMailParams, w: DigestWords, ctx: TemplateContext): Section[] {
  const base = `${ctx.appUrl}/o/${p.orgId}/dashboards`;
  const locale = ctx.locale;
  if (p.learners === 0) return [paragraph(w.nothingYet(p.lastWeek.lessonsCompleted))];
  const crossing = p.crossing.map((c) => ({
    text: w.crossing(
      c.teamName ? `${c.moduleTitle} (${c.teamName})` : c.moduleTitle,
      percent(c.recallNow, locale, p.target),
      c.alreadyUnder ? null : calendarDay(c.on, locale),
    ),
  }));
  const atRisk = p.atRisk.map((a) => ({
    link: { label: a.name, url: `${base}/learners/${a.userId}?from=at-risk` },
    text: w.atRiskLine(
      a.teamName,
      a.overdueCards,
      a.recall === null ? null : percent(a.recall, locale, p.target),
      a.criticalModules,
    ),
  }));
  const more = (shown: number, count: number) => count - shown;
  return [
    figures(p, w, locale),
    heading(w.crossingTitle),
    ...(crossing.length ? [list(crossing)] : [paragraph(w.noCrossing)]),
    ...(more(p.crossing.length, p.crossingCount) > 0
      ? [paragraph(w.more(more(p.crossing.length, p.crossingCount)))]
      : []),
    linkLine({ label: w.forecastLink, url: `${base}/forecast` }, w.colon),
    heading(w.atRiskTitle),
    ...(atRisk.length ? [list(atRisk)] : [paragraph(w.noAtRisk)]),
    ...(more(p.atRisk.length, p.atRiskCount) > 0
      ? [paragraph(w.more(more(p.atRisk.length, p.atRiskCount)))]
      : []),
    linkLine({ label: w.atRiskLink, url: `${base}/at-risk` }, w.colon),
  ];
}

export const digestTemplate = defineTemplate({
  params: digestParamsSchema,
  render(params, ctx) {
    const w = digestWords[ctx.locale];
    const org = ctx.orgName ?? 'Rappel';
    const { text, html } = renderLayout({
      locale: ctx.locale,
      orgName: ctx.orgName,
      title: w.title(calendarDay(params.monday, ctx.locale)),
      paragraphs: [params.whole ? w.wholeScope(org) : w.teamScope(params.teams)],
      sections: body(params, w, ctx),
      action: { label: w.action, url: `${ctx.appUrl}/o/${params.orgId}/dashboards` },
      footer: params.whole ? w.footerWhole : w.footerManager,
      unsubscribeUrl: ctx.unsubscribeUrl,
    });
    return { subject: w.subject(org, params.week.slice(-2)), text, html };
  },
});
