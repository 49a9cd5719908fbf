/**
 * npm run bench:scan — a month of a large expose chat, generated in code (never committed): 200,000 messages,
 * 3,718 downloaded photos (some re-posted), 2,463 videos as not-downloaded placeholders, 137 phone numbers written
 * in mixed ways. Measures the whole `unexpose scan` command (2 cores): wall time, CPU and peak memory, beside the
 * goals of issue #11 and the load average. Generation time is not counted.
 *  - `--months 1,10`: one scan command over that many months at once (default 1);
 *  - `--series 10`: that many months scanned one after another into ONE store (a newsroom scanning each month as
 *    it comes), peak RSS of each scan: memory must not grow with the store (default 10; 0 skips it);
 *  - `--scale 0.25`: months of a quarter the size (messages, photos, videos), when a full series takes too long;
 *  - `--engines js,wasm`: PDQ engines to compare on the same generated data.
 * Usage: npm run bench:scan [-- --months 1] [--series 10] [--scale 1] [--engines wasm]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateTelegramExport } from '../test/fixtures/telegram/generate-telegram-export.js';
// @ts-expect-error: a plain .mjs helper shared with the other benchmarks
import { runMeasured } from './support/run-measured.mjs';

const root = resolve(import.meta.dirname, '..');
const cli = join(root, 'dist/cli/main.js');
const opt = (name: string, dflt: string) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1] : dflt; };
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
const monthDir = (m: number) => join(tmp, `month-${m + 1}`);
const made = new Set<number>();
async function month(m: number): Promise<string> {
  const dir = monthDir(m);
  if (made.has(m)) return dir;
  const t0 = performance.now();
  await generateTelegramExport({ dir, seed: 1000 + m, ...MONTH, startUnix: 1_740_787_200 + m * 30 * 86_400 });
  made.add(m);
  console.error(`generated month ${m + 1} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return dir;
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
        engine ? { UNEXPOSE_PDQ_ENGINE: engine } : {});
      const summary = JSON.parse(readFileSync(join(tmp, `summary-${tag}.json`), 'utf8')).summary;
      console.log(`${months} | ${engine ?? 'default'} | ${summary.messages} | ${(r.ms / 1000).toFixed(1)} | ${r.cpuS.toFixed(1)} | ${(r.ms / 1000 / months).toFixed(1)} | `
        + `${r.peakMb.toFixed(0)} | ${months === 1 ? GOAL_MONTH_MB : '-'} | ${r.code} | ${load()}`);
      rmSync(db, { force: true });
    }
  }
  if (series > 0) {
    console.log(`\n## ${series} months scanned one after another into one store (${scaleNote}); goal: each <= ${GOAL_MONTH_MB} MB, the last <= ${GOAL_TEN_MB} MB`);
    console.log('month | messages in the report | wall time (s) | CPU (s) | peak RSS (MB) | goal (MB) | store size (MB) | exit | load');
    const db = join(tmp, 'series.db');
    for (let m = 0; m < series; m++) {
      const dir = await month(m);
      const r = await runMeasured(cli, ['scan', dir, '--db', db, '--json', join(tmp, 'series.json'), '--quiet']);
      const summary = JSON.parse(readFileSync(join(tmp, 'series.json'), 'utf8')).summary;
      const { statSync } = await import('node:fs');
      const size = statSync(db).size / 1048576;
      console.log(`${m + 1} | ${summary.messages} | ${(r.ms / 1000).toFixed(1)} | ${r.cpuS.toFixed(1)} | ${r.peakMb.toFixed(0)} | ${m === series - 1 ? GOAL_TEN_MB : GOAL_MONTH_MB} | `
        + `${size.toFixed(0)} | ${r.code} | ${load()}`);
      rmSync(dir, { recursive: true, force: true }); // only one month on disk at a time
      made.delete(m);
    }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
