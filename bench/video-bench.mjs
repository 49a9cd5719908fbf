/**
 * npm run bench:video — vPDQ speed on the ten 480x720 sample videos of ../shared/conformance/vpdq (issue #3).
 *  1. PDQ alone on one 480x720 RGB frame: a reused PdqHasher vs hashPdqPixels (fresh buffers) (ms per frame);
 *  2. ffmpeg decoding alone: the same ffmpeg command unexpose runs, raw RGB24 to /dev/null (the floor);
 *  3. hashVideoFile, one video at a time: frames hashed per second, and the ratio to decoding alone;
 *  4. the whole `unexpose hash` command over the ten videos (its worker pool, both cores).
 * Each at every frame and at 1 fps. Wall-clock figures depend on what else runs on a shared machine (the load average
 * is printed with them); CPU seconds (this process, its threads and the ffmpeg children, from /proc on Linux) much
 * less so, and give the ratio to decoding in work done.
 */
import { spawn } from 'node:child_process';
import { existsSync, openSync, closeSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildFrameArgs } from '../dist/io/video/ffmpeg-args.js';
import { ensureFfmpeg } from '../dist/io/video/ffmpeg-tools.js';
import { probeVideo } from '../dist/io/video/probe-video.js';
import { frameModulus } from '../dist/core/signals/vpdq/vpdq-sampling.js';
import { PdqHasher } from '../dist/core/signals/pdq/pdq-hasher.js';
import { hashPdqGrid, hashPdqPixels } from '../dist/core/signals/pdq/pdq-hash.js';
import { hashVideoFile } from '../dist/services/hash-video.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dir = resolve(root, '../shared/conformance/vpdq/repo/tmk/sample-videos');
if (!existsSync(dir)) { console.error('bench:video needs ../shared/conformance/vpdq (absent)'); process.exit(1); }
const names = ['chair-19-sd-bar', 'chair-20-sd-bar', 'chair-22-sd-grey-bar', 'chair-22-sd-sepia-bar', 'chair-22-with-large-logo-bar',
  'chair-22-with-small-logo-bar', 'chair-orig-22-sd-bar', 'pattern-sd-grey-bar', 'pattern-sd-with-large-logo-bar', 'pattern-sd-with-small-logo-bar'];
const videos = names.map((n) => join(dir, `${n}.mp4`));
const features = await ensureFfmpeg();
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');

/** CPU seconds used so far by this process (all threads) plus its finished children (Linux /proc; else own only). */
function cpuSeconds() {
  const own = process.cpuUsage();
  let children = 0;
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    children = (Number(fields[13]) + Number(fields[14])) / 100; // cutime + cstime in clock ticks (100 per second)
  } catch { /* not Linux */ }
  return (own.user + own.system) / 1e6 + children;
}

function exec(cmd, args, stdoutFd) {
  return new Promise((res, rej) => {
    const c = spawn(cmd, args, { stdio: ['ignore', stdoutFd ?? 'ignore', 'ignore'] });
    c.on('error', rej);
    c.on('close', (code) => (code === 0 ? res() : rej(new Error(`${cmd} exited ${code}`))));
  });
}

// 1. PDQ alone.
{
  const w = 480, h = 720;
  const rgb = new Uint8Array(w * h * 3);
  for (let i = 0; i < rgb.length; i++) rgb[i] = (i * 7919 + (i >> 11) * 31) & 255;
  const hasher = new PdqHasher(w, h);
  const time = (f, n = 60) => { for (let i = 0; i < 10; i++) f(); const t = performance.now(); for (let i = 0; i < n; i++) f(); return (performance.now() - t) / n; };
  const fast = time(() => hashPdqGrid(hasher.grid64(rgb, 3)));
  const core = time(() => hashPdqPixels({ data: rgb, width: w, height: h, channels: 3 }));
  console.log(`PDQ on one 480x720 frame, one core: reused hasher ${fast.toFixed(2)} ms (${(1000 / fast).toFixed(0)} frames/s), fresh buffers ${core.toFixed(2)} ms  [load ${load()}]`);
}

const results = [];
for (const [label, sampling] of [['every frame', { everyFrame: true }], ['every frame, 2 hashing threads', { everyFrame: true, hashThreads: 2 }], ['1 fps', { fps: 1 }]]) {
  // 2. Decoding alone, same command line as unexpose, to /dev/null.
  const devnull = openSync('/dev/null', 'w');
  let frames = 0;
  let cpu = cpuSeconds();
  let t = performance.now();
  for (const v of videos) {
    const p = await probeVideo(v, v);
    const mod = frameModulus(sampling, p.frameRate);
    frames += Math.ceil(p.frameCount / mod);
    await exec('ffmpeg', buildFrameArgs({ path: v, streamIndex: p.streamIndex, frameModulus: mod, width: p.width, height: p.height }, features), devnull);
  }
  const decodeS = (performance.now() - t) / 1000;
  const decodeCpu = cpuSeconds() - cpu;
  closeSync(devnull);
  // 3. hashVideoFile one video at a time (MD5/SHA-256 included).
  t = performance.now();
  cpu = cpuSeconds();
  let hashed = 0;
  for (const v of videos) hashed += (await hashVideoFile(v, sampling)).vpdq.length;
  const hashS = (performance.now() - t) / 1000;
  const hashCpu = cpuSeconds() - cpu;
  // 4. The whole command, its pool hashing two videos at a time.
  t = performance.now();
  if (!sampling.hashThreads) await exec(process.execPath, [join(root, 'dist/cli/main.js'), 'hash', ...videos, ...(sampling.everyFrame ? ['--every-frame'] : []), '--format', 'jsonl']);
  const cliS = sampling.hashThreads ? NaN : (performance.now() - t) / 1000;
  if (hashed !== frames) console.warn(`warning: hashed ${hashed} frames, expected ${frames}`);
  results.push({ label, frames, decodeS, hashS, cliS, decodeCpu, hashCpu, load: load() });
}

console.log('\nsampling                         frames  decode only          hashVideoFile (1 video at a time)        unexpose hash (pool)   load');
for (const r of results) {
  const fps = (s) => `${(r.frames / s).toFixed(0).padStart(5)} frames/s`;
  console.log(`${r.label.padEnd(31)} ${String(r.frames).padStart(7)}  ${r.decodeS.toFixed(2).padStart(6)} s ${fps(r.decodeS)}  ` +
    `${r.hashS.toFixed(2).padStart(6)} s ${fps(r.hashS)}  x${(r.hashS / r.decodeS).toFixed(2)} of decode  ` +
    `${r.cliS.toFixed(2).padStart(6)} s ${fps(r.cliS)}  x${(r.cliS / r.decodeS).toFixed(2)}   ${r.load}`);
}
console.log('\nCPU seconds (all threads and ffmpeg): decode only vs hashVideoFile; frames/s one CPU second buys');
for (const r of results) {
  console.log(`${r.label.padEnd(31)} decode ${r.decodeCpu.toFixed(2)} s (${(r.frames / r.decodeCpu).toFixed(0)} frames/s)  ` +
    `hash ${r.hashCpu.toFixed(2)} s (${(r.frames / r.hashCpu).toFixed(0)} frames/s)  PDQ adds ${(100 * (r.hashCpu / r.decodeCpu - 1)).toFixed(0)}% to decoding`);
}
console.log('\nC++ reference (vpdq-hash-video -r 0, same machine type): about 170-178 frames/s every frame.');
