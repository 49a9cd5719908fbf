/** CSV cells and rows (RFC 4180 quoting), for every command that prints CSV. */

/** Quotes a cell when it holds a comma, a quote or a line break. */
export function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  const s = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV line (without its line break). */
export function csvRow(values: unknown[]): string {
  return values.map(csvCell).join(',');
}
