/**
 * The PDQ engine backed by the WebAssembly SIMD module built from wasm/pdq/assembly/pdq-simd.ts. Pure: the caller
 * hands over the module's bytes (Node: io/wasm/read-pdq-wasm.ts; a browser: fetch) or a compiled module, so one
 * module serves Node worker threads and the browser. Returns null where WebAssembly SIMD is missing, and the caller
 * keeps the JS core. Same floats as the JS core bit for bit (the module keeps its order of float32 operations).
 * Memory: one resident instance grows to the largest image it has hashed, up to RESIDENT_LIMIT_BYTES; a larger
 * image gets a throwaway instance (freed after it), and if even that cannot get its memory, the JS core.
 */
import type { PixelGrid } from '../pixel-grid.js';
import type { BlurWindows } from '../scaled-windows.js';
import { jaroszWindow } from '../jarosz-blur.js';
import { DCT_MATRIX } from '../pdq-dct.js';
import { pdqWordsToHex } from '../pdq-hex.js';
import { PDQ_ZERO_HASH, type PdqResult } from '../pdq-hash.js';
import { createJsPdqEngine, tooSmallForPdq, type PdqAnalysis, type PdqEngine, type PdqFrameStream } from '../pdq-engine.js';

/** The parts of the WebAssembly API used here (core is compiled without DOM or Node types). */
interface WasmMemory { buffer: ArrayBuffer; grow(pages: number): number }
interface WasmExports {
  memory: WasmMemory;
  blurDecimate(...args: number[]): void;
  blurRows(...args: number[]): void;
  blurRest(...args: number[]): void;
  dct(grid: number, d: number, dt: number, t: number, out: number): void;
  quality(grid: number): number;
  threshold(coefficients: number, scratch: number, words: number): void;
}
interface WasmInstance { exports: WasmExports }
/** A compiled module (WebAssembly.Module), opaque here. */
export type PdqWasmModule = object;
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  compile(bytes: Uint8Array): Promise<PdqWasmModule>;
  instantiate(module: PdqWasmModule, imports: object): Promise<WasmInstance>;
  Instance: new (module: PdqWasmModule, imports: object) => WasmInstance;
}

function wasmApi(): WasmApi | undefined {
  return (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
}

/** (func (param i32) (result v128) local.get 0 i32x4.splat): valid only where the runtime has 128-bit SIMD. */
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 6, 1, 0x60, 1, 0x7f, 1, 0x7b, 3, 2, 1, 0,
  10, 8, 1, 6, 0, 0x20, 0, 0xfd, 0x11, 0x0b]);

/**
 * True when this runtime runs WebAssembly with 128-bit SIMD.
 * @example wasmSimdSupported() // true in Node 20 and current browsers
 */
export function wasmSimdSupported(): boolean {
  try {
    return wasmApi()?.validate(SIMD_PROBE) === true;
  } catch {
    return false;
  }
}

/** Above this much memory, an image is hashed in a throwaway instance, so that a worker does not keep it. */
export const RESIDENT_LIMIT_BYTES = 32 * 1024 * 1024;
const PAGE = 65536;
// Fixed region (one per instance) from 64 KiB: DCT matrix and its transpose, scratch, sample indices, grid.
const FIXED = 65536;
const DCT_D = FIXED;
const DCT_DT = FIXED + 4096;
const DCT_T = FIXED + 8192;
const COEFFS = FIXED + 12288;
const SCRATCH = FIXED + 13312;
const WORDS = FIXED + 14336;
const SAMPLE_COLS = FIXED + 14400;
const SAMPLE_ROWS = FIXED + 14656;
const GRID = FIXED + 14912;
const PER_IMAGE = FIXED + 32768;

const up16 = (n: number) => Math.ceil(n / 16) * 16;

/** Where each buffer of one image goes, in bytes (see the module's header for what it needs). */
function layout(width: number, height: number, channels: number) {
  const stride = up16(width);
  const rowsP = up16(height);
  const px = PER_IMAGE;
  const a = px + up16(width * height * channels + 64);
  const b = a + stride * rowsP * 4;
  const stripIn = b + stride * rowsP * 4;
  const stripOut = stripIn + stride * 64;
  const sampled = stripOut + stride * 64;
  const sampledBlur = sampled + rowsP * 256;
  return { stride, rowsP, px, a, b, stripIn, stripOut, sampled, sampledBlur, end: sampledBlur + rowsP * 256 };
}

function prepare(instance: WasmInstance): WasmInstance {
  const f32 = new Float32Array(instance.exports.memory.buffer);
  f32.set(DCT_MATRIX, DCT_D / 4);
  for (let j = 0; j < 16; j++) for (let k = 0; k < 64; k++) f32[DCT_DT / 4 + k * 16 + j] = DCT_MATRIX[j * 64 + k];
  return instance;
}

/** The 64 columns and rows the grid samples, into the fixed region. */
function setSamples(buf: ArrayBuffer, width: number, height: number): void {
  const cols = new Int32Array(buf, SAMPLE_COLS, 64);
  const rows = new Int32Array(buf, SAMPLE_ROWS, 64);
  for (let j = 0; j < 64; j++) {
    cols[j] = Math.floor(((j + 0.5) * width) / 64);
    rows[j] = Math.floor(((j + 0.5) * height) / 64);
  }
}

/**
 * Frames of one size written piece by piece straight into the module's memory (a video pipe), in an instance of
 * their own: the rows written are turned to luma and blurred along while still in cache, and nothing else
 * hashed in the thread meanwhile can touch this frame's buffers.
 */
class WasmFrameStream implements PdqFrameStream {
  private done = 0;
  private readonly l: ReturnType<typeof layout>;
  private readonly wH: number;
  private readonly wV: number;

  constructor(private readonly instance: WasmInstance, private readonly width: number, private readonly height: number, private readonly channels: number) {
    this.l = layout(width, height, channels);
    this.wH = jaroszWindow(width);
    this.wV = jaroszWindow(height);
  }

  buffer(): Uint8Array {
    this.done = 0;
    return new Uint8Array(this.instance.exports.memory.buffer, this.l.px, this.width * this.height * this.channels);
  }

  written(bytes: number): void {
    const rows = Math.floor(bytes / (this.width * this.channels));
    const upTo = rows >= this.height ? this.l.rowsP : rows - (rows % 16);
    if (upTo <= this.done) return;
    const { l } = this;
    this.instance.exports.blurRows(l.px, this.channels, this.width, this.height, l.stride, this.wH, l.a, l.stripIn, l.stripOut, this.done, upTo);
    this.done = upTo;
  }

  finish(): PdqResult {
    this.written(this.width * this.height * this.channels);
    const { l } = this;
    const e = this.instance.exports;
    setSamples(e.memory.buffer, this.width, this.height);
    e.blurRest(this.width, this.height, l.stride, l.rowsP, this.wH, this.wV, l.a, l.b, l.stripIn, l.stripOut, l.sampled, l.sampledBlur, SAMPLE_COLS, SAMPLE_ROWS, GRID);
    e.dct(GRID, DCT_D, DCT_DT, DCT_T, COEFFS);
    const quality = e.quality(GRID);
    e.threshold(COEFFS, SCRATCH, WORDS);
    return { hash: pdqWordsToHex(new Uint32Array(e.memory.buffer, WORDS, 8)), quality };
  }
}

class WasmPdqEngine implements PdqEngine {
  readonly name = 'wasm-simd' as const;
  private readonly js = createJsPdqEngine();

  constructor(private readonly module: PdqWasmModule, private readonly resident: WasmInstance, private readonly api: WasmApi) {}

  /** Runs the module on one image; leaves grid, coefficients, words and returns quality; null: no memory for it. */
  private run(img: PixelGrid, windows?: BlurWindows): { instance: WasmInstance; quality: number } | null {
    const { width, height, channels } = img;
    const l = layout(width, height, channels);
    let instance = this.resident;
    try {
      if (l.end > RESIDENT_LIMIT_BYTES) instance = prepare(new this.api.Instance(this.module, {}));
      const mem = instance.exports.memory;
      const pages = Math.ceil(l.end / PAGE) - mem.buffer.byteLength / PAGE;
      if (pages > 0) mem.grow(pages);
    } catch {
      return null;
    }
    const buf = instance.exports.memory.buffer;
    const n = width * height * channels;
    new Uint8Array(buf, l.px, n).set(img.data.length === n ? img.data : img.data.subarray(0, n));
    setSamples(buf, width, height);
    const e = instance.exports;
    e.blurDecimate(l.px, channels, width, height, l.stride, l.rowsP,
      windows?.alongRows ?? jaroszWindow(width), windows?.alongCols ?? jaroszWindow(height),
      l.a, l.b, l.stripIn, l.stripOut, l.sampled, l.sampledBlur, SAMPLE_COLS, SAMPLE_ROWS, GRID);
    e.dct(GRID, DCT_D, DCT_DT, DCT_T, COEFFS);
    return { instance, quality: e.quality(GRID) };
  }

  hash(img: PixelGrid, windows?: BlurWindows): PdqResult {
    if (tooSmallForPdq(img)) return { hash: PDQ_ZERO_HASH, quality: 0 };
    const r = this.run(img, windows);
    if (!r) return this.js.hash(img, windows);
    r.instance.exports.threshold(COEFFS, SCRATCH, WORDS);
    return { hash: pdqWordsToHex(new Uint32Array(r.instance.exports.memory.buffer, WORDS, 8)), quality: r.quality };
  }

  frames(width: number, height: number, channels: number): PdqFrameStream | null {
    if (width < 5 || height < 5) return null;
    const l = layout(width, height, channels);
    if (l.end > RESIDENT_LIMIT_BYTES) return null;
    try {
      const instance = prepare(new this.api.Instance(this.module, {}));
      const mem = instance.exports.memory;
      const pages = Math.ceil(l.end / PAGE) - mem.buffer.byteLength / PAGE;
      if (pages > 0) mem.grow(pages);
      return new WasmFrameStream(instance, width, height, channels);
    } catch {
      return null;
    }
  }

  analyse(img: PixelGrid, windows?: BlurWindows): PdqAnalysis | null {
    if (tooSmallForPdq(img)) return null;
    const r = this.run(img, windows);
    if (!r) return this.js.analyse(img, windows);
    const buf = r.instance.exports.memory.buffer;
    return {
      grid: new Float32Array(buf.slice(GRID, GRID + 16384)),
      coefficients: new Float32Array(buf.slice(COEFFS, COEFFS + 1024)),
      quality: r.quality,
    };
  }
}

/**
 * The WebAssembly SIMD engine from the module's bytes or a compiled module; null where WebAssembly SIMD is missing
 * (or the runtime refuses the module: an old engine without bulk memory operations).
 * @example const engine = (await createWasmPdqEngine(bytes)) ?? createJsPdqEngine();
 */
export async function createWasmPdqEngine(source: Uint8Array | PdqWasmModule): Promise<PdqEngine | null> {
  const api = wasmApi();
  if (!api || !wasmSimdSupported()) return null;
  if (source instanceof Uint8Array && !api.validate(source)) return null;
  const module = source instanceof Uint8Array ? await api.compile(source) : source;
  const instance = prepare(await api.instantiate(module, {}));
  return new WasmPdqEngine(module, instance, api);
}
