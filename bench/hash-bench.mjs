/**
 * npm run bench:hash — PDQ hashing speed and memory (issue #2). Prints a table; numbers go in the issue note.
 *  1. images/s on one core for each pipeline, on the 1600x1004 JPEGs (bridge-mods + dih) and on 256x256 images;
 *  2. `unexpose hash` (fast, whole command, both cores) vs sharp decoding alone (same files to <= 512 px, 2 at a time);
 *  3. peak memory of `unexpose hash` over folders of 500, 1000 and 2000 generated images.
 * Reads ../shared/conformance (required) and writes generated images to a temporary folder it deletes.
 */
import { readFileSync, readdirSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { hashPhotoBytes } from '../dist/services/hash-photo.js';
import { runMeasured } from './support/run-measured.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const data = resolve(root, '../shared/conformance/pdq/repo/pdq/data');
if (!existsSync(data)) { console.error('bench:hash needs ../shared/conformance (absent)'); process.exit(1); }
const cli = resolve(root, 'dist/cli/main.js');

const list = (d, f = () => true) => readdirSync(d).filter(f).map((n) => join(d, n));
const large = [
  ...list(join(data, 'bridge-mods'), (n) => /^(aaa|blur|high|sharpen)/.test(n)),
  ...list(join(data, 'reg-test-input/dih')),
];
const small = [...list(join(data, 'reg-test-input/labelme-subset')), join(data, 'bridge-mods/square-256x256.jpg')];
const sets = { '1600x1004 JPEG': large.map((f) => readFileSync(f)), '256x256 JPEG': small.map((f) => readFileSync(f)) };

sharp.concurrency(1);
async function perCore(bufs, pipeline, seconds = 4) {
  for (const b of bufs) await hashPhotoBytes(b, pipeline); // warm up
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) for (const b of bufs) { await hashPhotoBytes(b, pipeline); n++; }
  return n / ((performance.now() - t0) / 1000);
}

console.log('## 1. images per second, one core (decode + hash, in process)');
for (const [name, bufs] of Object.entries(sets)) {
  for (const p of ['fast', 'reference', 'full']) console.log(`${name.padEnd(16)} ${p.padEnd(10)} ${(await perCore(bufs, p)).toFixed(1)} images/s`);
}

const runTimed = (args) => runMeasured(cli, args);

console.log('\n## 2. whole command vs decoding alone (1600x1004 JPEGs, both cores)');
const tmp = mkdtempSync(join(tmpdir(), 'unexpose-bench-'));
try {
  const copies = 30; // 16 files x 30 = 480 JPEGs: enough that process and worker start-up are a small share
  const folder = join(tmp, 'large');
  rmSync(folder, { recursive: true, force: true });
  (await import('node:fs')).mkdirSync(folder);
  large.forEach((f, i) => { for (let c = 0; c < copies; c++) writeFileSync(join(folder, `${i}-${c}.jpg`), readFileSync(f)); });
  const files = list(folder);
  sharp.concurrency(1);
  const decodeOnce = async () => {
    const t0 = performance.now();
    let next = 0;
    const lane = async () => { while (next < files.length) { const f = files[next++]; await sharp(readFileSync(f)).resize(512, 512, { fit: 'inside' }).raw().toBuffer(); } };
    await Promise.all([lane(), lane()]);
    return performance.now() - t0;
  };
  await decodeOnce();
  const decodeMs = Math.min(await decodeOnce(), await decodeOnce());
  const startup = Math.min((await runTimed(['--version'])).ms, (await runTimed(['--version'])).ms);
  await runTimed(['hash', folder]);
  const cmd = [await runTimed(['hash', folder]), await runTimed(['hash', folder])].sort((a, b) => a.ms - b.ms)[0];
  console.log(`decode alone (sharp to <= 512 px, 2 at a time): ${decodeMs.toFixed(0)} ms for ${files.length} files = ${(files.length / decodeMs * 1000).toFixed(1)} files/s`);
  console.log(`unexpose hash (fast, whole command): ${cmd.ms.toFixed(0)} ms = ${(files.length / cmd.ms * 1000).toFixed(1)} files/s (process start ${startup.toFixed(0)} ms)`);
  console.log(`ratio command / decode: ${(cmd.ms / decodeMs).toFixed(2)} (excluding process start: ${((cmd.ms - startup) / decodeMs).toFixed(2)})`);

  console.log('\n## 3. peak memory of unexpose hash over growing folders of generated images');
  const gen = join(tmp, 'gen');
  (await import('node:fs')).mkdirSync(gen);
  let made = 0;
  for (const target of [500, 1000, 2000]) {
    for (; made < target; made++) {
      const w = 320 + (made * 37) % 960;
      const h = 240 + (made * 53) % 720;
      const px = Buffer.alloc(w * h * 3);
      for (let i = 0; i < px.length; i++) px[i] = (i * (made + 7) + (i >> 8)) & 255;
      writeFileSync(join(gen, `img-${String(made).padStart(5, '0')}.jpg`), await sharp(px, { raw: { width: w, height: h, channels: 3 } }).jpeg({ quality: 80 }).toBuffer());
    }
    const r = await runTimed(['hash', gen]);
    console.log(`${target} images: peak RSS ${r.peakMb.toFixed(0)} MB, ${(target / r.ms * 1000).toFixed(0)} files/s, exit ${r.code}`);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
