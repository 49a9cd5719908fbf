/**
 * `unexpose scan PATH... [--bank NAME]... [--db PATH] [--out report.html] [--json summary.json]`: scans chat
 * exports, stores hashes and metadata (never images, texts or identifiers in clear), and writes the report.
 * Ctrl-C stops after the current batch with everything saved; the same command resumes. Exit 0 when the scan
 * finished (notices about bad input are printed and do not fail it), 3 when no input could be read at all.
 */
import { Command, Option } from 'commander';
import { renderReportHtml } from '../../core/report/render-report-html.js';
import type { ScanReport } from '../../core/scan/scan-report.js';
import { createHashPool } from '../../services/hash-media.js';
import { DEFAULT_DB_PATH, loadStoreKey, openStore, writePrivateFile } from '../../services/store.js';
import { PHOTO_PIPELINES, type PhotoPipeline } from '../../core/signals/pdq/photo-pipeline.js';
import { scanExports, ScanInterrupted, type ScanEvent } from '../../services/scan/scan-exports.js';
import { RECIPIENT_IDS } from '../../core/notices/recipients.js';
import { checkReappearances } from '../../services/notices/check-reappearance.js';
import { noticeSettingsFromEnv } from '../../services/notices/notice-deps.js';
import { createProgress } from '../progress.js';
import { EXIT_INTERRUPTED, EXIT_NO_INPUT, EXIT_OK } from '../exit-codes.js';

/** SQLite page cache of a scan in MiB (see openStore). */
const SCAN_CACHE_MB = 8;
import { printNote } from '../render/terminal-text.js';
import { writeLine } from '../render/output-format.js';
import { parsePositiveNumber } from '../parse-options.js';

interface ScanCliOptions {
  bank?: string[];
  db?: string;
  out?: string;
  json?: string;
  region: string;
  pipeline: PhotoPipeline;
  workers?: number;
  quiet?: boolean;
  timezone?: string;
}

/** The one-paragraph summary printed at the end. */
export function summaryParagraph(r: ScanReport): string {
  const s = r.summary;
  const period = r.run.firstMessage ? ` between ${r.run.firstMessage.slice(0, 10)} and ${r.run.lastMessage?.slice(0, 10)}` : '';
  return `Scanned ${r.chats.length} chat(s)${period}: ${s.messages.toLocaleString('en-GB')} messages `
    + `(${s.serviceMessages} service messages, ${s.forwards} forwards) from ${s.participants} senders, with ${s.photos} photos, `
    + `${s.videos} videos and ${s.otherMedia} other media (${s.mediaNotDownloaded} not downloaded in the export). `
    + `${r.run.mediaHashed} media files were hashed${r.run.mediaFailed ? ` and ${r.run.mediaFailed} could not be` : ''}; `
    + `${s.mediaClusters} picture(s) or video(s) were posted more than once, and ${s.bankMatches} matched a bank. `
    + `${s.phoneNumbers} distinct phone numbers and ${s.handles} social-media handles were spread. `
    + `This run added ${r.run.newMessages.toLocaleString('en-GB')} new messages.`;
}

/** True when not one message could be read from any input and the input was refused with an error. */
export function nothingRead(r: ScanReport): boolean {
  return r.summary.messages === 0 && r.notices.some((n) => n.level === 'error');
}

function mb(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(1);
}

async function runScan(paths: string[], o: ScanCliOptions): Promise<number> {
  // A small page cache: a scan appends, and the cache (filling as the store grows) would count in its memory.
  const store = await openStore({ dbPath: o.db, databaseUrl: process.env.DATABASE_URL, cacheMb: SCAN_CACHE_MB });
  const pool = createHashPool({ mode: 'threads', workers: o.workers });
  const abort = new AbortController();
  const onSigint = () => {
    if (abort.signal.aborted) process.exit(130);
    printNote('\nunexpose scan: stopping after the current batch (Ctrl-C again to quit at once)...');
    abort.abort();
  };
  process.on('SIGINT', onSigint);
  const progress = createProgress('MB', ' | {messages} messages | {media} media hashed');
  let noticeCount = 0;
  const onEvent = (e: ScanEvent) => {
    if (e.type === 'start') progress.start(Number(mb(e.totalBytes)), { messages: 0, media: 0 });
    else if (e.type === 'progress') progress.update(Number(mb(e.progress.done)), { messages: e.progress.counts?.messages ?? 0, media: e.progress.counts?.mediaHashed ?? 0 });
    else if (e.type === 'input') printNote(`unexpose scan: ${e.path}: ${e.source} (${e.files} message file(s))`);
    else if (e.type === 'notice') {
      noticeCount++;
      if (!o.quiet && noticeCount <= 50) printNote(`unexpose scan: ${e.notice.level}: ${e.notice.message}`);
      if (!o.quiet && noticeCount === 51) printNote('unexpose scan: more notices are in the report');
    }
  };
  try {
    const key = await loadStoreKey(store);
    const report = await scanExports({ ...store, key, pool }, paths, {
      banks: o.bank, identifiers: { defaultRegion: o.region.toUpperCase() }, hash: { pipeline: o.pipeline }, signal: abort.signal, timeZone: o.timezone,
    }, onEvent);
    progress.stop();
    // Reports are about people: readable by their owner only (0600), like the database.
    if (o.json) await writePrivateFile(o.json, `${JSON.stringify(report, null, 2)}\n`);
    if (o.out) await writePrivateFile(o.out, renderReportHtml(report));
    await writeLine(summaryParagraph(report));
    // Items whose notice was marked removed and that this scan found again get a follow-up notice drafted.
    const back = await checkReappearances({ db: store.db, settings: noticeSettingsFromEnv(process.env, {}, RECIPIENT_IDS) });
    for (const r of back) {
      printNote(`unexpose scan: REAPPEARED: ${r.reference} (to ${r.recipient}, removed ${r.removedAt ?? '?'}): ${r.posts.length} new post(s); follow-up notice ${r.followUpId ?? '-'} drafted`);
    }
    const written = [o.out && `report ${o.out}`, o.json && `JSON ${o.json}`].filter(Boolean).join(', ');
    if (written) printNote(`unexpose scan: wrote ${written}`);
    if (nothingRead(report)) {
      printNote('unexpose scan: no input could be read (see the errors above): nothing was scanned');
      return EXIT_NO_INPUT;
    }
    return EXIT_OK;
  } catch (err) {
    progress.stop();
    if (err instanceof ScanInterrupted) {
      printNote(`unexpose scan: ${err.message}`);
      return EXIT_INTERRUPTED;
    }
    throw err;
  } finally {
    process.off('SIGINT', onSigint);
    await pool.close();
    await store.close();
  }
}

/** Adds `scan` to the program. */
export function registerScanCommand(program: Command): void {
  program
    .command('scan')
    .description('scan Telegram/WhatsApp chat exports (folders or .zip): figures, re-posted media, identifiers, bank matches')
    .argument('<paths...>', 'export folders or .zip files')
    .option('--bank <name>', 'match against this bank (repeatable; default: every enabled bank)', (v: string, acc: string[] = []) => [...acc, v])
    .option('--db <path>', `SQLite file (default ${DEFAULT_DB_PATH}; PostgreSQL from DATABASE_URL when --db is not given)`)
    .option('--out <file>', 'write the HTML report here')
    .option('--json <file>', 'write the JSON summary here')
    .option('--region <code>', 'country for phone numbers written without +country (ISO code)', 'NL')
    .addOption(new Option('--pipeline <name>', 'photo hashing pipeline').choices(PHOTO_PIPELINES).default('fast'))
    .option('--workers <n>', 'worker threads (default: one per core)', parsePositiveNumber)
    .option('--timezone <zone>', 'IANA zone of the phone that wrote a WhatsApp chat (its times have none); default this machine\'s zone')
    .option('--quiet', 'do not print notices about the input (they are still in the report)')
    .action(async (paths: string[], o: ScanCliOptions) => {
      process.exitCode = await runScan(paths, o);
    });
}

