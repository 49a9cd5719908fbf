/**
 * Imports a bank file (one hash per line, CSV or JSON lines) line by line: good lines are stored in batches, one
 * transaction each (a crash loses nothing already imported), bad lines are reported with their number and
 * skipped, values the bank holds already are counted, not added again. With the scan store at hand (stored,
 * matches), the new entries are then matched against every earlier scan and the new matches reported.
 */
import { BankFileParser, type BankFileFormat } from '../core/banks/bank-file-format.js';
import type { BankEntryInput } from '../core/banks/bank.js';
import type { Progress } from '../core/progress.js';
import type { MatchReport } from '../core/scan/scan-report.js';
import type { StoredEntry } from '../io/db/repos/bank-repo.js';
import type { BankDeps } from './bank-manage.js';
import { retroMatch, type RetroMatchDeps } from './bank-retro-match.js';

export const IMPORT_BATCH_SIZE = 5000;
/** Bad lines listed one by one in the report; past this they are only counted. */
export const MAX_LISTED_BAD_LINES = 1000;
/** New entries retro-matched at once: memory stays bounded on a million-line import, and each pass reads the store once. */
export const RETRO_MATCH_CHUNK = 100_000;
/** New matches listed in the report; past this they are stored and counted only. */
export const MAX_LISTED_NEW_MATCHES = 10_000;

export interface ImportOptions {
  format?: BankFileFormat | 'auto';
  /** The type of bare hashes in the one-hash-per-line format (default: PDQ, or MD5 for 32 hex digits). */
  signalType?: string;
  addedBy?: string;
  batchSize?: number;
  onProgress?: (p: Progress) => void;
}

/** Bank deps, and the scan store when new entries should be retro-matched. */
export type ImportDeps = BankDeps & Partial<Pick<RetroMatchDeps, 'stored' | 'matches'>>;

export interface ImportReport {
  bank: string;
  lines: number;
  added: number;
  duplicates: number;
  skipped: number;
  badLines: { line: number; reason: string }[];
  /** Matches of the new entries in earlier scans (retro-matches), when the scan store was given. */
  newMatches: MatchReport[];
  /** How many retro-matches were stored (newMatches lists the first MAX_LISTED_NEW_MATCHES). */
  newMatchCount: number;
}

/**
 * Imports lines into a bank.
 * @example await importBank(deps, 'case-1', readLines('hashes.txt')) // { added: 120, duplicates: 0, skipped: 1, ... }
 */
export async function importBank(deps: ImportDeps, name: string, lines: AsyncIterable<string> | Iterable<string>, opts: ImportOptions = {}): Promise<ImportReport> {
  const bank = await deps.banks.requireBank(name);
  if (opts.signalType !== undefined && deps.registry) deps.registry.require(opts.signalType);
  const parser = new BankFileParser(opts.format ?? 'auto', opts.signalType, deps.registry);
  const report: ImportReport = { bank: name, lines: 0, added: 0, duplicates: 0, skipped: 0, badLines: [], newMatches: [], newMatchCount: 0 };
  const addedEntries: StoredEntry[] = [];
  const batchSize = opts.batchSize ?? IMPORT_BATCH_SIZE;
  const addedBy = opts.addedBy ?? 'import';
  let batch: BankEntryInput[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const { added, duplicates } = await deps.banks.insertEntries(bank.id, batch, addedBy, (deps.now ?? (() => new Date()))().toISOString());
    report.added += added.length;
    if (deps.stored && deps.matches) addedEntries.push(...added);
    report.duplicates += duplicates;
    batch = [];
    for (const l of deps.listeners ?? []) l.entriesAdded(added);
    opts.onProgress?.({ job: 'bank_import', done: report.lines, unit: 'lines', counts: { added: report.added, duplicates: report.duplicates, skipped: report.skipped } });
  };
  const retro = async () => {
    if (!deps.stored || !deps.matches || addedEntries.length === 0) return;
    const found = await retroMatch({ ...deps, stored: deps.stored, matches: deps.matches }, addedEntries.splice(0), opts.onProgress);
    report.newMatchCount += found.length;
    report.newMatches.push(...found.slice(0, MAX_LISTED_NEW_MATCHES - report.newMatches.length));
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
    batch.push(r.entry, ...(r.also ?? []));
    if (batch.length >= batchSize) await flush();
    if (addedEntries.length >= RETRO_MATCH_CHUNK) await retro();
  }
  await flush();
  await retro();
  return report;
}
