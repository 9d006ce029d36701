import type { Locale } from '../../../shared/common';

export interface LayoutInput {
  locale: Locale;
  orgName: string | null;
  title: string;
  paragraphs: string[];
  /**
   * Parts after the paragraphs that they cannot express (a table, a list of links), each as
   * text and as HTML. The HTML is the caller's: every value in it escaped with `escapeHtml`.
   */
  sections?: { text: string; html: string }[];
  action?: { label: string; url: string };
  footer?: string;
  unsubscribeUrl?: string | null;
}

const words = {
  fr: {
    plainLink: 'Si le bouton ne s’ouvre pas, copiez cette adresse dans votre navigateur\u00a0:',
    unsubscribe: 'Ne plus recevoir ces messages',
    unsubscribeText: 'Ne plus recevoir ces messages\u00a0:',
    colon: '\u00a0:',
  },
  en: {
    plainLink: 'If the button does not open, copy this address into your browser:',
    unsubscribe: 'Stop these messages',
    unsubscribeText: 'Stop these messages:',
    colon: ':',
  },
} as const;

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** Only web addresses go into a link: anything else would be a way to smuggle a script. */
function safeUrl(url: string): string {
  if (!/^https?:\/\//i.test(url)) throw new Error(`Not a web address for a mail link: ${url}`);
  return url;
}

const FONT = "font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";

/**
 * The frame of every mail: the organisation's name, a real heading, short paragraphs, one
 * action as a button with its address written out beside it (readable without images, styles
 * or a working button), a footer and the unsubscribe link. Every value is escaped.
 */
export function renderLayout(input: LayoutInput): { text: string; html: string } {
  const w = words[input.locale];
  const brand = input.orgName ? `${input.orgName} · Rappel` : 'Rappel';
  const action = input.action && { label: input.action.label, url: safeUrl(input.action.url) };
  const unsubscribe = input.unsubscribeUrl ? safeUrl(input.unsubscribeUrl) : null;

  const text = [
    brand,
    '',
    input.title,
    '',
    ...input.paragraphs.flatMap((p) => [p, '']),
    ...(input.sections ?? []).flatMap((s) => [s.text, '']),
    ...(action ? [`${action.label}${w.colon} ${action.url}`, ''] : []),
    ...(input.footer || unsubscribe ? ['-- '] : []),
    ...(input.footer ? [input.footer] : []),
    ...(unsubscribe ? [`${w.unsubscribeText} ${unsubscribe}`] : []),
  ]
    .join('\n')
    .trimEnd();

  const e = escapeHtml;
  const p = (body: string, style = '') => `<p style="margin:0 0 16px;${style}">${body}</p>`;
  const html = [
    '<!doctype html>',
    `<html lang="${input.locale}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${e(input.title)}</title>`,
    '</head>',
    `<body style="margin:0;padding:0;background:#f4f4f1;color:#1b1b1b;${FONT}">`,
    `<div role="article" aria-label="${e(input.title)}" lang="${input.locale}" style="max-width:560px;margin:0 auto;padding:24px 20px;background:#ffffff;font-size:16px;line-height:1.5">`,
    p(e(brand), 'font-size:14px;color:#4a4a4a'),
    `<h1 style="margin:0 0 16px;font-size:22px;line-height:1.3">${e(input.title)}</h1>`,
    ...input.paragraphs.map((para) => p(e(para))),
    ...(input.sections ?? []).map((s) => s.html),
    ...(action
      ? [
          p(
            `<a href="${e(action.url)}" style="display:inline-block;padding:12px 20px;background:#1f4e79;color:#ffffff;border-radius:6px;font-weight:600;text-decoration:none">${e(action.label)}</a>`,
          ),
          p(
            `${e(w.plainLink)}<br><a href="${e(action.url)}" style="color:#1f4e79;word-break:break-all">${e(action.url)}</a>`,
            'font-size:14px;color:#4a4a4a',
          ),
        ]
      : []),
    ...(input.footer || unsubscribe
      ? ['<hr style="border:none;border-top:1px solid #d8d8d2;margin:24px 0 16px">']
      : []),
    ...(input.footer ? [p(e(input.footer), 'font-size:14px;color:#4a4a4a')] : []),
    ...(unsubscribe
      ? [
          p(
            `<a href="${e(unsubscribe)}" style="color:#4a4a4a">${e(w.unsubscribe)}</a>`,
            'font-size:14px',
          ),
        ]
      : []),
    '</div>',
    '</body>',
    '</html>',
  ].join('\n');

  return { text, html };
}
