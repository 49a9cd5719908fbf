/**
 * `unexpose match [--bank NAME]... [--db PATH] [--format jsonl|csv|text] PATH_OR_HASH...`: looks up photos,
 * videos and hashes given as text (or one per line on standard input with `-`) in the banks, and prints each query
 * with all its matches. Exit 0 with or without matches, 1 when some query failed (the others are still printed).
 */
import { Command } from 'commander';
import type { QueryResult } from '../../core/match/match-result.js';
import { matchQueries } from '../../services/match-queries.js';
import { csvRow } from '../render/csv.js';
import { formatOption, resolveFormat, writeLine, type OutputFormat } from '../render/output-format.js';
import { EXIT_FAILED, EXIT_OK } from '../errors.js';
import { readLines, withBankStore } from './bank.js';
import { printNote } from '../render/terminal-text.js';

interface MatchCliOptions {
  bank?: string[];
  db?: string;
  format?: OutputFormat;
  dihedral?: boolean;
}

const CSV_HEADER = ['query', 'bank', 'signal_type', 'signal', 'distance', 'quality', 'source_ref', 'labels', 'note'];

/** The arguments, with "-" replaced by the lines of standard input. */
async function* expandInputs(args: string[]): AsyncGenerator<string> {
  for (const a of args) {
    if (a === '-') yield* readLines('-');
    else yield a;
  }
}

function note(r: QueryResult): string {
  if (r.error) return `error: ${r.error}`;
  if (r.suppressed_by) return `suppressed by negative bank ${[...new Set(r.suppressed_by.map((s) => s.bank))].join(', ')}`;
  if (r.quarantined) return `quarantined (flood): ${r.quarantined.map((q) => `${q.bank}:${q.signal.slice(0, 16)}`).join(', ')}`;
  return '';
}

async function printResult(r: QueryResult, format: OutputFormat): Promise<void> {
  if (format === 'jsonl') return writeLine(JSON.stringify(r));
  if (format === 'csv') {
    if (r.matches.length === 0) return writeLine(csvRow([r.query, '', '', '', '', '', '', '', note(r)]));
    for (const m of r.matches) {
      await writeLine(csvRow([r.query, m.bank, m.signal_type, m.signal, m.distance, m.quality, m.source_ref, m.labels.join(';'), note(r)]));
    }
    return;
  }
  const n = note(r);
  await writeLine(`${r.query}: ${r.matches.length === 0 ? 'no match' : `${r.matches.length} match${r.matches.length === 1 ? '' : 'es'}`}${n ? `  (${n})` : ''}`);
  for (const m of r.matches) {
    const extra = [m.source_ref ? `ref ${m.source_ref}` : '', m.labels.length ? `labels ${m.labels.join(',')}` : ''].filter(Boolean).join('  ');
    await writeLine(`  ${m.bank}  ${m.signal_type} distance ${m.distance}  ${m.signal.length > 80 ? `${m.signal.slice(0, 77)}...` : m.signal}${extra ? `  ${extra}` : ''}`);
  }
}

async function runMatch(inputs: string[], o: MatchCliOptions): Promise<number> {
  const format = resolveFormat(o.format);
  let failed = 0;
  await withBankStore(o, async (s) => {
    if (format === 'csv') await writeLine(csvRow(CSV_HEADER));
    const results = matchQueries({ repo: s.repo, dbPath: s.dbPath }, expandInputs(inputs), {
      banks: o.bank,
      dihedral: o.dihedral,
      onIndexLoaded: (i) => {
        if (process.stderr.isTTY) printNote(`index: ${i.entries} PDQ hashes, built in ${Math.round(i.ms)} ms`);
      },
    });
    for await (const r of results) {
      if (r.error) failed++;
      await printResult(r, format);
    }
  });
  if (failed > 0) printNote(`unexpose match: ${failed} quer${failed === 1 ? 'y' : 'ies'} failed (see the error lines)`);
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
    .argument('<inputs...>', 'files, folders, PDQ/SHA-256 (64 hex) or MD5 (32 hex) hashes; - reads one per line from standard input')
    .option('--bank <name>', 'answer from this bank only; repeat for several (negative banks always apply)', collect, [])
    .option('--db <path>', 'SQLite file (default ./unexpose.db; PostgreSQL from DATABASE_URL when --db is not given)')
    .option('--dihedral', 'also match rotated and flipped forms of each photo')
    .addOption(formatOption())
    .action(async (inputs: string[], o: MatchCliOptions) => {
      process.exitCode = await runMatch(inputs, o);
    });
}
