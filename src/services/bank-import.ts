/**
 * Imports a bank file (one hash per line, CSV or JSON lines) line by line: good lines are stored in batches, one
 * transaction each (a crash loses nothing already imported), bad lines are reported with their number and
 * skipped, values the bank holds already are counted, not added again.
 */
import type { BankSignalType } from '../core/banks/bank.js';
import { BankFileParser, type BankFileFormat } from '../core/banks/bank-file-format.js';
import type { BankEntryInput } from '../core/banks/bank.js';
import type { BankDeps } from './bank-manage.js';

export const IMPORT_BATCH_SIZE = 5000;
/** Bad lines listed one by one in the report; past this they are only counted. */
export const MAX_LISTED_BAD_LINES = 1000;

export interface ImportOptions {
  format?: BankFileFormat | 'auto';
  /** The type of bare hashes in the one-hash-per-line format (default: PDQ, or MD5 for 32 hex digits). */
  signalType?: BankSignalType;
  addedBy?: string;
  batchSize?: number;
  onProgress?: (p: { lines: number; added: number; duplicates: number; skipped: number }) => void;
}

export interface ImportReport {
  bank: string;
  lines: number;
  added: number;
  duplicates: number;
  skipped: number;
  badLines: { line: number; reason: string }[];
}

/**
 * Imports lines into a bank.
 * @example await importBank(deps, 'case-1', readLines('hashes.txt')) // { added: 120, duplicates: 0, skipped: 1, ... }
 */
export async function importBank(deps: BankDeps, name: string, lines: AsyncIterable<string> | Iterable<string>, opts: ImportOptions = {}): Promise<ImportReport> {
  const bank = await deps.repo.requireBank(name);
  const parser = new BankFileParser(opts.format ?? 'auto', opts.signalType);
  const report: ImportReport = { bank: name, lines: 0, added: 0, duplicates: 0, skipped: 0, badLines: [] };
  const batchSize = opts.batchSize ?? IMPORT_BATCH_SIZE;
  const addedBy = opts.addedBy ?? 'import';
  let batch: BankEntryInput[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const { added, duplicates } = await deps.repo.insertEntries(bank.id, batch, addedBy, (deps.now ?? (() => new Date()))().toISOString());
    report.added += added.length;
    report.duplicates += duplicates;
    batch = [];
    for (const l of deps.listeners ?? []) l.entriesAdded(added);
    opts.onProgress?.({ lines: report.lines, added: report.added, duplicates: report.duplicates, skipped: report.skipped });
  };
  for await (const text of lines) {
    report.lines++;
    const r = parser.parseLine(text);
    if (r === undefined) continue;
    if ('error' in r) {
      report.skipped++;
      if (report.badLines.length < MAX_LISTED_BAD_LINES) report.badLines.push({ line: r.line, reason: r.error });
      continue;
    }
    batch.push(r.entry);
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  return report;
}
