import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compile } from '@inlang/paraglide-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * Plurals and agreement as the interface shows them: the message files compiled the way the
 * build compiles them (web/lib/paraglide is generated, so a fresh copy is made here), then the
 * message functions called with 1 and 2. French counts 0 and 1 as singular.
 */

type Message = (inputs: Record<string, unknown>, options: { locale: 'fr' | 'en' }) => string;
type Name =
  | 'dash_passed_of'
  | 'dash_recall_sentence'
  | 'jobs_every_days'
  | 'jobs_every_hours'
  | 'learn_progress_lessons'
  | 'learn_review_done_text'
  | 'learn_today_modules_done'
  | 'weights_progress';
let outdir: string;
let m: Record<Name, Message>;

beforeAll(async () => {
  outdir = mkdtempSync(join(tmpdir(), 'rappel-paraglide-'));
  await compile({
    project: './project.inlang',
    outdir,
    strategy: ['baseLocale'],
    emitGitIgnore: false,
    emitPrettierIgnore: false,
    emitReadme: false,
  });
  m = (await import(pathToFileURL(join(outdir, 'messages.js')).href)) as Record<Name, Message>;
}, 60_000);

afterAll(() => {
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

const fr = { locale: 'fr' } as const;
const en = { locale: 'en' } as const;
const nb = (text: string) => text.replaceAll('\u00a0', ' ');

describe('plural messages', () => {
  it('agrees lessons done with the number done, not the total', () => {
    expect(m.learn_progress_lessons({ done: 1, count: 3 }, fr)).toBe('1 leçon sur 3 terminée');
    expect(m.learn_progress_lessons({ done: 2, count: 3 }, fr)).toBe('2 leçons sur 3 terminées');
    expect(m.learn_progress_lessons({ done: 0, count: 3 }, fr)).toBe('0 leçon sur 3 terminée');
    expect(m.learn_progress_lessons({ done: 1, count: 1 }, en)).toBe('1 of 1 lesson done');
    expect(m.learn_progress_lessons({ done: 1, count: 2 }, en)).toBe('1 of 2 lessons done');
  });

  it('agrees each count of a two-count sentence on its own', () => {
    expect(m.learn_review_done_text({ count: 2, right: 1 }, fr)).toBe(
      'Vous avez revu 2 questions (1 juste du premier coup).',
    );
    expect(m.learn_review_done_text({ count: 2, right: 2 }, fr)).toBe(
      'Vous avez revu 2 questions (2 justes du premier coup).',
    );
    expect(m.learn_review_done_text({ count: 1, right: 1 }, en)).toBe(
      'You went over 1 question (1 right the first time).',
    );
    const recall = (count: number, cardCount: number, locale: typeof fr | typeof en) =>
      m.dash_recall_sentence(
        { count, learners: String(count), cardCount, cards: String(cardCount), recall: '80 %' },
        locale,
      );
    expect(recall(2, 1, fr)).toContain('2 personnes retiennent');
    expect(recall(2, 1, fr)).toContain('(1 question)');
    expect(recall(1, 2, fr)).toContain('1 personne retient');
    expect(recall(1, 2, fr)).toContain('(2 questions)');
    expect(recall(1, 1, en)).toContain('1 learner remembers');
    expect(recall(1, 1, en)).toContain('(1 card)');
    expect(recall(2, 2, en)).toContain('(2 cards)');
  });

  it('says every day rather than every 1 day(s)', () => {
    expect(m.jobs_every_days({ days: 1 }, fr)).toBe('Tous les jours');
    expect(m.jobs_every_days({ days: 2 }, fr)).toBe('Tous les 2 jours');
    expect(m.jobs_every_days({ days: 1 }, en)).toBe('Every day');
    expect(m.jobs_every_days({ days: 2 }, en)).toBe('Every 2 days');
    expect(m.jobs_every_hours({ hours: 1 }, fr)).toBe('Toutes les heures');
    expect(m.jobs_every_hours({ hours: 6 }, en)).toBe('Every 6 h');
  });

  it('agrees the modules done and the answers counted', () => {
    expect(m.learn_today_modules_done({ done: 1, count: 4 }, fr)).toBe('1 module terminé sur 4');
    expect(m.learn_today_modules_done({ done: 2, count: 4 }, fr)).toBe('2 modules terminés sur 4');
    expect(m.learn_today_modules_done({ done: 0, count: 1 }, en)).toBe('0 of 1 module done');
    expect(m.dash_passed_of({ passed: 1, reviews: 3 }, fr)).toBe('1 réussi sur 3');
    expect(m.dash_passed_of({ passed: 2, reviews: 3 }, fr)).toBe('2 réussis sur 3');
    expect(nb(m.weights_progress({ answers: '1', count: 1, min: '400' }, fr))).toMatch(
      /^1 rappel répondu sur 400 ;/,
    );
    expect(nb(m.weights_progress({ answers: '2', count: 2, min: '400' }, fr))).toMatch(
      /^2 rappels répondus sur 400 ;/,
    );
  });
});
