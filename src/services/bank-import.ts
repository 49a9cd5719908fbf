/**
 * Imports a bank file (one hash per line, CSV or JSON lines) as one atomic bulk load: every line is parsed and
 * checked as it streams past, good rows are staged (prepared multi-row inserts on SQLite, COPY on PostgreSQL), bad
 * lines are reported with their number and skipped, and the staged rows enter the bank in one transaction, values
 * the bank holds already (or that the file repeats) counted, not added again. A killed import leaves the bank as it
 * was; running it again imports everything. Then the new entries are announced to the listeners (match index,
 * change feed) and, with the scan store at hand, matched against every earlier scan (retro-matches), a page at a time.
 */
import { BankFileParser, type BankFileFormat } from '../core/banks/bank-file-format.js';
import type { Progress } from '../core/progress.js';
import type { MatchReport } from '../core/scan/scan-report.js';
import type { BankDeps } from './bank-manage.js';
import { retroMatch, type RetroIndexCache, type RetroMatchDeps } from './bank-retro-match.js';

/** Lines between two progress reports. */
export const PROGRESS_EVERY = 100_000;
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
  onProgress?: (p: Progress) => void;
}

/** The entries a bank gained, by id (afterId < id <= lastId): what a background retro-match is given, never values. */
export interface AddedRange {
  bankId: number;
  afterId: number;
  lastId: number;
}

/**
 * Bank deps, and the scan store when new entries should be retro-matched. With `retroInBackground` (the server:
 * it sends a BankRetroMatch job) the new entries' id range is handed over right after their transaction commits
 * and nothing is matched here; without it (the CLI) they are matched before the call returns.
 */
export type ImportDeps = BankDeps & Partial<Pick<RetroMatchDeps, 'stored' | 'matches'>> & {
  retroInBackground?: (added: AddedRange) => Promise<unknown>;
};

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

/** Lines that can be read a chunk's worth at a time (readLines of the CLI): one await per chunk, not per line. */
export interface LineBatches {
  batches(): AsyncIterable<readonly string[]>;
}

async function* batchesOf(lines: AsyncIterable<string> | Iterable<string> | LineBatches): AsyncGenerator<readonly string[]> {
  if ('batches' in lines && typeof lines.batches === 'function') {
    yield* lines.batches();
    return;
  }
  if (Symbol.iterator in lines) {
    yield* chunksOf(lines as Iterable<string>);
    return;
  }
  for await (const text of lines as AsyncIterable<string>) yield [text];
}

function* chunksOf(lines: Iterable<string>, size = 10_000): Generator<string[]> {
  let batch: string[] = [];
  for (const text of lines) {
    batch.push(text);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/**
 * Imports lines into a bank.
 * @example await importBank(deps, 'case-1', readLines('hashes.txt')) // { added: 120, duplicates: 0, skipped: 1, ... }
 */
export async function importBank(deps: ImportDeps, name: string, lines: AsyncIterable<string> | Iterable<string> | LineBatches, opts: ImportOptions = {}): Promise<ImportReport> {
  const bank = await deps.banks.requireBank(name);
  if (opts.signalType !== undefined && deps.registry) deps.registry.require(opts.signalType);
  const parser = new BankFileParser(opts.format ?? 'auto', opts.signalType, deps.registry);
  const report: ImportReport = { bank: name, lines: 0, added: 0, duplicates: 0, skipped: 0, badLines: [], newMatches: [], newMatchCount: 0 };
  const now = (deps.now ?? (() => new Date()))().toISOString();
  const progress = (job: string, done: number, unit: string) => opts.onProgress?.({ job, done, unit, counts: { added: report.added, duplicates: report.duplicates, skipped: report.skipped } });
  const load = await deps.banks.bulkInsert(bank.id, opts.addedBy ?? 'import', now);
  let result;
  try {
    for await (const batch of batchesOf(lines)) {
      for (const text of batch) {
        report.lines++;
        if (report.lines % PROGRESS_EVERY === 0) progress('bank_import', report.lines, 'lines');
        const r = parser.parseLine(text);
        if (r === undefined) continue;
        if ('error' in r) {
          report.skipped++;
          if (report.badLines.length < MAX_LISTED_BAD_LINES) report.badLines.push({ line: r.line, reason: r.error });
          continue;
        }
        let full = load.push(r.entry);
        if (r.also) for (const e of r.also) full = load.push(e) || full;
        if (full) await load.flush();
      }
    }
    result = await load.commit();
  } catch (err) {
    await load.discard();
    throw err;
  }
  report.added = result.added;
  report.duplicates = result.staged - result.added;
  progress('bank_import', report.lines, 'lines');
  let announced = 0;
  const retroCache: RetroIndexCache = new Map();
  // The new rows are read back only for whoever needs them: the listeners, and retro-matching when scans stored something.
  if (deps.retroInBackground && report.added > 0) await deps.retroInBackground({ bankId: bank.id, afterId: result.afterId, lastId: result.lastId });
  const retro = !deps.retroInBackground && deps.stored && deps.matches && (await deps.stored.holdsAnything());
  if (!retro && (deps.listeners ?? []).length === 0) return report;
  for await (const page of deps.banks.streamAddedEntries(bank.id, result.afterId, result.lastId, RETRO_MATCH_CHUNK)) {
    for (const l of deps.listeners ?? []) l.entriesAdded(page);
    if (retro && deps.stored && deps.matches) {
      const found = await retroMatch({ ...deps, stored: deps.stored, matches: deps.matches }, page, opts.onProgress, retroCache);
      report.newMatchCount += found.length;
      report.newMatches.push(...found.slice(0, MAX_LISTED_NEW_MATCHES - report.newMatches.length));
    }
    announced += page.length;
    progress('bank_import_announce', announced, 'entries');
  }
  return report;
}
