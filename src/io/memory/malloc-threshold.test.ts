import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const moduleUrl = new URL('./malloc-threshold.ts', import.meta.url).href;
const sharpUrl = pathToFileURL(createRequire(import.meta.url).resolve('sharp')).href;
let dir: string;
let script: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'unexpose-malloc-'));
  script = join(dir, 'decode.mts');
  // A fresh process (the thresholds are the process's): decodes a progressive 1600x1000 4:4:4 JPEG, whose decoder
  // allocates ~10 MB of coefficient buffers, 20 times, and prints the minor page faults a decode costs.
  await writeFile(script, `import sharp from ${JSON.stringify(sharpUrl)};
import { raiseMallocThresholds } from ${JSON.stringify(moduleUrl)};
if (process.argv[2] === 'raised') raiseMallocThresholds();
sharp.cache(false);
sharp.concurrency(1);
const w = 1600, h = 1000, px = Buffer.alloc(w * h * 3);
for (let i = 0; i < px.length; i++) px[i] = (i * 7 + (i >> 11)) & 255;
const jpeg = await sharp(px, { raw: { width: w, height: h, channels: 3 } }).jpeg({ progressive: true, chromaSubsampling: '4:4:4' }).toBuffer();
for (let i = 0; i < 3; i++) await sharp(jpeg).resize(400, 250).raw().toBuffer();
const f0 = process.resourceUsage().minorPageFault;
for (let i = 0; i < 20; i++) await sharp(jpeg).resize(400, 250).raw().toBuffer();
console.log((process.resourceUsage().minorPageFault - f0) / 20);
`);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function faultsPerDecode(mode: 'raised' | 'plain'): Promise<number> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', script, mode]);
  return Number(stdout.trim());
}

describe('raiseMallocThresholds', () => {
  it.runIf(process.platform === 'linux' && !process.env.GLIBC_TUNABLES)('keeps the decoder buffers in the heap: a progressive JPEG decode no longer faults its buffers in each time', async () => {
    const plain = await faultsPerDecode('plain');
    const raised = await faultsPerDecode('raised');
    // ~10 MB of buffers is ~2,400 pages: plain glibc gives much of them back after an image and faults them in again.
    // How many depends on the machine and its load (231 vs 47 quiet here, 81 vs 62 in a loaded CI run), so only the
    // direction is asserted: with the raised thresholds a decode faults fewer pages in.
    expect(raised, `plain ${plain}, raised ${raised}`).toBeLessThan(plain);
    // A measurement on a shared machine: under the suite's own load a run once gave 72.8 vs 75.65 (2026-12-01 CI), so
    // it is measured again before it counts as a failure; a broken mechanism fails every attempt.
  }, { retry: 2 });
});
