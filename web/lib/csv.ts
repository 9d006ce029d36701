/**
 * CSV files built in the browser from what a table shows (issue 5: every dashboard table
 * exports). RFC 4180: fields separated by commas, records by CRLF, a field quoted when it holds
 * a comma, a quote, a line break or leading/trailing spaces, quotes doubled. The file starts
 * with a UTF-8 byte-order mark so that Excel opens accents correctly. Numbers are written as
 * plain numbers (a dot, no grouping: 0.873, not "87 %"), dates as ISO (`2026-03-02`). Text
 * that a spreadsheet would take for a formula is prefixed with an apostrophe.
 */

/** One value of a cell; null and undefined are an empty field. */
export type CsvValue = string | number | boolean | Date | null | undefined;

const BOM = '\uFEFF';

function field(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  let text: string;
  if (value instanceof Date) text = value.toISOString();
  else if (typeof value === 'number') text = Number.isFinite(value) ? String(value) : '';
  // A text starting like a formula would run as one in a spreadsheet (CSV injection, e.g. a
  // learner named "=HYPERLINK(…)"): a leading apostrophe keeps it text, as OWASP advises.
  else text = /^[=+\-@\t\r]/.test(String(value)) ? `'${String(value)}` : String(value);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The whole file: BOM, the header row, then one record per row, each ending with CRLF. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return BOM + [header, ...rows].map((row) => row.map(field).join(',') + '\r\n').join('');
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
