/**
 * `unexpose match [--bank NAME]... [--db PATH] [--format jsonl|csv|text] PATH_OR_HASH...`: looks up photos,
 * videos and hashes given as text (or one per line on standard input with `-`) in the banks, and prints each query
 * with all its matches. Exit 0 with or without matches, 1 when some query failed (the others are still printed).
 */
import { Command } from 'commander';
import { isFailedHash } from '../../core/content/media-hash.js';
import { querySignals } from '../../core/content/media-signals.js';
import { describeError } from '../../core/errors.js';
import { looksLikeHashText, signalsOfHashText } from '../../core/match/hash-text.js';
import type { QueryResult } from '../../core/match/match-result.js';
import { createHashPool, hashPaths, type HashPool } from '../../services/hash-media.js';
import { matchQueries, type MatchQuery } from '../../services/match/match-queries.js';
import { csvRow } from '../render/csv.js';
import { formatOption, resolveFormat, writeLine, type OutputFormat } from '../render/output-format.js';
import { EXIT_FAILED, EXIT_OK } from '../errors.js';
import { readLines, withStore } from './bank.js';

interface MatchCliOptions {
  bank?: string[];
  db?: string;
  format?: OutputFormat;
  dihedral?: boolean;
}

const CSV_HEADER = ['query', 'bank', 'signal_type', 'signal', 'distance', 'quality', 'source_ref', 'labels', 'note'];
/** Paths hashed together (in parallel on the pool) between hashes given as text. */
const PATHS_PER_RUN = 256;

/** The arguments, with "-" replaced by the lines of standard input. */
async function* expandArgs(args: string[]): AsyncGenerator<string> {
  for (const a of args) {
    if (a === '-') yield* readLines('-');
    else yield a;
  }
}

/**
 * Path expansion lives here, in the face: hashes written as text become signals; files and folders are walked
 * and hashed in memory by the pool, and only their signals go to the match service.
 */
async function* toQueries(args: string[], pool: HashPool, dihedral: boolean): AsyncGenerator<MatchQuery> {
  let paths: string[] = [];
  async function* flush(): AsyncGenerator<MatchQuery> {
    const run = paths;
    paths = [];
    if (run.length === 0) return;
    for await (const r of hashPaths(pool, run, { dihedral, robust: 'query' })) {
      yield isFailedHash(r) ? { label: r.path, error: r.error } : { label: r.path, signals: querySignals(r) };
    }
  }
  for await (const raw of expandArgs(args)) {
    const text = raw.trim();
    if (text === '') continue;
    if (looksLikeHashText(text)) {
      yield* flush();
      try {
        yield { label: text, signals: signalsOfHashText(text) };
      } catch (err) {
        yield { label: text, error: describeError(err) };
      }
    } else {
      paths.push(text);
      if (paths.length >= PATHS_PER_RUN) yield* flush();
    }
  }
  yield* flush();
}

function note(r: QueryResult): string {
  if (r.error) return `error: ${r.error}`;
  if (r.suppressedBy) return `suppressed by negative bank ${[...new Set(r.suppressedBy.map((s) => s.bank))].join(', ')}`;
  if (r.quarantined) return `quarantined (flood): ${r.quarantined.map((q) => `${q.bank}:${q.signal.slice(0, 16)}`).join(', ')}`;
  return '';
}

async function printResult(r: QueryResult, format: OutputFormat): Promise<void> {
  if (format === 'jsonl') return writeLine(JSON.stringify(r));
  if (format === 'csv') {
    if (r.matches.length === 0) return writeLine(csvRow([r.query, '', '', '', '', '', '', '', note(r)]));
    for (const m of r.matches) {
      await writeLine(csvRow([r.query, m.bank, m.signalType, m.display ?? m.signal, m.distance, m.quality, m.sourceRef, m.labels.join(';'), note(r)]));
    }
    return;
  }
  const n = note(r);
  await writeLine(`${r.query}: ${r.matches.length === 0 ? 'no match' : `${r.matches.length} match${r.matches.length === 1 ? '' : 'es'}`}${n ? `  (${n})` : ''}`);
  for (const m of r.matches) {
    const extra = [m.sourceRef ? `ref ${m.sourceRef}` : '', m.labels.length ? `labels ${m.labels.join(',')}` : ''].filter(Boolean).join('  ');
    const shown = m.display ?? (m.signal.length > 80 ? `${m.signal.slice(0, 77)}...` : m.signal);
    await writeLine(`  ${m.bank}  ${m.signalType} distance ${m.distance}  ${shown}${extra ? `  ${extra}` : ''}`);
  }
}

async function runMatch(inputs: string[], o: MatchCliOptions): Promise<number> {
  const format = resolveFormat(o.format);
  let failed = 0;
  const pool = createHashPool({ mode: 'threads' });
  try {
    await withStore(o, async (s) => {
      if (format === 'csv') await writeLine(csvRow(CSV_HEADER));
      // A one-off run: no flood verdict (a folder holding one picture fifty times is not a flood).
      const results = matchQueries({ banks: s.banks, indexLoad: { dbPath: s.dbPath, threads: 2 } }, toQueries(inputs, pool, Boolean(o.dihedral)), {
        banks: o.bank,
        onIndexLoaded: (i) => {
          if (process.stderr.isTTY) process.stderr.write(`index: ${i.entries} ${i.signalType} hashes, built in ${Math.round(i.ms)} ms\n`);
        },
      });
      for await (const r of results) {
        if (r.error) failed++;
        await printResult(r, format);
      }
    });
  } finally {
    await pool.close();
  }
  if (failed > 0) process.stderr.write(`unexpose match: ${failed} quer${failed === 1 ? 'y' : 'ies'} failed (see the error lines)\n`);
  return failed > 0 ? EXIT_FAILED : EXIT_OK;
}

/** Commander: a repeatable option collects its values. */
function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Adds `match` to the program; the action sets process.exitCode. */
export function registerMatchCommand(program: Command): void {
  program
    .command('match')
    .description('look up photos, videos and hashes in the banks; prints every query with all its matches')
    .argument('<inputs...>', 'files, folders, PDQ/SHA-256 (64 hex) or MD5 (32 hex) hashes, or type:value; - reads one per line from standard input')
    .option('--bank <name>', 'answer from this bank only; repeat for several (negative banks always apply)', collect, [])
    .option('--db <path>', 'SQLite file (default ./unexpose.db; PostgreSQL from DATABASE_URL when --db is not given)')
    .option('--dihedral', 'also match rotated and flipped forms of each photo')
    .addOption(formatOption())
    .action(async (inputs: string[], o: MatchCliOptions) => {
      process.exitCode = await runMatch(inputs, o);
    });
}
