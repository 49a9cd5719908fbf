/**
 * CSV cells and rows (RFC 4180 quoting) for the CSV the CLI prints for people to open in a spreadsheet
 * (`bank list`, `match --format csv`, `hash --format csv`, ...). A text cell that a spreadsheet would run as a
 * formula (it starts with `=`, `+`, `-`, `@`, a tab or a carriage return) is neutralised as OWASP recommends: a
 * single quote is put before it. `bank export` is not written through here: it is an exchange format, verbatim.
 */

/** First characters that make a spreadsheet read a cell as a formula (OWASP CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** Quotes a cell when it holds a comma, a quote or a line break; neutralises a text cell that reads as a formula. */
export function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  let s = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (typeof value !== 'number' && FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV line (without its line break). */
export function csvRow(values: unknown[]): string {
  return values.map(csvCell).join(',');
}
