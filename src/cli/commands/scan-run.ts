/**
 * The work of `unexpose scan`, in whichever thread runs it (the command runs it in a worker thread, see
 * scan-worker.ts): opens the store and the hashing pool, scans, writes the report files and returns the exit code.
 * It prints nothing itself: notes, the summary line and the scan's events go to `out`, which the command's own
 * thread prints, so that output keeps its order and the progress bar stays on the thread that draws it.
 */
import { renderReportHtml } from '../../core/report/render-report-html.js';
import { createHashPool } from '../../services/hash-media.js';
import { loadStoreKey, openStore, writePrivateFile } from '../../services/store.js';
import type { PhotoPipeline } from '../../core/signals/pdq/photo-pipeline.js';
import { scanExports, ScanInterrupted, type ScanEvent } from '../../services/scan/scan-exports.js';
import { RECIPIENT_IDS } from '../../core/notices/recipients.js';
import { checkReappearances } from '../../services/notices/check-reappearance.js';
import { noticeSettingsFromEnv } from '../../services/notices/notice-deps.js';
import { EXIT_INTERRUPTED, EXIT_NO_INPUT, EXIT_OK } from '../exit-codes.js';
import { nothingRead, summaryParagraph } from './scan-summary.js';

/** SQLite page cache of a scan in MiB (see openStore). */
const SCAN_CACHE_MB = 8;

export interface ScanCliOptions {
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

/** Where a scan's output goes: a note for stderr, a line for stdout, and the scan's events (progress, notices, phases). */
export interface ScanOutput {
  note(text: string): void;
  line(text: string): void;
  event(e: ScanEvent | { type: 'phase'; phase: 'report' | 'reappearances' | 'close' }): void;
}

/** Scans the paths into the store; `signal` stops it after the current batch (saved; the same command resumes). */
export async function runScan(paths: string[], o: ScanCliOptions, signal: AbortSignal, out: ScanOutput): Promise<number> {
  // A small page cache: a scan appends, and the cache (filling as the store grows) would count in its memory.
  const store = await openStore({ dbPath: o.db, databaseUrl: process.env.DATABASE_URL, cacheMb: SCAN_CACHE_MB });
  const pool = createHashPool({ mode: 'threads', workers: o.workers });
  try {
    const key = await loadStoreKey(store);
    const report = await scanExports({ ...store, key, pool }, paths, {
      banks: o.bank, identifiers: { defaultRegion: o.region.toUpperCase() }, hash: { pipeline: o.pipeline }, signal, timeZone: o.timezone,
    }, (e) => out.event(e));
    out.event({ type: 'phase', phase: 'report' });
    // Reports are about people: readable by their owner only (0600), like the database.
    if (o.json) await writePrivateFile(o.json, `${JSON.stringify(report, null, 2)}\n`);
    if (o.out) await writePrivateFile(o.out, renderReportHtml(report));
    out.line(summaryParagraph(report));
    // Items whose notice was marked removed and that this scan found again get a follow-up notice drafted.
    out.event({ type: 'phase', phase: 'reappearances' });
    const back = await checkReappearances({ db: store.db, settings: noticeSettingsFromEnv(process.env, {}, RECIPIENT_IDS) });
    for (const r of back) {
      out.note(`unexpose scan: REAPPEARED: ${r.reference} (to ${r.recipient}, removed ${r.removedAt ?? '?'}): ${r.posts.length} new post(s); follow-up notice ${r.followUpId ?? '-'} drafted`);
    }
    const written = [o.out && `report ${o.out}`, o.json && `JSON ${o.json}`].filter(Boolean).join(', ');
    if (written) out.note(`unexpose scan: wrote ${written}`);
    if (nothingRead(report)) {
      out.note('unexpose scan: no input could be read (see the errors above): nothing was scanned');
      return EXIT_NO_INPUT;
    }
    return EXIT_OK;
  } catch (err) {
    if (err instanceof ScanInterrupted) {
      out.note(`unexpose scan: ${err.message}`);
      return EXIT_INTERRUPTED;
    }
    throw err;
  } finally {
    out.event({ type: 'phase', phase: 'close' });
    await pool.close();
    await store.close();
  }
}
