import { CsvError, parse } from 'csv-parse/sync';
import { type Locale, type Role } from '../../shared/common';
import { STAFF_IMPORT_MAX_ROWS, type ImportProblem } from '../../shared/staff-import';
import { AppError } from '../lib/errors';

/** The columns a staff spreadsheet may have; only name and e-mail are required. */
export type Column = 'name' | 'email' | 'team' | 'jobRole' | 'roles' | 'locale' | 'managedTeams';

/** A data row: its number as a spreadsheet shows it, and its cells by column. */
export interface Row {
  line: number;
  cells: Partial<Record<Column, string>>;
}

/** Header and value words are compared without case, accents, spaces or punctuation. */
export const fold = (text: string) =>
  text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');

/** Header names, folded, in French and English. */
const headers: Record<string, Column> = Object.fromEntries(
  Object.entries({
    name: ['nom', 'name', 'nomcomplet', 'fullname', 'prenomnom', 'nomprenom'],
    email: ['email', 'mail', 'courriel', 'adresseemail', 'adressemail', 'emailaddress'],
    team: ['equipe', 'team', 'service'],
    jobRole: ['poste', 'fonction', 'jobrole', 'jobtitle', 'metier'],
    roles: ['roles', 'role'],
    locale: ['langue', 'language', 'lang', 'locale'],
    managedTeams: ['manage', 'manages', 'equipesgerees', 'managedteams', 'equipesmanagees'],
  } satisfies Record<Column, string[]>).flatMap(([column, names]) =>
    names.map((n) => [n, column as Column]),
  ),
);

/** Role words, folded, in French and English. */
const roleWords: Record<string, Role> = {
  learner: 'learner',
  apprenant: 'learner',
  apprenante: 'learner',
  manager: 'manager',
  referent: 'referent',
  referente: 'referent',
  trainer: 'trainer',
  formateur: 'trainer',
  formatrice: 'trainer',
  admin: 'admin',
  administrator: 'admin',
  administrateur: 'admin',
  administratrice: 'admin',
};

const localeWords: Record<string, Locale> = {
  fr: 'fr',
  francais: 'fr',
  french: 'fr',
  en: 'en',
  anglais: 'en',
  english: 'en',
};

const unreadable = (message: string) => new AppError('IMPORT_UNREADABLE', 400, message);

/**
 * The file's text. UTF-8 (with or without its BOM) when the bytes are valid UTF-8; otherwise
 * Windows-1252, what Excel in French writes when asked for "CSV (separator: semicolon)".
 * UTF-16 with its BOM ("Unicode text") is read too.
 */
export function decode(bytes: Uint8Array): string {
  const [b0, b1, b2] = bytes;
  if (b0 === 0xff && b1 === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (b0 === 0xfe && b1 === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  const body = b0 === 0xef && b1 === 0xbb && b2 === 0xbf ? bytes.subarray(3) : bytes;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    text = new TextDecoder('windows-1252').decode(body);
  }
  // NUL never appears in text (a binary file, or UTF-16 without a BOM), and cannot be stored.
  if (text.includes('\0')) throw unreadable('This file is not text: save it as CSV.');
  return text;
}

/**
 * The separator the header line uses most among semicolon, comma and tab (outside quotes):
 * Excel writes semicolons where the decimal mark is a comma (France), commas elsewhere.
 */
export function detectDelimiter(text: string): string {
  const counts = new Map([
    [';', 0],
    [',', 0],
    ['\t', 0],
  ]);
  let quoted = false;
  for (const c of text.trimStart()) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) break;
    else if (!quoted && counts.has(c)) counts.set(c, counts.get(c)! + 1);
  }
  return [...counts].reduce((best, next) => (next[1] > best[1] ? next : best))[0];
}

/**
 * The data rows of a CSV text, each with its cells by column. Rows without any value are
 * skipped but counted, so that numbers match the spreadsheet's. Refuses (400) text that is not
 * CSV, a header without a name or an e-mail column, and more rows than one import takes.
 */
export function readRows(text: string): Row[] {
  let records: { record: string[]; info: { records: number } }[];
  try {
    // With `info`, each record comes with its position; the declared return type ignores it.
    records = parse(text, {
      delimiter: detectDelimiter(text),
      relax_column_count: true,
      relax_quotes: true,
      info: true,
    }) as unknown as typeof records;
  } catch (err) {
    if (err instanceof CsvError)
      throw unreadable(`This file is not readable as CSV: ${err.message}`);
    throw err;
  }
  const blank = (record: string[]) => record.every((cell) => cell.trim() === '');
  const headerAt = records.findIndex((r) => !blank(r.record));
  const columns = (records[headerAt]?.record ?? []).map((h) => headers[fold(h)]);
  if (!columns.includes('name') || !columns.includes('email')) {
    throw new AppError(
      'IMPORT_COLUMNS_MISSING',
      400,
      'The first line must name the columns, with at least a name and an e-mail column.',
    );
  }
  const rows = records
    .slice(headerAt + 1)
    .filter((r) => !blank(r.record))
    .map(({ record, info }) => {
      const cells: Row['cells'] = {};
      record.forEach((value, i) => {
        const column = columns[i];
        // A column named twice: the first one counts.
        if (column && cells[column] === undefined) cells[column] = value.trim();
      });
      return { line: info.records, cells };
    });
  if (rows.length > STAFF_IMPORT_MAX_ROWS) {
    throw new AppError(
      'IMPORT_TOO_MANY_ROWS',
      400,
      `One import takes at most ${STAFF_IMPORT_MAX_ROWS} people: split the file.`,
    );
  }
  return rows;
}

/** The items of a list cell, split where `separators` match. */
const listOf = (cell: string | undefined, separators: RegExp) =>
  (cell ?? '')
    .split(separators)
    .map((s) => s.trim().replace(/\s+/g, ' '))
    .filter(Boolean);

/** The roles a cell names (none: learner), and whether a word was not a role. */
export function readRoles(cell: string | undefined): { roles: Role[]; problem?: ImportProblem } {
  const words = listOf(cell, /[,;|/]/);
  const roles = [...new Set(words.map((w) => roleWords[fold(w)]).filter((r) => r !== undefined))];
  const problem = roles.length < words.length ? ('unknown_role' as const) : undefined;
  return { roles: words.length === 0 ? ['learner'] : roles, problem };
}

/** The language a cell names; null when empty (the inviter's applies), undefined when unknown. */
export function readLocale(cell: string | undefined): Locale | null | undefined {
  if (!cell) return null;
  return localeWords[fold(cell)];
}

/** Team names of a list cell, separated by commas, semicolons or bars (a slash may be a name's). */
export const readTeamNames = (cell: string | undefined) => listOf(cell, /[,;|]/);

/** A team or job role name as the file writes it, spaces tidied; null when empty. */
export const tidyName = (cell: string | undefined) => cell?.replace(/\s+/g, ' ').trim() || null;

/** Team and job role names match whatever their case, as their unique index does. */
export const nameKey = (name: string) => name.toLowerCase();
