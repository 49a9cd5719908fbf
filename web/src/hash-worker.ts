/**
 * Hashes her photos and videos in a Web Worker with the server's own core: for each photo, decoded at full size
 * with EXIF orientation NOT applied (as the server's decoder does), PDQ of the stored pixels (the reference's, for
 * exchange) and the robust signals region_dct and region_mag of the same pixels turned upright by the file's EXIF
 * orientation (read here with exifr) — the values the server banks for the same file. Chromium turns a photo
 * upright while decoding even with imageOrientation 'none': a tiny tagged JPEG tells whether this browser does, and
 * then the core turns the pixels back to the stored ones (an exact permutation); for a video the MD5 of its
 * bytes (read in slices, so a large file never sits in memory whole) — frames come from the page, which owns the
 * video element.
 * PDQ and the robust signals run on the WebAssembly SIMD module where the browser has SIMD, else on the JS core
 * (bit for bit the same).
 * Nothing leaves this worker but hashes.
 */
import { createMD5 } from 'hash-wasm';
import { createJsPdqEngine, type PdqEngine } from '../../src/core/signals/pdq/pdq-engine.js';
import { createWasmPdqEngine } from '../../src/core/signals/pdq/wasm/pdq-wasm.js';
import wasmUrl from '../../wasm/pdq/pdq-simd.wasm?url';
import { orientation as exifOrientation } from 'exifr';
import { createWasmPictureKernels, isOrientation, jsPictureKernels, robustPhotoSignals, storedPixelsFromShown, type PictureKernels, type PixelGrid, type RegionDctValue } from '../../src/core/browser.js';

export type WorkerRequest =
  | { id: number; kind: 'photo'; file: Blob }
  | { id: number; kind: 'frame'; bitmap: ImageBitmap }
  | { id: number; kind: 'md5'; file: Blob };

export type WorkerReply =
  | { id: number; ok: true; pdq?: string; quality?: number; md5?: string; engine?: string; ms: number;
      /** Robust values of a photo as the server banks them, and the time PDQ alone took (decode included). */
      regionDct?: RegionDctValue[]; regionMag?: RegionDctValue[]; pdqMs?: number }
  | { id: number; ok: false; error: 'undecodable' | 'failed'; message: string }
  | { id: number; progress: number };

const SLICE = 8 * 1024 * 1024;

let wasmBytes: Promise<Uint8Array | null> | undefined;
/** The WebAssembly module's bytes (fetched once), or null. */
function moduleBytes(): Promise<Uint8Array | null> {
  return (wasmBytes ??= fetch(wasmUrl).then(async (r) => (r.ok ? new Uint8Array(await r.arrayBuffer()) : null)).catch(() => null));
}

let engine: Promise<PdqEngine> | undefined;
/** The WebAssembly SIMD engine when it loads, else the JS core. */
function pdqEngine(): Promise<PdqEngine> {
  return (engine ??= moduleBytes()
    .then((b) => (b ? createWasmPdqEngine(b) : null))
    .catch(() => null)
    .then((e) => e ?? createJsPdqEngine()));
}

let kernels: Promise<PictureKernels> | undefined;
/** The robust signals' kernels from the same module when it loads, else the JS core. */
function pictureKernels(): Promise<PictureKernels> {
  return (kernels ??= moduleBytes()
    .then((b) => (b ? createWasmPictureKernels(b) : null))
    .catch(() => null)
    .then((k) => k ?? jsPictureKernels));
}

function pixelsOf(bitmap: ImageBitmap): PixelGrid & { data: Uint8ClampedArray; channels: 4 } {
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const g = canvas.getContext('2d', { willReadFrequently: true });
  if (!g) throw new Error('no 2d canvas in this browser');
  g.drawImage(bitmap, 0, 0);
  bitmap.close();
  return { data: g.getImageData(0, 0, canvas.width, canvas.height, { colorSpace: 'srgb' }).data, width: canvas.width, height: canvas.height, channels: 4 };
}

const DECODE_OPTIONS: ImageBitmapOptions = { imageOrientation: 'none', colorSpaceConversion: 'none', premultiplyAlpha: 'none' };

/** A 16x8 grey JPEG tagged EXIF orientation 6 (made with sharp's withMetadata({ orientation: 6 })): shown 8x16. */
const TAGGED_PROBE = '/9j/4QC8RXhpZgAASUkqAAgAAAAGABIBAwABAAAABgAAABoBBQABAAAAVgAAABsBBQABAAAAXgAAACgBAwABAAAAAgAAABMCAwABAAAAAQAAAGmHBAABAAAAZgAAAAAAAAA4YwAA6AMAADhjAADoAwAABgAAkAcABAAAADAyMTABkQcABAAAAAECAwAAoAcABAAAADAxMDABoAMAAQAAAP//AAACoAQAAQAAABAAAAADoAQAAQAAAAgAAAAAAAAA/+IB8ElDQ19QUk9GSUxFAAEBAAAB4GxjbXMEIAAAbW50clJHQiBYWVogB+IAAwAUAAkADgAdYWNzcE1TRlQAAAAAc2F3c2N0cmwAAAAAAAAAAAAAAAAAAPbWAAEAAAAA0y1oYW5keem/Vlo+AbaDI4VVRvdPqgAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAKZGVzYwAAAPwAAAAkY3BydAAAASAAAAAid3RwdAAAAUQAAAAUY2hhZAAAAVgAAAAsclhZWgAAAYQAAAAUZ1hZWgAAAZgAAAAUYlhZWgAAAawAAAAUclRSQwAAAcAAAAAgZ1RSQwAAAcAAAAAgYlRSQwAAAcAAAAAgbWx1YwAAAAAAAAABAAAADGVuVVMAAAAIAAAAHABzAFIARwBCbWx1YwAAAAAAAAABAAAADGVuVVMAAAAGAAAAHABDAEMAMAAAWFlaIAAAAAAAAPbWAAEAAAAA0y1zZjMyAAAAAAABDD8AAAXd///zJgAAB5AAAP2S///7of///aIAAAPcAADAcVhZWiAAAAAAAABvoAAAOPIAAAOPWFlaIAAAAAAAAGKWAAC3iQAAGNpYWVogAAAAAAAAJKAAAA+FAAC2xHBhcmEAAAAAAAMAAAACZmkAAPKnAAANWQAAE9AAAApb/9sAQwAQCwwODAoQDg0OEhEQExgoGhgWFhgxIyUdKDozPTw5Mzg3QEhcTkBEV0U3OFBtUVdfYmdoZz5NcXlwZHhcZWdj/9sAQwEREhIYFRgvGhovY0I4QmNjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2Nj/8AAEQgACAAQAwEiAAIRAQMRAf/EABQAAQAAAAAAAAAAAAAAAAAAAAD/xAAUEAEAAAAAAAAAAAAAAAAAAAAA/8QAFAEBAAAAAAAAAAAAAAAAAAAAAP/EABQRAQAAAAAAAAAAAAAAAAAAAAD/2gAMAwEAAhEDEQA/AAAP/9k=';

let turnsOnDecode: Promise<boolean> | undefined;
/** True when this browser applies the EXIF orientation although asked not to (Chromium does). */
function browserTurnsOnDecode(): Promise<boolean> {
  return (turnsOnDecode ??= createImageBitmap(new Blob([Uint8Array.from(atob(TAGGED_PROBE), (c) => c.charCodeAt(0))], { type: 'image/jpeg' }), DECODE_OPTIONS)
    .then((b) => { const turned = b.width < b.height; b.close(); return turned; })
    .catch(() => false));
}

async function handle(msg: WorkerRequest): Promise<WorkerReply> {
  const t0 = performance.now();
  if (msg.kind === 'md5') {
    const md5 = await createMD5();
    md5.init();
    for (let at = 0; at < msg.file.size; at += SLICE) {
      md5.update(new Uint8Array(await msg.file.slice(at, at + SLICE).arrayBuffer()));
      (self as unknown as Worker).postMessage({ id: msg.id, progress: Math.min(1, (at + SLICE) / msg.file.size) } satisfies WorkerReply);
    }
    return { id: msg.id, ok: true, md5: md5.digest('hex'), ms: performance.now() - t0 };
  }
  let bitmap: ImageBitmap;
  if (msg.kind === 'frame') bitmap = msg.bitmap;
  else {
    try {
      bitmap = await createImageBitmap(msg.file, DECODE_OPTIONS);
    } catch (err) {
      return { id: msg.id, ok: false, error: 'undecodable', message: String((err as Error).message ?? err).slice(0, 200) };
    }
  }
  const e = await pdqEngine();
  if (msg.kind === 'frame') {
    const r = e.hash(pixelsOf(bitmap));
    return { id: msg.id, ok: true, pdq: r.hash, quality: r.quality, engine: e.name, ms: performance.now() - t0 };
  }
  // PDQ on the stored pixels, as the reference and the server: undo the turn this browser made while decoding.
  const orientation = await orientationOf(msg.file);
  const shown = pixelsOf(bitmap);
  const pixels = isOrientation(orientation) && await browserTurnsOnDecode() ? storedPixelsFromShown(shown, orientation) : shown;
  const r = e.hash(pixels);
  const pdqMs = performance.now() - t0;
  const robust = robustPhotoSignals(pixels, orientation, 'bank', await pictureKernels());
  return { id: msg.id, ok: true, pdq: r.hash, quality: r.quality, engine: e.name, regionDct: robust.regionDct ?? [], regionMag: robust.regionMag ?? [], pdqMs, ms: performance.now() - t0 };
}

/** The EXIF orientation tag (1..8) of a photo, or undefined (none, unreadable): the core turns the pixels by it. */
async function orientationOf(file: Blob): Promise<number | undefined> {
  try {
    return (await exifOrientation(file)) ?? undefined;
  } catch {
    return undefined;
  }
}

self.onmessage = (e: MessageEvent<WorkerRequest>) => {
  handle(e.data).then(
    (r) => (self as unknown as Worker).postMessage(r),
    (err) => (self as unknown as Worker).postMessage({ id: e.data.id, ok: false, error: 'failed', message: String((err as Error)?.message ?? err).slice(0, 200) } satisfies WorkerReply),
  );
};
