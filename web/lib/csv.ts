/**
 * CSV files built in the browser from what a table shows (every dashboard table exports), in the conventions of the interface language, because the people who download them
 * open them in Excel, which reads a CSV with the computer's regional settings:
 *
 * - French: fields separated by semicolons and decimal commas (`0,873`), as French Excel expects
 *   (its list separator is « ; »; a comma-separated file opens in one column);
 * - English: commas and decimal points (`0.873`).
 *
 * Otherwise RFC 4180: records end with CRLF, a field is quoted when it holds the separator, a
 * quote, a line break or leading/trailing spaces, quotes doubled. The file starts with a UTF-8
 * byte-order mark so that Excel opens accents correctly. Numbers are written plainly (no
 * grouping, no unit: 0.873, not "87 %"), dates as ISO (`2026-03-02`), which Excel reads in both
 * languages. Text that a spreadsheet would take for a formula is prefixed with an apostrophe.
 */

/** One value of a cell; null and undefined are an empty field. */
export type CsvValue = string | number | boolean | Date | null | undefined;

const formats = {
  fr: { separator: ';', decimal: ',' },
  en: { separator: ',', decimal: '.' },
} as const;

/** The interface languages (Paraglide's `getLocale()`), each with its spreadsheet conventions. */
export type CsvLocale = keyof typeof formats;

const BOM = '\uFEFF';

function field(value: CsvValue, format: (typeof formats)[CsvLocale]): string {
  if (value === null || value === undefined) return '';
  let text: string;
  if (value instanceof Date) text = value.toISOString();
  else if (typeof value === 'number') {
    text = Number.isFinite(value) ? String(value).replace('.', format.decimal) : '';
  }
  // A text starting like a formula would run as one in a spreadsheet (CSV injection, e.g. a
  // learner named "=HYPERLINK(…)"): a leading apostrophe keeps it text, as OWASP advises.
  else text = /^[=+\-@\t\r]/.test(String(value)) ? `'${String(value)}` : String(value);
  const quoted = text.includes(format.separator) || /["\r\n]|^\s|\s$/.test(text);
  return quoted ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * The whole file in `locale`'s conventions: BOM, the header row, then one record per row, each
 * ending with CRLF.
 */
export function toCsv(
  header: readonly string[],
  rows: readonly (readonly CsvValue[])[],
  locale: CsvLocale,
): string {
  const format = formats[locale];
  return (
    BOM +
    [header, ...rows]
      .map((row) => row.map((value) => field(value, format)).join(format.separator) + '\r\n')
      .join('')
  );
}

/** A file name safe on every system: `rappel-overview-2026-03-02.csv`. */
export function csvFileName(name: string, date = new Date()): string {
  const slug = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `rappel-${slug || 'export'}-${date.toISOString().slice(0, 10)}.csv`;
}

/** Saves `csv` as a download (a Blob link, so no server round trip). */
export function downloadCsv(fileName: string, csv: string): void {
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // Some browsers read the Blob after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
