/**
 * npm run bench:hash — PDQ hashing speed and memory (issues #2, #11). Prints a table; numbers go in the issue note.
 *  0. the PDQ core alone, JS vs WebAssembly SIMD: ms per 1600x1004 photo at full resolution and per 400x251 image
 *     (what the fast pipeline hashes), beside sharp decoding the same photo (the floor), in one run;
 *  1. images/s on one core for each pipeline and engine, on the 1600x1004 JPEGs (bridge-mods + dih) and 256x256;
 *  1b. where one photo's time goes in the fast pipeline (read, header, decode, PDQ, MD5 + SHA-256), one core;
 *      the decode is most of it. Until 2026-12-01 it went through sharp's resize, and sharp 0.34.5 halves a JPEG's
 *      shrink-on-load when the shrink is an exact integer (pipeline.cc, "known libjpeg rounding errors"): 1600x1004
 *      was decoded at 800x502, then reduced to 400x251 (~11 of ~13 ms on aaa-orig). Now the JPEG is decoded at 1/4
 *      by libjpeg's DCT scaling alone, through sharp's libvips called directly (src/io/image/jpeg-dct-decode.ts);
 *      its header comes from libvips too (the sharp metadata row is no longer on a JPEG's path).
 *      2026-12-01, load 10 (other sessions' work): decode 7.25 ms, PDQ wasm 0.24 ms, MD5 + SHA-256 0.83 ms,
 *      hashPhotoBytes (wasm, no robust signals) 8.10 ms. CPU per decode over the 16 files, interleaved, in two
 *      runs (load 3.5-3.9): sharp's resize to 400x251 16.7 ms vs sharp to 320x200 (a shrink of 5 gets a true 1/4
 *      decode, then resamples; changes the pixels more) 15.1 ms; sharp's resize 18.1 ms vs the direct 1/4 decode
 *      11.2 ms (12.7 ms with sharp's metadata call before it).
 *  2. `unexpose hash` (fast, whole command, both cores, each engine; and the photos-here pool) vs sharp decoding alone
 *     (same files to <= 512 px, 2 at a time), side by side in one run, with the load average. The floor is measured
 *     twice: in this process, which has loaded src/io/memory/malloc-threshold.ts as the command has (like with like),
 *     and as plain sharp in a process of its own. With UNEXPOSE_PDQ_CPP naming a build of Meta's C++ CLI
 *     (pdq-photo-hasher; how to build it: bench/support/README-pdq-cpp.md), that CLI over the same files too, and each
 *     command row's CPU a file over the C++ CLI's (issue #11: goal <= 0.8); without it, one line says it is absent.
 *     Quiet machine, 2026-12-01 06:48-06:52 UTC (lead, after the merges, load 1.1-2.1, the bench's own threads), JPEGs
 *     decoded by DCT scaling alone: floor 4400 ms, 16.3 ms CPU a file (plain sharp 16.8); C++ CLI 11543 ms, 25.6 ms
 *     CPU a file; wasm + threads 4986 ms, wall ratio 1.13 (1.09 without process start), 18.6 ms CPU a file = 0.73x the
 *     C++ CLI (0.70x a C++ run just after, 26.5 ms); photos-here 1.17 (1.13), 0.72x (0.67x); --no-robust 1.03,
 *     16.2 ms = 0.63x (0.63x); js + threads 1.60, 1.06x (1.01x).
 *     2026-12-01 06:14-06:20 UTC, JPEGs decoded by DCT scaling alone (src/io/image/jpeg-dct-decode.ts), on a machine
 *     loaded by other sessions (load 7.7-10.5 on 2 cores): floor 10337 ms, 18.0 ms CPU a file (plain sharp 18.2);
 *     C++ CLI 26.3 ms CPU a file; wasm + threads 9608 ms, wall ratio 0.93 (0.90 without process start), 17.6 ms CPU
 *     a file = 0.67x the C++ CLI (0.64x a C++ run just after, 27.4 ms); photos-here 1.03, 0.63x (0.57x);
 *     --no-robust 0.85, 17.1 ms = 0.65x (0.61x); js + threads 1.31, 0.88x (0.81x). Same day 05:48-05:55, load 6.9-8.3:
 *     wasm + threads 20.0 ms = 0.75x (0.73x), ratio 1.06; photos-here 0.73x; --no-robust 15.6 ms = 0.59x. The floor
 *     still goes through sharp's resize (1/2 decode + resampling for <= 512 px), so the command's ratio fell below 1.
 *     Before (sharp's resize, halved shrink-on-load):
 *     Quiet machine, 2026-12-01 03:45-03:49 UTC (load 1.7-2.1, the bench's own two threads): floor 5796 ms, 22.4 ms
 *     CPU a file (plain sharp 25.2); C++ CLI 13389 ms, 29.7 ms CPU a file; wasm + threads 7076 ms, wall ratio 1.22
 *     (1.17 without process start), 27.1 ms CPU a file = 0.91x the C++ CLI (1.02x a C++ run just after); photos-here
 *     1.27 (1.22), 0.87x; --no-robust 1.12, 24.4 ms = 0.82x; js + threads 1.70, 1.17x.
 *     Measured 2026-12-01 (C++ built as README-pdq-cpp.md says: g++ 12.2 -O3, Debian's CImg and libjpeg-turbo 2.1.5):
 *     load 1.9-5.5: C++ 25.6 ms CPU a file (33.9 files/s, one thread); wasm + threads 18.4 ms = 0.72x, photos-here
 *     0.73x, wasm --no-robust 0.67x, js 0.94x. The C++ CLI's CPU swings with the load (20.7-41.2 ms a file over the
 *     day's runs; ~2.5 ms of it system time: ~1,550 page faults a file, glibc giving its 5 MB buffers back), ours
 *     less: pairs run back to back under /usr/bin/time at load 3.6-3.8 gave 0.85-0.93 (C++ 20.7-22.1 ms, command
 *     18.4-19.6 ms); at load 5-7 the paired ratios were 0.71-0.88. Take the ratio from a quiet machine.
 *     Measured 2026-11-30 on a machine loaded 11-23 (load average, 2 cores; wall figures inflated, CPU figures less):
 *     glibc gave the decoders' buffers back after every image (progressive JPEGs: ~10 MB of coefficients) and faulted
 *     them in again: ~800 minor faults and 5-9 ms of system time per photo, in the floor and the command alike.
 *     Raising malloc's thresholds once (malloc-threshold.ts): faults ~800 -> ~60 a photo; decode floor CPU 21-31 ->
 *     13-16 ms a file; whole command (wasm, threads) 31-35 -> 18-22 ms a file (same runs, /usr/bin/time), its
 *     wall ratio to the in-process floor 1.38-1.50 under load (to plain sharp's floor 0.65). Photos in the main
 *     thread (photos-here) against worker threads: 0.5-1 ms less CPU a file, same peak RSS, within the noise.
 *     Later, load 3.0-3.4: floor 5467 ms, 12.1 ms CPU a file (plain sharp 19.2); wasm + threads 5033 ms, ratio 1.43
 *     (1.34 without process start), 18.5 ms CPU a file, 180 MB; wasm + photos-here 4796 ms, ratio 1.36 (1.26),
 *     17.5 ms CPU a file, 175 MB; js + threads ratio 1.65, 23.0 ms CPU a file.
 *  3. peak memory of `unexpose hash` over folders of 500, 1000 and 2000 generated images.
 * Reads ../shared/conformance (required) and writes generated images to a temporary folder it deletes.
 * Evening machine, 2026-12-01 16:54-16:58 UTC (lead, load 1.5-2.6, section 2 with UNEXPOSE_PDQ_CPP, the CLI rebuilt as
 * README-pdq-cpp.md says): decode alone 3,258 ms for 450 files (12.5 ms CPU a file); C++ CLI 34.1 ms CPU a file;
 * `unexpose hash` (wasm, threads pool, the default) 3,853 ms: wall ratio 1.18 (1.11 without process start), CPU 14.5 ms
 * a file = 0.43x the C++ CLI; photos-here 1.29 (1.22) / 0.44x; --no-robust 1.07 / 0.38x; js engine 1.44 / 0.49x.
 * Quiet machine, 2026-12-01 11:28-11:30 UTC (lead, load 1.0-1.9, section 2 with UNEXPOSE_PDQ_CPP): decode alone 3,179 ms for
 * 450 files (11.5 ms CPU a file); C++ CLI 21.7 ms CPU a file; `unexpose hash` (wasm, threads pool, the default) 3,623 ms:
 * wall ratio 1.14 (1.08 without process start), CPU 13.0 ms a file = 0.60x the C++ CLI; --no-robust 1.14 / 0.58x.
 */
import { readFileSync, readdirSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { loadavg } from 'node:os';
import { hashPhotoBytes, decodeForPipeline } from '../dist/services/hash-photo.js';
import { createJsPdqEngine } from '../dist/core/signals/pdq/pdq-engine.js';
import { createWasmPdqEngine } from '../dist/core/signals/pdq/wasm/pdq-wasm.js';
import { readPdqWasm } from '../dist/io/wasm/read-pdq-wasm.js';
import { readImageHeader } from '../dist/io/image/decode-image.js';
import { digestBytes } from '../dist/io/crypto/file-digests.js';
import { hashMediaFile } from '../dist/services/hash-file.js';
import { runMeasured, runMeasuredProgram } from './support/run-measured.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const data = resolve(root, '../shared/conformance/pdq/repo/pdq/data');
if (!existsSync(data)) { console.error('bench:hash needs ../shared/conformance (absent)'); process.exit(1); }
const cli = resolve(root, 'dist/cli/main.js');
const floorScript = resolve(root, 'bench/support/sharp-decode-floor.mjs');

const list = (d, f = () => true) => readdirSync(d).filter(f).map((n) => join(d, n));
const large = [
  ...list(join(data, 'bridge-mods'), (n) => /^(aaa|blur|high|sharpen)/.test(n)),
  ...list(join(data, 'reg-test-input/dih')),
];
const small = [...list(join(data, 'reg-test-input/labelme-subset')), join(data, 'bridge-mods/square-256x256.jpg')];
const sets = { '1600x1004 JPEG': large.map((f) => readFileSync(f)), '256x256 JPEG': small.map((f) => readFileSync(f)) };

const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
const engines = { js: createJsPdqEngine(), wasm: await createWasmPdqEngine(await readPdqWasm()) };
if (!engines.wasm) { console.warn('no WebAssembly SIMD here: the wasm rows are left out'); delete engines.wasm; }

/** `--only 0,1b,2`: run only those sections (all by default). */
const onlyArg = process.argv.indexOf('--only');
const only = onlyArg > 0 ? new Set(process.argv[onlyArg + 1].split(',')) : null;
const section = (id) => !only || only.has(id);

/**
 * Mean CPU ms (user + system, all threads of this process: sharp decodes on libuv threads) per call of each
 * function, measured in alternating rounds of about 150 ms each, after a warm-up. CPU rather than wall time: on a
 * shared machine wall time mostly measures the other processes.
 */
async function interleaved(fns, totalMs = 3000) {
  const names = Object.keys(fns);
  const spent = Object.fromEntries(names.map((n) => [n, 0]));
  const calls = Object.fromEntries(names.map((n) => [n, 0]));
  for (const n of names) for (let i = 0; i < 3; i++) await fns[n]();
  const end = performance.now() + totalMs;
  while (performance.now() < end) {
    for (const n of names) {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      do { await fns[n](); calls[n]++; } while (performance.now() - t0 < 150);
      const c = process.cpuUsage(c0);
      spent[n] += (c.user + c.system) / 1000;
    }
  }
  return Object.fromEntries(names.map((n) => [n, spent[n] / calls[n]]));
}
const msPer = async (f, ms = 1500) => (await interleaved({ f }, ms)).f;

sharp.concurrency(1);
if (section('0')) {
  console.log(`## 0. PDQ core alone, CPU ms, JS vs WebAssembly SIMD (beside decoding the same photo)  [load ${load()}]`);
  const photo = sets['1600x1004 JPEG'][0];
  const full = (await decodeForPipeline(photo, 'full')).pixels;
  const fast = await decodeForPipeline(photo, 'fast');
  const row = async (label, img, windows, floorLabel, floor) => {
    const fns = { floor };
    for (const [name, e] of Object.entries(engines)) fns[name] = () => e.hash(img, windows);
    const r = await interleaved(fns, 4500);
    console.log(`${label.padEnd(34)} js ${r.js.toFixed(2)} ms   ${r.wasm ? `wasm ${r.wasm.toFixed(2)} ms (${(r.js / r.wasm).toFixed(1)}x faster)` : ''}   ` +
      `floor: ${floorLabel} ${r.floor.toFixed(2)} ms  [load ${load()}]`);
  };
  await row('1600x1004 full resolution', full, undefined, 'sharp full decode', () => sharp(photo).raw().toBuffer());
  await row(`${fast.pixels.width}x${fast.pixels.height} (fast pipeline's pixels)`, fast.pixels, fast.windows, 'fast decode (DCT-scaled)', () => decodeForPipeline(photo, 'fast'));
}

/** Images per second of each engine on a set (decode + hash), engines measured in alternating rounds. */
async function perCore(bufs, pipeline) {
  const fns = {};
  for (const [name, engine] of Object.entries(engines)) {
    let i = 0;
    fns[name] = () => hashPhotoBytes(bufs[i++ % bufs.length], pipeline, { engine });
  }
  const r = await interleaved(fns, 4000);
  return Object.fromEntries(Object.entries(r).map(([k, ms]) => [k, 1000 / ms]));
}

if (section('1')) console.log('\n## 1. images per CPU second (decode + hash, in process)');
if (section('1')) for (const [name, bufs] of Object.entries(sets)) {
  for (const p of ['fast', 'reference', 'full']) {
    const r = await perCore(bufs, p);
    console.log(`${name.padEnd(16)} ${p.padEnd(10)} ${Object.entries(r).map(([k, v]) => `${k} ${v.toFixed(1)}`).join('  ')} images/s  [load ${load()}]`);
  }
}

if (section('1b')) {
  console.log('\n## 1b. where a 1600x1004 photo\'s time goes (fast pipeline, CPU ms per photo)');
  const file = large[0];
  const bytes = readFileSync(file);
  const { pixels, windows } = await decodeForPipeline(bytes, 'fast');
  const fns = {
    'read file': () => readFileSync(file),
    'header (sharp metadata)': () => readImageHeader(bytes),
    'decode (header + DCT-scaled)': () => decodeForPipeline(bytes, 'fast'),
    'MD5 + SHA-256': () => digestBytes(bytes),
  };
  for (const [en, e] of Object.entries(engines)) fns[`PDQ (${en})`] = () => e.hash(pixels, windows);
  for (const [en, e] of Object.entries(engines)) fns[`hashPhotoBytes (${en})`] = () => hashPhotoBytes(bytes, 'fast', { engine: e });
  const parts = await interleaved(fns, 6000);
  for (const [k, v] of Object.entries(parts)) console.log(`${k.padEnd(34)} ${v.toFixed(2)} ms`);
  console.log(`[load ${load()}]`);
}

const runTimed = (args, env) => runMeasured(cli, args, env);

/**
 * Meta's C++ reference CLI (`pdq-photo-hasher -i`, file names on stdin: one process for all the files), best of two
 * runs after a warm-up, when UNEXPOSE_PDQ_CPP names the binary; else one line saying how to get it. It is
 * single-threaded, decodes every JPEG at full resolution (libjpeg through CImg), squashes it to 512x512 by nearest
 * neighbour and hashes that; it computes the PDQ hash only (no MD5/SHA-256, no robust signals).
 * @returns {Promise<{ cpuS: number, again: () => Promise<number> } | undefined>} CPU seconds a file (best of two),
 *   and a function that runs it once more and gives that run's CPU seconds a file
 */
async function measureCppCli(files) {
  const bin = process.env.UNEXPOSE_PDQ_CPP;
  if (!bin || !existsSync(bin)) {
    console.log(`C++ CLI (Meta's pdq-photo-hasher): ${bin ? `not found at UNEXPOSE_PDQ_CPP=${bin}` : 'absent'}; to compare, build it ` +
      '(bench/support/README-pdq-cpp.md) and set UNEXPOSE_PDQ_CPP=/path/to/pdq-photo-hasher');
    return undefined;
  }
  const input = files.join('\n') + '\n';
  const run = () => runMeasuredProgram(bin, ['-i'], {}, input);
  const warm = await run();
  const hashed = warm.stdout.split('\n').filter((l) => /^[0-9a-f]{64},\d+,/.test(l)).length;
  if (warm.code !== 0 || hashed !== files.length) {
    console.log(`C++ CLI at ${bin}: exit ${warm.code}, ${hashed} of ${files.length} files hashed; left out of the comparison`);
    return undefined;
  }
  const runs = [await run(), await run()];
  const best = runs.sort((a, b) => a.ms - b.ms)[0];
  const cpuS = Math.min(...runs.map((r) => r.cpuS)) / files.length;
  /** One more run, right after a command row (same load): CPU seconds a file. */
  const again = async () => (await run()).cpuS / files.length;
  console.log(`C++ CLI (Meta's pdq-photo-hasher -i, one process, single-threaded, every JPEG decoded at full resolution ` +
    `then squashed to 512x512; PDQ only): ${best.ms.toFixed(0)} ms = ${(files.length / best.ms * 1000).toFixed(1)} files/s, ` +
    `CPU ${(cpuS * 1000).toFixed(1)} ms a file, peak RSS ${best.peakMb.toFixed(0)} MB  [load ${load()}]`);
  return { cpuS, again };
}

if (section('2')) console.log('\n## 2. whole command vs decoding alone (1600x1004 JPEGs, both cores)');
const tmp = mkdtempSync(join(tmpdir(), 'unexpose-bench-'));
try {
  const copies = 30; // 16 files x 30 = 480 JPEGs: enough that process and worker start-up are a small share
  const folder = join(tmp, 'large');
  rmSync(folder, { recursive: true, force: true });
  (await import('node:fs')).mkdirSync(folder);
  large.forEach((f, i) => { for (let c = 0; c < copies; c++) writeFileSync(join(folder, `${i}-${c}.jpg`), readFileSync(f)); });
  const files = list(folder);
  if (section('2')) {
    sharp.concurrency(1);
    let decodeCpu = Infinity;
    const decodeOnce = async () => {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      let next = 0;
      const lane = async () => { while (next < files.length) { const f = files[next++]; await sharp(readFileSync(f)).resize(512, 512, { fit: 'inside' }).raw().toBuffer(); } };
      await Promise.all([lane(), lane()]);
      const c = process.cpuUsage(c0);
      decodeCpu = Math.min(decodeCpu, (c.user + c.system) / 1e6);
      return performance.now() - t0;
    };
    await decodeOnce();
    const decodeMs = Math.min(await decodeOnce(), await decodeOnce());
    const startup = Math.min((await runTimed(['--version'])).ms, (await runTimed(['--version'])).ms);
    console.log(`decode alone (sharp to <= 512 px, 2 at a time, in this process: malloc thresholds raised as in the command): ${decodeMs.toFixed(0)} ms for ${files.length} files = ` +
      `${(files.length / decodeMs * 1000).toFixed(1)} files/s, CPU ${(decodeCpu * 1000 / files.length).toFixed(1)} ms a file  [load ${load()}]`);
    // The same floor in a process of its own with glibc's malloc as it starts (what plain sharp costs).
    const plain = [await runMeasured(floorScript, [folder]), await runMeasured(floorScript, [folder])];
    const plainMs = Math.min(...plain.map((r) => r.ms) );
    const plainCpu = Math.min(...plain.map((r) => r.cpuS));
    console.log(`decode alone, plain sharp in its own process (malloc as it starts; process start included): ${plainMs.toFixed(0)} ms, CPU ${(plainCpu * 1000 / files.length).toFixed(1)} ms a file  [load ${load()}]`);
    // Meta's C++ reference CLI (pdq-photo-hasher) over the same files, in one process (file names on stdin), when
    // UNEXPOSE_PDQ_CPP names a build of it (bench/support/README-pdq-cpp.md): the CPU goal of issue #11.
    const cpp = await measureCppCli(files);
    // The same work in this thread, file after file (read once, decode, PDQ, robust signals, MD5 + SHA-256): what
    // the command adds on top of it is the pool (hand-off, result messages), the folder walk and the output.
    const inProcessCpu = {};
    for (const [engine, e] of Object.entries(engines)) {
      process.env.UNEXPOSE_PDQ_ENGINE = engine;
      for (const f of files.slice(0, 20)) await hashMediaFile(f, { pipeline: 'fast' });
      const c0 = process.cpuUsage();
      for (const f of files) await hashMediaFile(f, { pipeline: 'fast' });
      const c = process.cpuUsage(c0);
      inProcessCpu[engine] = (c.user + c.system) / 1e6;
      void e;
    }
    delete process.env.UNEXPOSE_PDQ_ENGINE;
    // The default pool (worker threads) with each engine, and the photos-here pool (UNEXPOSE_HASH_POOL=photos-here:
    // photos in the main thread, their decoding on libuv's threads) with the default engine.
    // With the C++ CLI present, also the command without the robust signals (PDQ, MD5 and SHA-256 only): nearer the
    // C++ CLI's work (PDQ only).
    const runsOf = [...Object.keys(engines).map((engine) => ({ engine, pool: 'threads' })), ...(engines.wasm ? [{ engine: 'wasm', pool: 'photos-here' }] : []),
      ...(cpp ? [{ engine: engines.wasm ? 'wasm' : 'js', pool: 'threads', noRobust: true }] : [])];
    for (const { engine, pool, noRobust } of runsOf) {
      const env = { UNEXPOSE_PDQ_ENGINE: engine, UNEXPOSE_HASH_POOL: pool };
      const args = ['hash', ...(noRobust ? ['--no-robust'] : []), folder];
      await runTimed(args, env);
      const runs = [await runTimed(args, env), await runTimed(args, env)];
      const cmd = runs.sort((a, b) => a.ms - b.ms)[0];
      const cpu = Math.min(...runs.map((r) => r.cpuS));
      const again = Math.min(await decodeOnce(), decodeMs);
      // CPU time swings with the load (20-27 ms a file for the C++ CLI on this 2-core machine at load 3-5): the ratio is
      // also given against a C++ run made right after this row's runs, under the same load.
      const paired = cpp ? await cpp.again() : NaN;
      const vsCpp = cpp ? `CPU a file / the C++ CLI's: ${(cpu / files.length / cpp.cpuS).toFixed(2)} (goal <= 0.8; ` +
        `/ a C++ run just after, ${(paired * 1000).toFixed(1)} ms a file: ${(cpu / files.length / paired).toFixed(2)})` : '';
      const oneThread = noRobust ? '' : `the same work in one thread ${(inProcessCpu[engine] * 1000 / files.length).toFixed(1)} ms a file ` +
        `(pool, walk and output add ${((cpu - inProcessCpu[engine]) * 1000 / files.length).toFixed(1)} ms)`;
      console.log(`unexpose hash (fast, whole command${noRobust ? ', --no-robust' : ''}, ${engine} engine, ${pool} pool): ${cmd.ms.toFixed(0)} ms = ${(files.length / cmd.ms * 1000).toFixed(1)} files/s (process start ${startup.toFixed(0)} ms); ` +
        `wall ratio command / decode: ${(cmd.ms / again).toFixed(2)} (excluding process start: ${((cmd.ms - startup) / again).toFixed(2)}; goal <= 1.25; ` +
        `/ plain sharp's: ${(cmd.ms / plainMs).toFixed(2)}); CPU ${(cpu * 1000 / files.length).toFixed(1)} ms a file = ${(cpu / decodeCpu).toFixed(2)}x decoding's ` +
        `(${(cpu / plainCpu).toFixed(2)}x plain sharp's); ${[`peak RSS ${cmd.peakMb.toFixed(0)} MB`, oneThread, vsCpp].filter(Boolean).join('; ')}  [load ${load()}]`);
    }
  }

  if (section('3')) {
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
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
