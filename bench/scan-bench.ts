/**
 * npm run bench:scan — a month of a large expose chat, generated in code (never committed): 200,000 messages,
 * 3,718 downloaded photos (some re-posted), 2,463 videos as not-downloaded placeholders, 137 phone numbers written
 * in mixed ways. Measures the whole `unexpose scan` command (2 cores): wall time and peak memory; then ten such
 * months in one scan, to show time grows linearly and memory does not. Generation time is not counted.
 * Usage: npm run bench:scan [-- --months 1,3,10] [--engines js,wasm] (PDQ engines to compare, same generated data)
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateTelegramExport } from '../test/fixtures/telegram/generate-telegram-export.js';
// @ts-expect-error: a plain .mjs helper shared with the other benchmarks
import { runMeasured } from './support/run-measured.mjs';

const root = resolve(import.meta.dirname, '..');
const cli = join(root, 'dist/cli/main.js');
const arg = process.argv.indexOf('--months');
const monthsList = (arg > 0 ? process.argv[arg + 1] : '1,10').split(',').map(Number);
const engArg = process.argv.indexOf('--engines');
const engineList = engArg > 0 ? process.argv[engArg + 1].split(',') : [undefined];
const MONTH = { messages: 200_000, photos: 3718, videos: 2463, phoneNumbers: 137, chats: 4, days: 30 };

const tmp = mkdtempSync(join(tmpdir(), 'unexpose-bench-scan-'));
try {
  const maxMonths = Math.max(...monthsList);
  const dirs: string[] = [];
  for (let m = 0; m < maxMonths; m++) {
    const dir = join(tmp, `month-${m + 1}`);
    const t0 = performance.now();
    await generateTelegramExport({ dir, seed: 1000 + m, ...MONTH, startUnix: 1_740_787_200 + m * 30 * 86_400 });
    dirs.push(dir);
    console.error(`generated month ${m + 1} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  console.log('months | PDQ engine | messages | wall time (s) | s per month | peak RSS (MB) | exit');
  for (const months of monthsList) {
    for (const engine of engineList) {
      const tag = `${months}-${engine ?? 'default'}`;
      const db = join(tmp, `scan-${tag}.db`);
      const r = await runMeasured(cli, ['scan', ...dirs.slice(0, months), '--db', db, '--json', join(tmp, `summary-${tag}.json`), '--quiet'],
        engine ? { UNEXPOSE_PDQ_ENGINE: engine } : {});
      const summary = JSON.parse(readFileSync(join(tmp, `summary-${tag}.json`), 'utf8')).summary;
      console.log(`${months} | ${engine ?? 'default'} | ${summary.messages} | ${(r.ms / 1000).toFixed(1)} | ${(r.ms / 1000 / months).toFixed(1)} | ${r.peakMb.toFixed(0)} | ${r.code}`);
      if (months === monthsList[0] && engine === engineList[0]) console.log(JSON.stringify(summary));
    }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
