/**
 * `unexpose bank create|list|show|import|add-identifier|export|remove|withdraw|release`: banks of known hashes
 * and identifiers in the store
 * (--db PATH, default ./unexpose.db, or PostgreSQL from DATABASE_URL when no --db is given).
 * Exit 0 on success (an import with skipped bad lines too: they are reported), 1 on errors, 2 on bad usage.
 */
import { readLines } from '../read-lines.js';
import { Command, Option } from 'commander';
import { BANK_FILE_FORMATS, type BankFileFormat } from '../../core/banks/bank-file-format.js';
import { platformOf } from '../../core/identifiers/parse-identifier.js';
import type { MatchReport } from '../../core/scan/scan-report.js';
import { signalTypes } from '../../core/signals/registry.js';
import { UnexposeError } from '../../core/errors.js';
import { RECIPIENT_IDS } from '../../core/notices/recipients.js';
import { exportBank } from '../../services/bank-export.js';
import { checkReappearances } from '../../services/notices/check-reappearance.js';
import { noticeSettingsFromEnv } from '../../services/notices/notice-deps.js';
import { addIdentifier, removeIdentifier } from '../../services/bank-identifier.js';
import { importBank, type ImportDeps, type ImportReport } from '../../services/bank-import.js';
import { createBank, listBanks, releaseEntry, removeFromBank, showBank, withdrawBank, type BankSummary } from '../../services/bank-manage.js';
import { loadStoreKey, openStore, type Store } from '../../services/store.js';
import { csvRow } from '../render/csv.js';
import { printNote } from '../render/terminal-text.js';
import { formatOption, resolveFormat, writeLine, writeVerbatimLine, type OutputFormat } from '../render/output-format.js';
import { parseNonNegativeInt } from '../parse-options.js';
import { EXIT_OK } from '../errors.js';

interface DbOption {
  db?: string;
}

/** Opens the store, runs fn, closes the store. */
export async function withStore<T>(o: DbOption, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore({ dbPath: o.db, databaseUrl: process.env.DATABASE_URL });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** Bank services get the bank repository, the scan store so that new entries are retro-matched, and the outbox. */
const deps = (s: Store): ImportDeps => ({ banks: s.banks, stored: s.stored, matches: s.matches, notices: s.notices });
const dbOption = () => new Option('--db <path>', 'SQLite file (default ./unexpose.db; PostgreSQL from DATABASE_URL when --db is not given)');

export { readLines } from '../read-lines.js';

/** A retro-match can bring back an item whose notice was marked removed: flag it and draft the follow-up. */
async function reportReappearances(s: Store): Promise<void> {
  for (const r of await checkReappearances({ db: s.db, settings: noticeSettingsFromEnv(process.env, {}, RECIPIENT_IDS) })) {
    printNote(`unexpose bank: REAPPEARED: ${r.reference} (to ${r.recipient}, removed ${r.removedAt ?? '?'}): ${r.posts.length} new post(s); follow-up notice ${r.followUpId ?? '-'} drafted`);
  }
}


const SUMMARY_CSV = ['name', 'source', 'enabled', 'negative', 'thresholds', 'min_quality', 'labels', 'entries', 'quarantined', 'description'];

/** Every type's threshold in this bank (its own, or the type's default), as "pdq 31, vpdq 20". */
function thresholdText(b: BankSummary, sep = ', ', eq = ' '): string {
  return signalTypes.all().filter((t) => t.maxThreshold > 0).map((t) => `${t.name}${eq}${b.thresholds[t.name] ?? t.defaultThreshold}`).join(sep);
}

/** Public JSON is camelCase (see README, "Output"). */
function summaryJson(b: BankSummary): Record<string, unknown> {
  return {
    name: b.name, description: b.description, source: b.source, enabled: b.enabled, negative: b.negative,
    thresholds: Object.fromEntries(signalTypes.all().filter((t) => t.maxThreshold > 0).map((t) => [t.name, b.thresholds[t.name] ?? t.defaultThreshold])),
    minQuality: b.minQuality, labels: b.labels, createdAt: b.createdAt, entries: b.entries, total: b.total, quarantined: b.quarantined,
  };
}

async function printSummaries(banks: BankSummary[], format: OutputFormat): Promise<void> {
  if (format === 'csv') await writeLine(csvRow(SUMMARY_CSV));
  for (const b of banks) {
    if (format === 'jsonl') await writeLine(JSON.stringify(summaryJson(b)));
    else if (format === 'csv') {
      await writeLine(csvRow([b.name, b.source, b.enabled, b.negative, thresholdText(b, ';', '='), b.minQuality, b.labels.join(';'), b.total, b.quarantined, b.description]));
    } else {
      const counts = Object.entries(b.entries).map(([t, n]) => `${n} ${t}`).join(', ') || 'empty';
      const flags = [b.negative ? 'NEGATIVE' : '', b.enabled ? '' : 'disabled', b.quarantined ? `${b.quarantined} quarantined` : ''].filter(Boolean).join(', ');
      await writeLine(`${b.name}  (${b.source}; threshold ${thresholdText(b)}, min quality ${b.minQuality}${flags ? `; ${flags}` : ''})  ${counts}`);
      if (b.description) await writeLine(`  ${b.description}`);
      if (b.labels.length) await writeLine(`  labels: ${b.labels.join(', ')}`);
    }
  }
}

async function printImport(r: ImportReport, format: OutputFormat): Promise<void> {
  if (format === 'jsonl') {
    await writeLine(JSON.stringify(r));
  } else if (format === 'csv') {
    await writeLine(csvRow(['line', 'reason']));
    for (const b of r.badLines) await writeLine(csvRow([b.line, b.reason]));
  } else {
    for (const b of r.badLines) await writeLine(`line ${b.line}: skipped: ${b.reason}`);
    await printNewMatches(r.newMatches);
  }
  const listed = r.badLines.length < r.skipped ? ` (first ${r.badLines.length} listed)` : '';
  printNote(`${r.bank}: added ${r.added}, already in the bank ${r.duplicates}, skipped ${r.skipped} bad line(s)${listed}; `
    + `${r.newMatchCount} new match(es) in earlier scans`);
}

/** Retro-matches as text lines: where the new entry was found in earlier scans. */
async function printNewMatches(matches: MatchReport[]): Promise<void> {
  for (const m of matches) {
    const what = m.kind === 'identifier' ? `${m.signalType} ${m.identifier ?? ''}` : `${m.mediaClass ?? 'media'} (${m.signalType}, distance ${m.distance})`;
    await writeLine(`found in earlier scan: ${m.chat} #${m.messageId}${m.link ? ` ${m.link}` : ''}  ${what}  bank ${m.bank}`);
  }
}

interface CreateOptions extends DbOption {
  description?: string;
  source?: string;
  threshold?: number;
  signalThreshold?: string[];
  minQuality?: number;
  label?: string[];
  negative?: boolean;
  disabled?: boolean;
  format?: OutputFormat;
}

/** The identifier of add-/remove-identifier: one argument, or --handle platform:name, or --phone. */
function identifierArgs(identifier: string | undefined, o: { handle?: string; phone?: string; region: string }) {
  const given = [identifier, o.handle, o.phone].filter((x) => x !== undefined);
  if (given.length !== 1) throw new UnexposeError('usage', 'give one identifier: as an argument, or with --handle or --phone');
  const handle = o.handle === undefined ? undefined : /^([A-Za-z]+):(.+)$/.exec(o.handle);
  if (o.handle !== undefined && !(handle && platformOf(handle[1]))) throw new UnexposeError('usage', '--handle needs platform:name (instagram, snapchat or tiktok)');
  return {
    text: handle ? handle[2] : given[0]!,
    opts: {
      kind: handle ? ('handle' as const) : o.phone !== undefined ? ('phone' as const) : undefined,
      platform: handle ? platformOf(handle[1]) : undefined, region: o.region.toUpperCase(),
    },
  };
}

/** --threshold (PDQ) and --signal-threshold type=n as a thresholds object. */
function parseThresholds(pdq: number | undefined, more: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  if (pdq !== undefined) out.pdq = pdq;
  for (const m of more) {
    const kv = /^([a-z][a-z0-9_]*)=(\d+)$/.exec(m.trim());
    if (!kv) throw new UnexposeError('usage', `--signal-threshold needs type=n, got "${m}"`);
    out[kv[1]] = Number(kv[2]);
  }
  return out;
}

/** Adds `bank` and its subcommands to the program; actions set process.exitCode. */
export function registerBankCommand(program: Command): void {
  const bank = program.command('bank').description('banks of known hashes and identifiers: create, list, show, import, add-identifier, remove-identifier, export, remove, withdraw, release');

  bank.command('create').description('create a bank').argument('<name>', 'bank name (letters, digits, _ . : -)')
    .option('--description <text>', 'what the bank holds').option('--source <text>', 'where the hashes come from, e.g. case:2026-0012, stopncii, manual')
    .option('--threshold <n>', 'PDQ distance threshold, 0..63 (default 31)', parseNonNegativeInt)
    .option('--signal-threshold <type=n>', `threshold of another signal type, e.g. vpdq=20 (types: ${signalTypes.all().filter((t) => t.maxThreshold > 0).map((t) => t.name).join(', ')}); repeatable`,
      (v: string, prev: string[]) => [...prev, v], [])
    .option('--min-quality <n>', 'minimum PDQ quality of a query photo, 0..100 (default 50)', parseNonNegativeInt)
    .option('--label <label>', 'a label carried by every match from this bank; repeat for several', (v: string, prev: string[]) => [...prev, v], [])
    .option('--negative', 'a negative bank: known false positives that must never produce a match')
    .option('--disabled', 'create the bank switched off').addOption(dbOption()).addOption(formatOption())
    .action(async (name: string, o: CreateOptions) => {
      await withStore(o, async (s) => {
        const b = await createBank(deps(s), name, {
          description: o.description, source: o.source, thresholds: parseThresholds(o.threshold, o.signalThreshold ?? []), minQuality: o.minQuality,
          labels: o.label, negative: o.negative, enabled: o.disabled ? false : undefined,
        });
        await printSummaries([{ ...b, entries: {}, total: 0, quarantined: 0 }], resolveFormat(o.format));
      });
      process.exitCode = EXIT_OK;
    });

  bank.command('list').description('list the banks with their entry counts').addOption(dbOption()).addOption(formatOption())
    .action(async (o: DbOption & { format?: OutputFormat }) => {
      await withStore(o, async (s) => printSummaries(await listBanks(deps(s)), resolveFormat(o.format)));
    });

  bank.command('show').description('show one bank').argument('<name>').addOption(dbOption()).addOption(formatOption())
    .action(async (name: string, o: DbOption & { format?: OutputFormat }) => {
      await withStore(o, async (s) => printSummaries([await showBank(deps(s), name)], resolveFormat(o.format)));
    });

  bank.command('import').description('import hashes: one per line, CSV (signal_type,signal,quality,labels,source_ref) or JSON lines')
    .argument('<name>').argument('<file>', 'file to import, or - for standard input')
    .addOption(new Option('--file-format <format>', 'file format (default: from the first line)').choices(['auto', ...BANK_FILE_FORMATS]).default('auto'))
    .addOption(new Option('--signal-type <type>', 'type of bare hashes in a one-per-line file (default pdq; 32 hex digits: md5)').choices(signalTypes.names()))
    .option('--added-by <who>', 'recorded with each entry', process.env.USER ?? 'import')
    .addOption(dbOption()).addOption(formatOption())
    .action(async (name: string, file: string, o: DbOption & { fileFormat: BankFileFormat | 'auto'; signalType?: string; addedBy: string; format?: OutputFormat }) => {
      await withStore(o, async (s) => {
        const report = await importBank(deps(s), name, readLines(file), { format: o.fileFormat, signalType: o.signalType, addedBy: o.addedBy });
        await printImport(report, resolveFormat(o.format));
        await reportReappearances(s);
      });
    });

  bank.command('add-identifier').description('add a phone number or handle (stored only as its keyed hash and redacted form); reports where earlier scans found it')
    .argument('<name>').argument('[identifier]', 'a phone number ("+31 6 12345678") or platform:name ("instagram:jane.doe")')
    .option('--handle <platform:name>', 'a handle: instagram, snapchat or tiktok, then the name')
    .option('--phone <number>', 'a phone number')
    .option('--region <code>', 'country for numbers written without +country (ISO code)', 'NL')
    .option('--label <label>', 'a label carried by matches of this entry; repeat for several', (v: string, prev: string[]) => [...prev, v], [])
    .option('--source-ref <ref>', 'where the entry comes from, e.g. the case number')
    .option('--added-by <who>', 'recorded with the entry', process.env.USER ?? 'add-identifier')
    .addOption(dbOption()).addOption(formatOption())
    .action(async (name: string, identifier: string | undefined, o: DbOption & { handle?: string; phone?: string; region: string; label: string[];
      sourceRef?: string; addedBy: string; format?: OutputFormat }) => {
      const id = identifierArgs(identifier, o);
      await withStore(o, async (s) => {
        const r = await addIdentifier({ ...deps(s), key: await loadStoreKey(s) }, name, id.text, {
          ...id.opts, labels: o.label, sourceRef: o.sourceRef, addedBy: o.addedBy,
        });
        await reportReappearances(s);
        const format = resolveFormat(o.format);
        if (format === 'jsonl') await writeLine(JSON.stringify(r));
        else if (format === 'csv') {
          await writeLine(csvRow(['bank', 'signal_type', 'identifier', 'added', 'new_matches']));
          await writeLine(csvRow([r.bank, r.signalType, r.display, r.added, r.newMatches.length]));
        } else {
          await writeLine(`${r.bank}: ${r.added ? 'added' : 'already held'} ${r.signalType} ${r.display} (stored as a keyed hash)`);
          await printNewMatches(r.newMatches);
        }
        printNote(`${r.bank}: ${r.newMatches.length} new match(es) in earlier scans`);
      });
    });

  bank.command('remove-identifier').description('delete a phone number or handle from a bank, for real, with its matches')
    .argument('<name>').argument('[identifier]', 'as written to add-identifier')
    .option('--handle <platform:name>', 'a handle').option('--phone <number>', 'a phone number')
    .option('--region <code>', 'country for numbers written without +country (ISO code)', 'NL')
    .addOption(dbOption()).addOption(formatOption())
    .action(async (name: string, identifier: string | undefined, o: DbOption & { handle?: string; phone?: string; region: string; format?: OutputFormat }) => {
      const id = identifierArgs(identifier, o);
      await withStore(o, async (s) => {
        const removed = await removeIdentifier({ banks: s.banks, notices: s.notices, key: await loadStoreKey(s) }, name, id.text, id.opts);
        if (resolveFormat(o.format) === 'jsonl') await writeLine(JSON.stringify({ bank: name, removed: removed.length }));
        else await writeLine(`${name}: removed ${removed.length} entr${removed.length === 1 ? 'y' : 'ies'}`);
      });
    });

  bank.command('export').description('export a bank to standard output').argument('<name>')
    .addOption(new Option('--format <format>', 'csv and jsonl keep every field; hashes only the values').choices(BANK_FILE_FORMATS).default('csv'))
    .addOption(dbOption())
    .action(async (name: string, o: DbOption & { format: BankFileFormat }) => {
      await withStore(o, async (s) => {
        // An exchange format for programs: written verbatim (README), not neutralised like the CSV meant for people.
        for await (const line of exportBank(deps(s), name, o.format)) await writeVerbatimLine(line);
      });
    });

  bank.command('remove').description('delete a value from a bank, for real').argument('<name>').argument('<signal>', 'the hash (or vPDQ JSON) to delete')
    .addOption(new Option('--signal-type <type>', 'only entries of this type').choices(signalTypes.names())).addOption(dbOption()).addOption(formatOption())
    .action(async (name: string, signal: string, o: DbOption & { signalType?: string; format?: OutputFormat }) => {
      await withStore(o, async (s) => {
        const removed = await removeFromBank(deps(s), name, signal, o.signalType);
        const format = resolveFormat(o.format);
        if (format === 'jsonl') await writeLine(JSON.stringify({ bank: name, removed: removed.length, signalTypes: removed.map((r) => r.signalType) }));
        else if (format === 'csv') await writeLine(csvRow(['bank', 'removed'])), await writeLine(csvRow([name, removed.length]));
        else await writeLine(removed.length ? `${name}: removed ${removed.length} entr${removed.length === 1 ? 'y' : 'ies'}` : `${name}: no such value in the bank; nothing removed`);
      });
    });

  bank.command('withdraw').description('delete a bank and every entry in it, for real').argument('<name>').addOption(dbOption()).addOption(formatOption())
    .action(async (name: string, o: DbOption & { format?: OutputFormat }) => {
      await withStore(o, async (s) => {
        const r = await withdrawBank(deps(s), name);
        const format = resolveFormat(o.format);
        if (format === 'jsonl') await writeLine(JSON.stringify(r));
        else if (format === 'csv') await writeLine(csvRow(['bank', 'removed'])), await writeLine(csvRow([r.bank, r.removed]));
        else await writeLine(`${r.bank}: withdrawn; ${r.removed} entr${r.removed === 1 ? 'y' : 'ies'} deleted`);
      });
    });

  bank.command('release').description('let a quarantined entry match again').argument('<name>').argument('<signal>').addOption(dbOption())
    .action(async (name: string, signal: string, o: DbOption) => {
      await withStore(o, async (s) => {
        const n = await releaseEntry(deps(s), name, signal);
        await writeLine(`${name}: released ${n} quarantined entr${n === 1 ? 'y' : 'ies'}`);
      });
    });
}
