/**
 * npm run bench:scan — a month of a large expose chat, generated in code (never committed): 200,000 messages,
 * 3,718 downloaded photos (some re-posted), 2,463 videos as not-downloaded placeholders, 137 phone numbers written
 * in mixed ways. Measures the whole `unexpose scan` command (2 cores): wall time, CPU and peak memory, beside the
 * goals of issue #11 and the load average. Generation time is not counted.
 *  - `--months 1,10`: one scan command over that many months at once (default 1);
 *  - `--series 10`: that many months scanned one after another into ONE store (a newsroom scanning each month as
 *    it comes), peak RSS of each scan: memory must not grow with the store (default 10; 0 skips it);
 *  - `--scale 0.25`: months of a quarter the size (messages, photos, videos), when a full series takes too long;
 *  - `--engines js,wasm`: PDQ engines to compare on the same generated data;
 *  - `--cache /tmp/unexpose-bench-scan-months`: generated months are kept there between runs (synthetic data only,
 *    ~60 s a full month to generate), keyed by scale, month and a digest of the generator's source; `--cache none`
 *    generates into a temporary folder and deletes it; `--prepare` only generates the months the run would need;
 *  - `--store FILE --start 10`: the series scans into this SQLite file (kept; its key file sits beside it) from month
 *    10 on — a copy of a store after nine months measures the tenth without scanning the nine again;
 *  - `--cli PATH`: the built command to measure (default this tree's dist/cli/main.js), e.g. another worktree's for a
 *    before/after on the same generated months;
 *  - `--trace`: each scan also reports, per phase (batches, clusters, figures, report...), the largest rss, V8 heap,
 *    external and arrayBuffers of its main thread, the V8 heaps of its worker threads (summed) and VmRSS/RssAnon/RssFile (bench/support/memory-trace.mjs).
 * Usage: npm run bench:scan [-- --months 1] [--series 10] [--scale 1] [--engines wasm] [--cache DIR] [--prepare]
 *        [--store FILE] [--start N] [--trace] [--cli PATH]
 *
 * Measured 2026-11-30 (2 cores shared with other work, load average 12-26 throughout, so wall and CPU times are
 * inflated; peaks are what counts), full months, one store, `--series 10 --trace`:
 *   before (scan on the command's main thread; --cli of main at 17e4276): months 1-5 peaked at 293, 298, 290, 295,
 *     269 MB (an earlier month 1 at load 10: 328 MB, 112 MB of V8 heap in the cluster pass); quiet, the session
 *     before measured 288 for a month and 308, 321, 306, 305, 312 for months 1-5 of a series.
 *   after (the scan in a worker thread with a bounded heap, old generation 256 MiB): months 1-10 peaked at 222,
 *     222, 229, 225, 219, 207, 209, 216, 224, 218 MB (store 46 -> 462 MB); RssFile (node, sharp/libvips, SQLite
 *     code) is a steady 62 MB of that; the command's own thread holds an 11 MB heap, the worker threads 58-64 MB.
 *   the same month 1 with the worker's old generation unbounded: 268 MB; bounded to 1024 MiB (the committed value):
 *     220 MB, and month 10 onto the nine-month store: 222 MB (218 under 256).
 *   hashing workers: `--workers 1` instead of 2 on a tenth of a month: 176 vs 207 MB peak (one libvips worker ~30 MB).
 *   not memory: the cluster pass took 22, 12, 15, 34, 68, 110, 56, 55, 97, 110 s of months 1-10 (under that load):
 *     its random 16-bit band hits grow with the store.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateTelegramExport } from '../test/fixtures/telegram/generate-telegram-export.js';
// @ts-expect-error: a plain .mjs helper shared with the other benchmarks
import { runMeasured } from './support/run-measured.mjs';

const root = resolve(import.meta.dirname, '..');
const opt = (name: string, dflt: string) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1] : dflt; };
/** The command measured: this tree's build, or another's (`--cli ../main/dist/cli/main.js`, a before/after on the same months). */
const cli = resolve(opt('cli', join(root, 'dist/cli/main.js')));
const monthsList = opt('months', '1').split(',').map(Number).filter((n) => n > 0);
const series = Number(opt('series', '10'));
const scale = Number(opt('scale', '1'));
const engineList: (string | undefined)[] = process.argv.includes('--engines') ? opt('engines', '').split(',') : [undefined];
const FULL = { messages: 200_000, photos: 3718, videos: 2463 };
const MONTH = {
  messages: Math.round(FULL.messages * scale), photos: Math.round(FULL.photos * scale), videos: Math.round(FULL.videos * scale),
  phoneNumbers: 137, chats: 4, days: 30,
};
const GOAL_MONTH_MB = 300;
const GOAL_TEN_MB = 330;
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
const scaleNote = scale === 1 ? 'full months' : `months scaled x${scale} (${MONTH.messages} messages, ${MONTH.photos} photos)`;

const tmp = mkdtempSync(join(tmpdir(), 'unexpose-bench-scan-'));
const cacheOpt = opt('cache', join(tmpdir(), 'unexpose-bench-scan-months'));
const cache = cacheOpt === 'none' ? undefined : resolve(cacheOpt);
const prepare = process.argv.includes('--prepare');
const trace = process.argv.includes('--trace');
const start = Math.max(1, Number(opt('start', '1')));
const storeOpt = opt('store', '');
const traceFile = join(tmp, 'memory-trace.json');
/** The environment of a measured scan: the memory trace preloaded when asked for. */
const scanEnv = (extra: Record<string, string> = {}): Record<string, string> => (trace
  ? { ...extra, UNEXPOSE_MEMORY_TRACE: traceFile, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${pathToFileURL(join(root, 'bench/support/memory-trace.mjs')).href}`.trim() }
  : extra);
/** Prints the trace of the last scan, one line per phase (MB). */
function printTrace(): void {
  if (!trace || !existsSync(traceFile)) return;
  const rows = JSON.parse(readFileSync(traceFile, 'utf8')) as Record<string, number | string>[];
  const cols = ['VmRSS', 'RssAnon', 'RssFile', 'heapUsed', 'heapTotal', 'workerHeapUsed', 'workerHeapTotal', 'external', 'arrayBuffers'];
  console.log(`    phase (s) | ${cols.join(' | ')}`);
  for (const r of rows) console.log(`    ${r.phase} (${Number(r.from).toFixed(1)}-${Number(r.to).toFixed(1)}) | ${cols.map((c) => Number(r[c] ?? NaN).toFixed(0)).join(' | ')}`);
  rmSync(traceFile, { force: true });
}
// A generated month depends on the generator's code: a change there makes a new cache key.
const generatorDigest = createHash('sha256')
  .update(['test/fixtures/telegram/generate-telegram-export.ts', 'test/fixtures/synthetic-random.ts', 'src/core/identifiers/synthetic-phones.ts']
    .map((f) => readFileSync(join(root, f), 'utf8')).join('\0'))
  .digest('hex').slice(0, 12);
const monthDir = (m: number) => (cache ? join(cache, `${generatorDigest}-x${scale}-month-${m + 1}`) : join(tmp, `month-${m + 1}`));
const made = new Set<number>();
const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };
async function month(m: number): Promise<string> {
  const dir = monthDir(m);
  const complete = () => made.has(m) || (cache !== undefined && existsSync(join(dir, '.complete')));
  if (complete()) return dir;
  // Another run (e.g. --prepare) generating this month: wait for it rather than generate it twice.
  const lock = `${dir}.generating`;
  if (cache) {
    mkdirSync(cache, { recursive: true });
    for (;;) {
      try {
        writeFileSync(lock, String(process.pid), { flag: 'wx' });
        break;
      } catch {
        const owner = Number(readFileSync(lock, 'utf8'));
        if (complete()) return dir;
        if (!alive(owner)) rmSync(lock, { force: true });
        else await new Promise((r) => setTimeout(r, 2000));
      }
    }
    if (complete()) { rmSync(lock, { force: true }); return dir; }
  }
  try {
    const t0 = performance.now();
    // Generated beside its final place and renamed when complete, so an interrupted run leaves no half month.
    const part = `${dir}.partial`;
    rmSync(part, { recursive: true, force: true });
    await generateTelegramExport({ dir: part, seed: 1000 + m, ...MONTH, startUnix: 1_740_787_200 + m * 30 * 86_400 });
    writeFileSync(join(part, '.complete'), '');
    rmSync(dir, { recursive: true, force: true });
    renameSync(part, dir);
    made.add(m);
    console.error(`generated month ${m + 1} in ${((performance.now() - t0) / 1000).toFixed(1)} s${cache ? ` (kept in ${dir})` : ''}`);
    return dir;
  } finally {
    if (cache) rmSync(lock, { force: true });
  }
}
if (prepare) {
  for (let m = 0; m < Math.max(series, ...monthsList); m++) await month(m);
  rmSync(tmp, { recursive: true, force: true });
  process.exit(0);
}

try {
  if (monthsList.length) {
    console.log(`## months in one scan command (${scaleNote}); goal: peak <= ${GOAL_MONTH_MB} MB for a month`);
    console.log('months | PDQ engine | messages | wall time (s) | CPU (s) | s per month | peak RSS (MB) | goal (MB) | exit | load');
  }
  for (const months of monthsList) {
    const dirs: string[] = [];
    for (let m = 0; m < months; m++) dirs.push(await month(m));
    for (const engine of engineList) {
      const tag = `${months}-${engine ?? 'default'}`;
      const db = join(tmp, `scan-${tag}.db`);
      const r = await runMeasured(cli, ['scan', ...dirs, '--db', db, '--json', join(tmp, `summary-${tag}.json`), '--quiet'],
        scanEnv(engine ? { UNEXPOSE_PDQ_ENGINE: engine } : {}));
      const summary = JSON.parse(readFileSync(join(tmp, `summary-${tag}.json`), 'utf8')).summary;
      console.log(`${months} | ${engine ?? 'default'} | ${summary.messages} | ${(r.ms / 1000).toFixed(1)} | ${r.cpuS.toFixed(1)} | ${(r.ms / 1000 / months).toFixed(1)} | `
        + `${r.peakMb.toFixed(0)} (anon ${r.peakAnonMb.toFixed(0)}, file ${r.peakFileMb.toFixed(0)}) | ${months === 1 ? GOAL_MONTH_MB : '-'} | ${r.code} | ${load()}`);
      printTrace();
      rmSync(db, { force: true });
    }
  }
  if (series > 0) {
    console.log(`\n## ${series} months scanned one after another into one store (${scaleNote}); goal: each <= ${GOAL_MONTH_MB} MB, the last <= ${GOAL_TEN_MB} MB`);
    console.log('month | messages in the report | wall time (s) | CPU (s) | peak RSS (MB) | goal (MB) | store size (MB) | exit | load');
    const db = storeOpt ? resolve(storeOpt) : join(tmp, 'series.db');
    for (let m = start - 1; m < series; m++) {
      const dir = await month(m);
      const r = await runMeasured(cli, ['scan', dir, '--db', db, '--json', join(tmp, 'series.json'), '--quiet'], scanEnv());
      const summary = JSON.parse(readFileSync(join(tmp, 'series.json'), 'utf8')).summary;
      const size = statSync(db).size / 1048576;
      console.log(`${m + 1} | ${summary.messages} | ${(r.ms / 1000).toFixed(1)} | ${r.cpuS.toFixed(1)} | ${r.peakMb.toFixed(0)} (anon ${r.peakAnonMb.toFixed(0)}, file ${r.peakFileMb.toFixed(0)}) | `
        + `${m === series - 1 ? GOAL_TEN_MB : GOAL_MONTH_MB} | ${size.toFixed(0)} | ${r.code} | ${load()}`);
      printTrace();
      if (!cache) { rmSync(dir, { recursive: true, force: true }); made.delete(m); } // only one month on disk at a time
    }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
