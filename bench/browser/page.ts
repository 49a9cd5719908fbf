/**
 * The browser side of bench:browser and test/browser: bundled with esbuild and served by serve-page.ts. Loads the PDQ
 * core and its WebAssembly module exactly as a victim's page would (fetch the .wasm, createWasmPdqEngine, JS core as
 * the fallback), decodes photos with createImageBitmap + OffscreenCanvas, and computes MD5 with hash-wasm.
 * Exposes its entry points on globalThis for the Playwright driver.
 */
import { createMD5 } from 'hash-wasm';
import { createJsPdqEngine, type PdqEngine } from '../../src/core/signals/pdq/pdq-engine.js';
import { createWasmPdqEngine, wasmSimdSupported } from '../../src/core/signals/pdq/wasm/pdq-wasm.js';
import type { PixelGrid } from '../../src/core/signals/pdq/pixel-grid.js';
import { createWasmPictureKernels, jsPictureKernels, robustPhotoSignals, type PictureKernels } from '../../src/core/browser.js';

/** The robust signals' kernels: the JS core and, where it loads, the WebAssembly module's. */
async function kernels(): Promise<Record<string, PictureKernels>> {
  const wasm = await createWasmPictureKernels(new Uint8Array(await (await fetch('/pdq-simd.wasm')).arrayBuffer()));
  return wasm ? { js: jsPictureKernels, wasm } : { js: jsPictureKernels };
}

/** The robust signals (bank side) of each image URL with each kernel set, for the equality test. */
async function robustOfImages(urls: string[], orientation: number): Promise<{ url: string; kernels: string; value: unknown }[]> {
  const out = [];
  for (const [name, k] of Object.entries(await kernels())) {
    for (const url of urls) out.push({ url, kernels: name, value: robustPhotoSignals(await decode(await fetchBytes(url)), orientation, 'bank', k) });
  }
  return out;
}

async function engines(): Promise<Record<string, PdqEngine>> {
  const wasm = await createWasmPdqEngine(new Uint8Array(await (await fetch('/pdq-simd.wasm')).arrayBuffer()));
  return wasm ? { js: createJsPdqEngine(), wasm } : { js: createJsPdqEngine() };
}

/** Decodes image bytes as the reference sees them: no colour conversion, no EXIF rotation; RGBA (alpha ignored). */
async function decode(bytes: ArrayBuffer): Promise<PixelGrid> {
  const bitmap = await createImageBitmap(new Blob([bytes]), { colorSpaceConversion: 'none', imageOrientation: 'none', premultiplyAlpha: 'none' });
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  ctx.drawImage(bitmap, 0, 0);
  bitmap.close();
  const { data, width, height } = ctx.getImageData(0, 0, canvas.width, canvas.height);
  return { data, width, height, channels: 4 };
}

async function fetchBytes(url: string): Promise<ArrayBuffer> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return r.arrayBuffer();
}

/** PDQ (full resolution) of each image URL with each engine. */
async function hashImages(urls: string[]): Promise<{ url: string; engine: string; hash: string; quality: number }[]> {
  const out = [];
  for (const [name, engine] of Object.entries(await engines())) {
    for (const url of urls) out.push({ url, engine: name, ...engine.hash(await decode(await fetchBytes(url))) });
  }
  return out;
}

/** A synthetic 480x720 RGBA frame that changes with i (a moving gradient with edges). */
function frame(i: number, width = 480, height = 720): PixelGrid {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0, p = 0; y < height; y++) {
    for (let x = 0; x < width; x++, p += 4) {
      data[p] = (x + i * 3) & 255;
      data[p + 1] = (y * 2 + ((x + y + i) >> 5 & 1) * 80) & 255;
      data[p + 2] = ((x ^ y) + i) & 255;
      data[p + 3] = 255;
    }
  }
  return { data, width, height, channels: 4 };
}

async function timed(f: () => unknown, minMs = 2000): Promise<number> {
  for (let i = 0; i < 3; i++) await f();
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < minMs) { await f(); n++; }
  return (performance.now() - t0) / n;
}

/** MD5 (hex) of a file's bytes with hash-wasm, fed in 1 MB pieces as a page reading a File would. */
async function md5Of(url: string): Promise<string> {
  const bytes = new Uint8Array(await fetchBytes(url));
  const md5 = await createMD5();
  md5.init();
  for (let o = 0; o < bytes.length; o += 1 << 20) md5.update(bytes.subarray(o, o + (1 << 20)));
  return md5.digest('hex');
}

/** The benchmark: photo decode and PDQ, video frames per second, MD5 throughput (each engine where it applies). */
async function runBench(photoUrl: string, md5Megabytes: number, videoUrl: string) {
  const result: Record<string, unknown> = { simd: wasmSimdSupported(), userAgent: navigator.userAgent };
  const photo = await fetchBytes(photoUrl);
  const pixels = await decode(photo);
  result.photo = `${pixels.width}x${pixels.height}`;
  result.decodeMs = await timed(() => decode(photo));
  // The robust signals a photo banks (region_dct, region_mag) from the same decoded pixels, upright (orientation 6).
  for (const [name, k] of Object.entries(await kernels())) result[`robustMs_${name}`] = await timed(() => robustPhotoSignals(pixels, 6, 'bank', k));
  const frames = Array.from({ length: 30 }, (_, i) => frame(i));
  for (const [name, engine] of Object.entries(await engines())) {
    result[`pdqMs_${name}`] = await timed(() => engine.hash(pixels));
    let k = 0;
    const perFrame = await timed(() => engine.hash(frames[k++ % frames.length]));
    result[`videoFps_${name}`] = 1000 / perFrame;
  }
  const bytes = new Uint8Array(md5Megabytes << 20);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 2654435761) >>> 24;
  const md5 = await createMD5();
  const t0 = performance.now();
  md5.init();
  for (let o = 0; o < bytes.length; o += 1 << 20) md5.update(bytes.subarray(o, o + (1 << 20)));
  result.md5 = md5.digest('hex');
  result.md5MBps = md5Megabytes / ((performance.now() - t0) / 1000);
  result.videoMd5 = await md5Of(videoUrl);
  return result;
}

Object.assign(globalThis, { hashImages, robustOfImages, md5Of, runBench });
