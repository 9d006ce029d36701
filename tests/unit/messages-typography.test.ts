import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Locale } from '../../shared/common';
import { digestWords } from '../../server/mail/templates/digest-words';
import { templates, type TemplateContext } from '../../server/mail/templates/index';
import { pushText } from '../../server/push/messages';

/*
 * French typography in every message file: a non-breaking space (U+00A0, the one the files
 * already used; never the narrow U+202F, so there is a single rule) before « : ; ? ! % » and
 * after «, and the typographic apostrophe ’. English takes no space before : ; ? !.
 * Placeholders ({name}) and web addresses are left out: their text is not prose.
 */

const root = join(import.meta.dirname, '../../web/messages');
const NBSP = '\u00a0';

function messageFiles(locale: string, dir = root): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? messageFiles(locale, join(dir, entry.name))
      : entry.name === `${locale}.json`
        ? [join(dir, entry.name)]
        : [],
  );
}

/** Every text of a message: a plain string, or each variant of a plural/select message. */
function texts(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(texts);
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) =>
      // Declarations and selectors are code ("count: plural"), not words.
      k === 'declarations' || k === 'selectors' ? [] : texts(v),
    );
  }
  return [];
}

/** The text with placeholders turned into a plain word and web addresses removed. */
const prose = (text: string) =>
  text.replace(/\{[^}]*\}/g, 'X').replace(/https?:\/\/[^\s)»]*/g, 'URL');

type Rule = [name: string, bad: RegExp];

const frenchRules: Rule[] = [
  // Times ("10:30") and the colons of web addresses are not punctuation.
  ['straight apostrophe instead of ’', /'/],
  ['a mark : ; ? ! » not preceded by a non-breaking space', /[^\u00a0\d][:;?!»]|[^\u00a0]»/],
  // "(%)" names a unit in a label; a figure takes the space: "90\u00a0%", "{max}\u00a0%".
  ['% not preceded by a non-breaking space', /[^\u00a0(]%/],
  ['« not followed by a non-breaking space', /«[^\u00a0]/],
  ['narrow no-break space (the files use U+00A0)', /\u202f/],
];

const englishRules: Rule[] = [
  ['a space before : ; ? !', /[\s\u00a0\u202f][:;?!]/],
  ['French quotation marks', /[«»]/],
];

function violations(locale: string, rules: Rule[]): string[] {
  const found: string[] = [];
  for (const file of messageFiles(locale)) {
    const messages = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    for (const [key, value] of Object.entries(messages)) {
      if (key.startsWith('$')) continue;
      for (const text of texts(value)) {
        for (const [name, bad] of rules) {
          if (bad.test(prose(text))) {
            found.push(`${relative(root, file)} ${key}: ${name}: ${text.replaceAll(NBSP, '⍽')}`);
          }
        }
      }
    }
  }
  return found;
}

describe('message typography', () => {
  it('finds the message files of both languages', () => {
    expect(messageFiles('fr').length).toBeGreaterThan(5);
    expect(messageFiles('fr').length).toBe(messageFiles('en').length);
  });

  it('follows French typography in every French message', () => {
    expect(violations('fr', frenchRules)).toEqual([]);
  });

  it('puts no space before : ; ? ! in English messages', () => {
    expect(violations('en', englishRules)).toEqual([]);
  });

  it('catches the mistakes it is meant to', () => {
    const check = (text: string) =>
      frenchRules.filter(([, bad]) => bad.test(prose(text))).map(([name]) => name);
    expect(check('Bonjour {name} !')).toHaveLength(1);
    expect(check('Bonjour {name}\u00a0!')).toEqual([]);
    expect(check("l'outil")).toHaveLength(1);
    expect(check('«\u00a0{title}\u00a0» à 90\u00a0%')).toEqual([]);
    expect(check('« {title}\u00a0»')).toHaveLength(1);
    expect(check('Un lien https://exemple.fr/a?b=1')).toEqual([]);
    expect(check('Mémorisation visée (%)')).toEqual([]);
    expect(check('de {min} à {max} %')).toHaveLength(1);
  });
});

/*
 * Mails and pushes carry their own words (server/mail/templates, server/push): the same rules
 * on what they render in each language.
 */
function rendered(locale: Locale): [string, string][] {
  const ctx: TemplateContext = {
    locale,
    orgId: 'org-1',
    orgName: 'Atelier Dupont',
    appUrl: 'https://rappel.example.com',
    unsubscribeUrl: 'https://rappel.example.com/api/unsubscribe/t.s',
    timeZone: 'Europe/Paris',
    queuedAt: new Date('2026-03-02T08:00:00Z'),
  };
  const expiresAt = '2026-03-09T08:00:00Z';
  const modules = [
    { moduleId: 'm1', title: 'Notes de frais', dueOn: '2026-03-20' },
    { moduleId: 'm2', title: 'Congés', dueOn: null },
  ];
  const cases: [string, Record<string, unknown>][] = [
    ['invitation', { inviterName: 'Inès', url: 'https://rappel.example.com/i#t', expiresAt }],
    ['password-reset', { url: 'https://rappel.example.com/r#t', expiresAt }],
    ['manual-reminder', { senderName: 'Inès', dueCount: 0 }],
    ['manual-reminder', { senderName: 'Inès', dueCount: 3, minutes: 4 }],
    ['reminder', { dueCount: 1, minutes: 2, signInUrl: 'https://rappel.example.com/s#t' }],
    ['reminder', { dueCount: 5, minutes: 9 }],
    ['new-work', { modules: modules.slice(0, 1) }],
    ['new-work', { modules }],
  ];
  const found: [string, string][] = cases.flatMap(([kind, params]) => {
    const template = templates[kind as keyof typeof templates]!;
    const mail = template.render(template.params.parse(params), ctx);
    return [
      [`mail ${kind} subject`, mail.subject],
      ...mail.text.split('\n').map((line): [string, string] => [`mail ${kind} text`, line]),
    ];
  });
  const push = (kind: string, params: Record<string, unknown>) => {
    const text = pushText(kind as Parameters<typeof pushText>[0], params, locale);
    return [
      [`push ${kind} title`, text.title],
      [`push ${kind} body`, text.body],
    ] as [string, string][];
  };
  found.push(
    ...push('reminder', { dueCount: 2, minutes: 3 }),
    ...push('manual-reminder', { senderName: 'Inès', dueCount: 0 }),
    ...push('new-work', { modules: modules.slice(0, 1) }),
    ...push('new-work', {}),
  );
  // The digest's own words, called the way the digest calls them (figures as they come formatted).
  const w = digestWords[locale];
  found.push(
    ...Object.entries(w)
      .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
      .map(([k, v]): [string, string] => [`digest ${k}`, v]),
    ['digest subject', w.subject('Atelier Dupont', '10')],
    ['digest teamScope', w.teamScope(['Atelier', 'Compta'])],
    ['digest nothingYet', w.nothingYet(2)],
    ['digest crossing', w.crossing('Notes de frais', '84\u00a0%', '12 mars')],
    ['digest crossing', w.crossing('Notes de frais', '84\u00a0%', null)],
    ['digest atRiskLine', w.atRiskLine('Atelier', 2, '70\u00a0%', ['Congés'])],
  );
  return found;
}

describe('mail and push typography', () => {
  const check = (locale: Locale, rules: Rule[]) =>
    rendered(locale).flatMap(([where, text]) =>
      rules
        .filter(([, bad]) => bad.test(prose(text)))
        .map(([name]) => `${where}: ${name}: ${text.replaceAll(NBSP, '⍽')}`),
    );

  it('follows French typography in French mails and pushes', () => {
    expect(check('fr', frenchRules)).toEqual([]);
  });

  it('puts no space before : ; ? ! in English mails and pushes', () => {
    expect(check('en', englishRules)).toEqual([]);
  });
});
