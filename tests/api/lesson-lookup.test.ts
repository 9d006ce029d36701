import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { lessonProgress, users } from '../../server/db/schema';
import type { Lookup, LookupMatch } from '../../shared/lookup';
import { checkRoute, createHarness, expectError, json, type UserFixture } from '../helpers/harness';
import { learningFixtures } from '../helpers/learning';
import { textBlock } from '../helpers/modules';

const h = await createHarness();
const f = learningFixtures(h);
const { a, b } = h.world;
const url = (q?: string) =>
  `/api/orgs/${a.id}/me/lessons${q === undefined ? '' : `?q=${encodeURIComponent(q)}`}`;

async function lookup(user: UserFixture, q?: string): Promise<Lookup> {
  const res = await user.inject({ method: 'GET', url: url(q) });
  expect(res.statusCode, res.body).toBe(200);
  return json(res);
}

async function matches(user: UserFixture, q: string): Promise<LookupMatch[]> {
  const body = await lookup(user, q);
  if (body.kind !== 'matches') throw new Error('expected matches');
  return body.matches;
}

/** The excerpt as a page shows it, matches in [brackets]. */
const shown = (m: LookupMatch) => m.excerpt.map((p) => (p.match ? `[${p.text}]` : p.text)).join('');

let french: UserFixture;
let english: UserFixture;
let other: UserFixture;
let billing: Awaited<ReturnType<typeof f.publishedModule>>;
let secret: Awaited<ReturnType<typeof f.publishedModule>>;

beforeAll(async () => {
  h.clock.set('2026-03-02T09:00:00Z');
  french = await f.learner(a, 'Louise');
  english = await f.learner(a, 'Oliver');
  other = await f.learner(a, 'Noé');
  // The harness makes English speakers; Louise and Noé speak French.
  for (const user of [french, other]) {
    await h.db.update(users).set({ locale: 'fr' }).where(eq(users.id, user.id));
  }
  const persona = await f.freshPersona(a);
  billing = await f.publishedModule(a, { title: 'Facturation' }, [
    {
      title: 'Créer une facture',
      blocks: [
        textBlock(
          'Ouvrez le menu **Ventes**, puis choisissez une facture à envoyer (total < 10 € & TVA).',
        ),
        textBlock('La clôture du mois se fait le dernier jour.'),
        { ...textBlock('Réservé aux experts : le lettrage automatique.'), personaIds: [persona] },
      ],
    },
    { title: 'Send an invoice', blocks: [textBlock('Invoices are sent from the Sales menu.')] },
  ]);
  secret = await f.publishedModule(a, { title: 'Paie' }, [
    { title: 'Bulletins', blocks: [textBlock('Chaque facture de paie est confidentielle.')] },
  ]);
  await f.assign(a, billing.id, [french.id, english.id, a.users.learner.id]);
  await f.assign(a, secret.id, [other.id]);
  await f.lessonProgress(a, french, billing.lessons[0]!.id);
});

describe('access', () => {
  it('only learners look up their own lessons; a query over 200 characters is refused', async () => {
    await checkRoute(h, {
      request: () => ({ method: 'GET', url: url('facture') }),
      allow: ['learner'],
      status: 200,
      badInput: () => ({ method: 'GET', url: url('x'.repeat(201)) }),
    });
    expectError(await french.inject({ method: 'GET', url: url('') }), 400, 'VALIDATION_FAILED');
    const outsider = await f.learner(b, 'Basile');
    expectError(await outsider.inject({ method: 'GET', url: url() }), 404, 'NOT_FOUND');
  });
});

describe('without a query', () => {
  it("lists the learner's modules and lessons, finished ones ticked", async () => {
    const body = await lookup(french);
    expect(body).toEqual({
      kind: 'modules',
      modules: [
        {
          moduleId: billing.id,
          title: 'Facturation',
          lessons: [
            expect.objectContaining({ title: 'Créer une facture', done: true }),
            expect.objectContaining({ title: 'Send an invoice', done: false }),
          ],
        },
      ],
    });
    if (body.kind !== 'modules') return;
    expect(body.modules[0]!.lessons[0]!.minutes).toBeGreaterThanOrEqual(1);
  });

  it('explains nothing when the learner has no modules yet', async () => {
    const newcomer = await f.learner(a, 'Zoé');
    expect(await lookup(newcomer)).toEqual({ kind: 'modules', modules: [] });
  });
});

describe('search', () => {
  it('finds a finished lesson by a word of its text, stemmed and without accents', async () => {
    const [hit, ...rest] = await matches(french, 'factures');
    expect(rest.map((m) => m.lessonTitle)).toEqual([]);
    expect(hit).toMatchObject({
      moduleId: billing.id,
      moduleTitle: 'Facturation',
      lessonId: billing.lessons[0]!.id,
      lessonTitle: 'Créer une facture',
      done: true,
    });
    expect(shown(hit!)).toContain('choisissez une [facture] à envoyer (total < 10 € & TVA).');

    const [closing] = await matches(french, 'cloture');
    expect(shown(closing!)).toContain('La [clôture] du mois');
  });

  it('uses English stemming for an English-speaking learner', async () => {
    const found = await matches(english, 'invoicing');
    expect(found.map((m) => [m.lessonTitle, m.done])).toEqual([['Send an invoice', false]]);
    expect(shown(found[0]!)).toContain('[Invoices] are sent');
    // French stemming keeps "invoicing" whole, so it finds nothing for a French speaker.
    expect(await matches(french, 'invoicing')).toEqual([]);
  });

  it("never shows another learner's module, nor a block meant for another persona", async () => {
    expect((await matches(french, 'confidentielle')).length).toBe(0);
    expect((await matches(other, 'confidentielle')).map((m) => m.lessonTitle)).toEqual([
      'Bulletins',
    ]);
    expect(await matches(french, 'lettrage')).toEqual([]);
  });

  it('reading the results changes no progress', async () => {
    const before = await h.db.select().from(lessonProgress);
    await matches(a.users.learner, 'facture');
    await lookup(a.users.learner);
    expect(await h.db.select().from(lessonProgress)).toEqual(before);
  });

  it('answers no match for words in no lesson', async () => {
    expect(await lookup(french, 'tournevis')).toEqual({
      kind: 'matches',
      query: 'tournevis',
      matches: [],
    });
  });
});
