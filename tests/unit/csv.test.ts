import { describe, expect, it } from 'vitest';
import { csvFileName, toCsv } from '../../web/lib/csv';

describe('toCsv', () => {
  it('starts with a UTF-8 BOM and ends every record with CRLF', () => {
    const csv = toCsv(['Équipe', 'Rappel'], [['Ventes', 0.9]]);
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv).toBe('\uFEFFÉquipe,Rappel\r\nVentes,0.9\r\n');
    // Encoded, the file starts with EF BB BF and keeps the accents as UTF-8.
    const bytes = new TextEncoder().encode(csv);
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });

  it('quotes fields with commas, quotes, line breaks or edge spaces, doubling quotes (RFC 4180)', () => {
    const csv = toCsv(
      ['a'],
      [
        ['Dupont, Marie'],
        ['Le "grand" livre'],
        ['two\nlines'],
        ['cr\rhere'],
        [' padded'],
        ['plain'],
      ],
    );
    expect(csv.slice(1).split('\r\n')).toEqual([
      'a',
      '"Dupont, Marie"',
      '"Le ""grand"" livre"',
      '"two\nlines"',
      '"cr\rhere"',
      '" padded"',
      'plain',
      '',
    ]);
  });

  it('writes numbers plainly, dates as ISO, and empty fields for nothing', () => {
    const csv = toCsv(
      ['n', 'd', 'x', 'y', 'z', 'b'],
      [[1234.5, new Date('2026-03-02T09:00:00Z'), null, undefined, Number.NaN, true]],
    );
    expect(csv.slice(1).split('\r\n')[1]).toBe('1234.5,2026-03-02T09:00:00.000Z,,,,true');
  });

  it('keeps text that looks like a formula as text, and negative numbers as numbers', () => {
    const csv = toCsv(['a'], [['=1+2'], ['+33 6'], ['-x'], ['@SUM(A1)'], [-0.5], ['a=b']]);
    expect(csv.slice(1).split('\r\n').slice(1, -1)).toEqual([
      "'=1+2",
      "'+33 6",
      "'-x",
      "'@SUM(A1)",
      '-0.5',
      'a=b',
    ]);
  });

  it('keeps calendar dates given as text as they are', () => {
    expect(toCsv(['date'], [['2026-03-31']]).slice(1)).toBe('date\r\n2026-03-31\r\n');
  });
});

describe('csvFileName', () => {
  it('makes a plain file name from words with accents and spaces', () => {
    expect(
      csvFileName('Carte de chaleur équipes × modules', new Date('2026-03-02T09:00:00Z')),
    ).toBe('rappel-carte-de-chaleur-equipes-modules-2026-03-02.csv');
  });
});
