/**
 * `unexpose scan PATH... [--bank NAME]... [--db PATH] [--out report.html] [--json summary.json]`: scans chat
 * exports, stores hashes and metadata (never images, texts or identifiers in clear), and writes the report.
 * Ctrl-C stops after the current batch with everything saved; the same command resumes. Exit 0 when the scan
 * finished (notices about bad input are printed and do not fail it), 3 when no input could be read at all.
 */
import { channel } from 'node:diagnostics_channel';
import { Worker } from 'node:worker_threads';
import { Command, Option } from 'commander';
import { PHOTO_PIPELINES } from '../../core/signals/pdq/photo-pipeline.js';
import { DEFAULT_DB_PATH } from '../../services/default-db-path.js';
import { createProgress } from '../progress.js';
import { EXIT_INTERRUPTED } from '../exit-codes.js';
import { printNote } from '../render/terminal-text.js';
import { writeLine } from '../render/output-format.js';
import { parsePositiveNumber } from '../parse-options.js';
import { errorFromWorker, type ScanWorkerMessage } from './scan-messages.js';
import type { ScanCliOptions } from './scan-run.js';

export { nothingRead, summaryParagraph } from './scan-summary.js';

/**
 * V8 heap bounds of the scan's worker thread, in MiB. V8 lets an old generation grow to a multiple of its live data
 * before collecting it, and the multiple shrinks with the limit: a month of 200,000 messages peaked at 268 MB with
 * the default limit (GBs) and 214-222 MB under 256 or 1024 MiB (bench:scan --trace). The scan's live heap stays far
 * below (a report's bank matches are what could grow it: the limit leaves room for about a million); a young generation
 * this small costs no measurable CPU.
 */
export const SCAN_OLD_GENERATION_MB = 1024;
export const SCAN_YOUNG_GENERATION_MB = 8;

/** Where the scan is (batches, clusters, figures, report...), for a benchmark's memory trace; no cost unheard. */
const scanPhase = channel('unexpose:scan-phase');

function mb(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(1);
}

/**
 * Runs the scan in a worker thread with a bounded heap (see SCAN_OLD_GENERATION_MB) and prints what it posts:
 * this thread keeps only the command line, the progress bar and Ctrl-C.
 */
async function runScan(paths: string[], o: ScanCliOptions): Promise<number> {
  const worker = new Worker(new URL('./scan-worker.js', import.meta.url), {
    workerData: { paths, options: o },
    resourceLimits: { maxOldGenerationSizeMb: SCAN_OLD_GENERATION_MB, maxYoungGenerationSizeMb: SCAN_YOUNG_GENERATION_MB },
  });
  let stopping = false;
  const onSigint = () => {
    if (stopping) process.exit(EXIT_INTERRUPTED);
    stopping = true;
    printNote('\nunexpose scan: stopping after the current batch (Ctrl-C again to quit at once)...');
    worker.postMessage({ type: 'abort' });
  };
  process.on('SIGINT', onSigint);
  const progress = createProgress('MB', ' | {messages} messages | {media} media hashed');
  let noticeCount = 0;
  let lines = Promise.resolve();
  const onMessage = (m: ScanWorkerMessage) => {
    if (m.type === 'note') {
      progress.stop();
      printNote(m.text);
    } else if (m.type === 'line') {
      progress.stop();
      lines = lines.then(() => writeLine(m.text));
    } else if (m.type === 'event') {
      const e = m.event;
      if ((e.type === 'start' || e.type === 'phase') && scanPhase.hasSubscribers) scanPhase.publish({ phase: e.type === 'start' ? 'batches' : e.phase });
      if (e.type === 'start') progress.start(Number(mb(e.totalBytes)), { messages: 0, media: 0 });
      else if (e.type === 'progress') progress.update(Number(mb(e.progress.done)), { messages: e.progress.counts?.messages ?? 0, media: e.progress.counts?.mediaHashed ?? 0 });
      else if (e.type === 'phase') progress.stop();
      else if (e.type === 'input') printNote(`unexpose scan: ${e.path}: ${e.source} (${e.files} message file(s))`);
      else if (e.type === 'notice') {
        noticeCount++;
        if (!o.quiet && noticeCount <= 50) printNote(`unexpose scan: ${e.notice.level}: ${e.notice.message}`);
        if (!o.quiet && noticeCount === 51) printNote('unexpose scan: more notices are in the report');
      }
    }
  };
  try {
    const outcome = await new Promise<ScanWorkerMessage>((resolve, reject) => {
      let last: ScanWorkerMessage | undefined;
      worker.on('message', (m: ScanWorkerMessage) => {
        if (m.type === 'done' || m.type === 'error') last = m;
        else onMessage(m);
      });
      worker.on('error', reject);
      // Messages posted before the thread ended arrive before 'exit'.
      worker.on('exit', (code) => (last ? resolve(last) : reject(new Error(`the scan's worker thread ended (exit code ${code}) without a result`))));
    });
    await lines;
    if (outcome.type === 'error') throw errorFromWorker(outcome);
    if (outcome.type !== 'done') throw new Error('unexpected scan outcome');
    return outcome.code;
  } finally {
    progress.stop();
    process.off('SIGINT', onSigint);
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

