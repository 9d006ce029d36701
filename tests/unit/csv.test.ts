import { describe, expect, it } from 'vitest';
import { csvFileName, toCsv } from '../../web/lib/csv';

/** The records of a file, without its BOM or the empty string after the last CRLF. */
const records = (csv: string) => csv.slice(1).split('\r\n').slice(0, -1);

describe('toCsv', () => {
  it('starts with a UTF-8 BOM and ends every record with CRLF, in both languages', () => {
    for (const locale of ['fr', 'en'] as const) {
      const csv = toCsv(['Équipe', 'Rappel'], [['Ventes', 0.9]], locale);
      expect(csv.charCodeAt(0)).toBe(0xfeff);
      expect(csv.endsWith('\r\n')).toBe(true);
      // Encoded, the file starts with EF BB BF and keeps the accents as UTF-8.
      const bytes = new TextEncoder().encode(csv);
      expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(new TextDecoder().decode(bytes.slice(3, 10))).toBe('Équipe');
    }
  });

  it('in French, separates fields with semicolons and writes decimal commas (French Excel)', () => {
    const csv = toCsv(
      ['Équipe', 'Mémorisation', 'Rappels', 'Écart'],
      [
        ['Ventes', 0.873, 12, -0.5],
        ['Logistique et entrepôt', 1234.5, 0, null],
      ],
      'fr',
    );
    expect(csv).toBe(
      '\uFEFFÉquipe;Mémorisation;Rappels;Écart\r\n' +
        'Ventes;0,873;12;-0,5\r\n' +
        'Logistique et entrepôt;1234,5;0;\r\n',
    );
  });

  it('in English, separates fields with commas and writes decimal points', () => {
    const csv = toCsv(
      ['Team', 'Recall', 'Refreshers', 'Gap'],
      [
        ['Sales', 0.873, 12, -0.5],
        ['Warehouse', 1234.5, 0, null],
      ],
      'en',
    );
    expect(csv).toBe(
      '\uFEFFTeam,Recall,Refreshers,Gap\r\nSales,0.873,12,-0.5\r\nWarehouse,1234.5,0,\r\n',
    );
  });

  it('quotes fields with the separator, quotes, line breaks or edge spaces, doubling quotes (RFC 4180)', () => {
    const cells = [
      ['Dupont, Marie'],
      ['Clôture ; paie'],
      ['Le "grand" livre'],
      ['two\nlines'],
      ['cr\rhere'],
      [' padded'],
      ['plain'],
    ];
    expect(records(toCsv(['a'], cells, 'en'))).toEqual([
      'a',
      '"Dupont, Marie"',
      'Clôture ; paie',
      '"Le ""grand"" livre"',
      '"two\nlines"',
      '"cr\rhere"',
      '" padded"',
      'plain',
    ]);
    // In French the semicolon is the one that needs quotes; a comma is plain text.
    expect(records(toCsv(['a'], cells, 'fr'))).toEqual([
      'a',
      'Dupont, Marie',
      '"Clôture ; paie"',
      '"Le ""grand"" livre"',
      '"two\nlines"',
      '"cr\rhere"',
      '" padded"',
      'plain',
    ]);
  });

  it('keeps a text holding a decimal as it is, quoted when it holds the separator', () => {
    expect(records(toCsv(['a', 'b'], [['Clôture (0,62)', '0.5']], 'fr'))[1]).toBe(
      'Clôture (0,62);0.5',
    );
    expect(records(toCsv(['a', 'b'], [['Closing (0,62)', 1.5]], 'en'))[1]).toBe(
      '"Closing (0,62)",1.5',
    );
  });

  it('writes dates as ISO, and empty fields for nothing, in both languages', () => {
    const row = [1234.5, new Date('2026-03-02T09:00:00Z'), null, undefined, Number.NaN, true];
    expect(records(toCsv(['n', 'd', 'x', 'y', 'z', 'b'], [row], 'en'))[1]).toBe(
      '1234.5,2026-03-02T09:00:00.000Z,,,,true',
    );
    expect(records(toCsv(['n', 'd', 'x', 'y', 'z', 'b'], [row], 'fr'))[1]).toBe(
      '1234,5;2026-03-02T09:00:00.000Z;;;;true',
    );
  });

  it('keeps text that looks like a formula as text, and negative numbers as numbers', () => {
    const cells = [['=1+2'], ['+33 6'], ['-x'], ['@SUM(A1)'], [-0.5], ['a=b'], ['=A1;B1']];
    expect(records(toCsv(['a'], cells, 'en')).slice(1)).toEqual([
      "'=1+2",
      "'+33 6",
      "'-x",
      "'@SUM(A1)",
      '-0.5',
      'a=b',
      "'=A1;B1",
    ]);
    expect(records(toCsv(['a'], cells, 'fr')).slice(1)).toEqual([
      "'=1+2",
      "'+33 6",
      "'-x",
      "'@SUM(A1)",
      '-0,5',
      'a=b',
      `"'=A1;B1"`,
    ]);
  });

  it('keeps calendar dates given as text as they are', () => {
    expect(toCsv(['date'], [['2026-03-31']], 'fr').slice(1)).toBe('date\r\n2026-03-31\r\n');
    expect(toCsv(['date'], [['2026-03-31']], 'en').slice(1)).toBe('date\r\n2026-03-31\r\n');
  });
});

describe('csvFileName', () => {
  it('makes a plain file name from words with accents and spaces', () => {
    expect(
      csvFileName('Carte de chaleur équipes × modules', new Date('2026-03-02T09:00:00Z')),
    ).toBe('rappel-carte-de-chaleur-equipes-modules-2026-03-02.csv');
  });
});
