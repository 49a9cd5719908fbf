/**
 * npm run bench:browser — PDQ in headless Chromium (issue #11): ms per 1600x1004 photo (decoded in the page with
 * createImageBitmap + OffscreenCanvas, then PDQ at full resolution with the WebAssembly SIMD and JS engines), frames
 * per second for 480x720 frames at every frame (generated in the page), and MD5 of 64 MB with hash-wasm; the same
 * figures from Node in the same run beside them (sharp decode, the same engines, node:crypto MD5); and the robust
 * signals a photo banks (region_dct + region_mag, issue #12) of the same decoded pixels, against PDQ alone.
 * Needs Debian's chromium (/usr/bin/chromium) and ../shared/conformance.
 * Evening machine, 2026-12-01 16:58 UTC (lead, load 2.1-2.7, Chromium 156): PDQ of a 1600x1004 photo, wasm 3.09 ms in the
 * page (node 2.40), js 54.76 (node 28.78); 480x720 frames at every frame, wasm 2,101 frames/s (node 2,510), js 325;
 * MD5 with hash-wasm 493 MB/s (node:crypto 675). Decoding the photo in the page (createImageBitmap + canvas, headless,
 * no GPU) took 120 ms, against sharp's 31 ms at full resolution: the page's decode, not PDQ, is what a victim waits for.
 */
import { readFileSync, existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import sharp from 'sharp';
import { servePage, fileUrl } from './browser/serve-page.js';
import { hasChromium, launchChromium, CHROMIUM_PATH } from './browser/launch-chromium.js';
import { createJsPdqEngine } from '../src/core/signals/pdq/pdq-engine.js';
import { createWasmPdqEngine } from '../src/core/signals/pdq/wasm/pdq-wasm.js';
import { readPdqWasm } from '../src/io/wasm/read-pdq-wasm.js';
import { robustPhotoSignals } from '../src/core/picture/picture-signals.js';
import { jsPictureKernels } from '../src/core/picture/picture-kernels.js';
import { createWasmPictureKernels } from '../src/core/picture/wasm/picture-wasm.js';

const data = resolve(import.meta.dirname, '../../shared/conformance/pdq/repo/pdq/data');
const photoPath = resolve(data, 'bridge-mods/aaa-orig.jpg');
const videoPath = resolve(import.meta.dirname, '../../shared/conformance/vpdq/repo/tmk/sample-videos/chair-20-sd-bar.mp4');
if (!hasChromium) { console.error(`bench:browser needs Chromium at ${CHROMIUM_PATH} (apt-get install chromium)`); process.exit(1); }
if (!existsSync(photoPath)) { console.error('bench:browser needs ../shared/conformance (absent)'); process.exit(1); }
const MD5_MB = 64;
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');

function timed(f: () => unknown, minMs = 2000): number {
  for (let i = 0; i < 3; i++) f();
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < minMs) { f(); n++; }
  return (performance.now() - t0) / n;
}

const server = await servePage([data, resolve(videoPath, '..')]);
const browser = await launchChromium();
try {
  const page = await browser.context.newPage();
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  await page.goto(server.url);
  await page.waitForFunction(() => 'runBench' in globalThis);
  console.log(`## PDQ in headless Chromium vs Node, one core each  [load ${load()}]`);
  const b = await page.evaluate(([u, mb, v]) => (globalThis as unknown as { runBench(u: string, mb: number, v: string): Promise<Record<string, number | string>> }).runBench(u, mb, v),
    [fileUrl(server.url, photoPath), MD5_MB, fileUrl(server.url, videoPath)] as const);
  console.log(`browser: ${b.userAgent}; WebAssembly SIMD ${b.simd}`);

  // Node, same photo and frame size, same run.
  const bytes = readFileSync(photoPath);
  const decodeNode = async () => sharp(bytes).keepIccProfile().raw().toBuffer({ resolveWithObject: true });
  const { data: px, info } = await decodeNode();
  const img = { data: new Uint8Array(px), width: info.width, height: info.height, channels: info.channels as 3 };
  let t0 = performance.now();
  for (let i = 0; i < 10; i++) await decodeNode();
  const nodeDecode = (performance.now() - t0) / 10;
  const frame = { data: new Uint8Array(480 * 720 * 3).map((_, i) => (i * 7919 + (i >> 11) * 31) & 255), width: 480, height: 720, channels: 3 as const };
  const node: Record<string, number> = {};
  const wasm = await createWasmPdqEngine(await readPdqWasm());
  for (const [name, e] of Object.entries({ js: createJsPdqEngine(), ...(wasm ? { wasm } : {}) })) {
    node[`pdqMs_${name}`] = timed(() => e.hash(img));
    node[`videoFps_${name}`] = 1000 / timed(() => e.hash(frame));
  }
  const wasmKernels = await createWasmPictureKernels(await readPdqWasm());
  const nodeRobust: Record<string, number> = {};
  for (const [name, k] of Object.entries({ js: jsPictureKernels, ...(wasmKernels ? { wasm: wasmKernels } : {}) })) {
    nodeRobust[name] = timed(() => robustPhotoSignals(img, 6, 'bank', k));
  }
  const md5Bytes = new Uint8Array(MD5_MB << 20).map((_, i) => (i * 2654435761) >>> 24);
  t0 = performance.now();
  const nodeMd5 = createHash('md5').update(md5Bytes).digest('hex');
  const nodeMd5MBps = MD5_MB / ((performance.now() - t0) / 1000);

  const n = (v: unknown, d = 2) => (typeof v === 'number' ? v.toFixed(d) : String(v));
  console.log(`photo ${b.photo} decode (createImageBitmap + canvas)   browser ${n(b.decodeMs)} ms     node (sharp) ${n(nodeDecode)} ms`);
  for (const e of ['wasm', 'js']) {
    console.log(`photo ${b.photo} PDQ, ${e.padEnd(4)} engine              browser ${n(b[`pdqMs_${e}`])} ms     node ${n(node[`pdqMs_${e}`])} ms`);
  }
  for (const e of ['wasm', 'js']) {
    console.log(`photo ${b.photo} region_dct + region_mag (bank), ${e.padEnd(4)} browser ${n(b[`robustMs_${e}`])} ms     node ${n(nodeRobust[e])} ms`);
  }
  const pdqAlone = Number(b.decodeMs) + Number(b.pdqMs_wasm);
  for (const e of ['wasm', 'js']) {
    const all = pdqAlone + Number(b[`robustMs_${e}`]);
    console.log(`photo ${b.photo} in the page, robust on ${e.padEnd(4)}: PDQ alone (decode + wasm) ${n(pdqAlone)} ms per photo, all signals ${n(all)} ms per photo (${n(all / pdqAlone)}x)`);
  }
  for (const e of ['wasm', 'js']) {
    console.log(`480x720 frames, every frame, ${e.padEnd(4)} engine    browser ${n(b[`videoFps_${e}`], 0)} frames/s   node ${n(node[`videoFps_${e}`], 0)} frames/s`);
  }
  console.log(`MD5 of ${MD5_MB} MB (hash-wasm in the page)           browser ${n(b.md5MBps, 0)} MB/s    node:crypto ${n(nodeMd5MBps, 0)} MB/s   ` +
    `digests ${b.md5 === nodeMd5 ? 'equal' : `DIFFER (${b.md5} vs ${nodeMd5})`}`);
  const videoMd5 = createHash('md5').update(readFileSync(videoPath)).digest('hex');
  console.log(`MD5 of chair-20-sd-bar.mp4 in the page: ${b.videoMd5 === videoMd5 ? 'equals' : `DIFFERS from (${b.videoMd5})`} node:crypto's ${videoMd5}`);
  console.log(`[load ${load()}]`);
} finally {
  await browser.close();
  await server.close();
}
