/**
 * The robust signals' kernels (core/picture/picture-kernels.ts) on the WebAssembly SIMD module of PDQ
 * (wasm/pdq/assembly/picture.ts, in the same module as PDQ's own functions): the same values as the JS core bit for
 * bit. Pure: the caller hands over the module's bytes or a compiled module (Node: io/wasm/read-pdq-wasm.ts; a
 * browser: fetch), so one module serves Node worker threads and the browser. An instance of its own, so that its
 * buffers never meet PDQ's. Null where WebAssembly SIMD is missing; the caller keeps the JS kernels.
 * Memory: a fixed region (tables, one grid and its scratch) and, after it, the picture being reduced to a plane or
 * the summed-area table being read (kept there, not copied out: WasmAreaTable); it grows to the largest picture seen, up to RESIDENT_LIMIT_BYTES, past which a
 * picture's plane is made by the JS core (the same values).
 */
import type { PixelGrid } from '../../signals/pdq/pixel-grid.js';
import { pdqWordsToHex } from '../../signals/pdq/pdq-hex.js';
import { wasmSimdSupported } from '../../signals/pdq/wasm/pdq-wasm.js';
import { areaSplits, lumaPlaneFromPixels, lumaPlaneSize, PLANE_MAX_SIDE, type LumaPlane } from '../luma-plane.js';
import { columnsMostlyOther as jsColumnsMostlyOther, rowsMostlyOther as jsRowsMostlyOther, trimFlatBorders as jsTrimFlatBorders } from '../content-box.js';
import { fillEdges as jsFillEdges, type FillEdges } from '../rotation.js';
import { areaTable as jsAreaTable, type AreaTable, type Rect } from '../region-grid.js';
import type { RegionHash } from '../region-hash.js';
import { COARSE_PLANES, LOW_DCT_MATRIX } from '../coarse-hash.js';
import { balancedMagnitudes, logMagnitude, MAGNITUDE_COS, MAGNITUDE_DIMS, MAGNITUDE_FREQS, MAGNITUDE_HANN, MAGNITUDE_PLANES, MAGNITUDE_SIN } from '../magnitude-hash.js';
import type { PictureKernels } from '../picture-kernels.js';

/** The module's exports used here (core is compiled without DOM or Node types). */
interface PictureExports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  lumaPlane(...args: number[]): void;
  areaTable(plane: number, w: number, h: number, sums: number): void;
  regionGrid(sums: number, tw: number, th: number, x0: number, y0: number, x1: number, y1: number, grid: number, scratch: number): void;
  lowDct(grid: number, d: number, dt: number, t: number, out: number): void;
  simHash(values: number, n: number, planes: number, ranks: number, words: number): void;
  magnitudeSums(grid: number, hann: number, cos: number, sin: number, pairCos: number, pairSin: number, freqU: number, w: number, re: number, im: number, out: number): void;
  quality(grid: number): number;
  trimFlatBorders(plane: number, w: number, h: number, box: number, low: number, high: number): void;
  fillEdges(plane: number, w: number, h: number, fill: number, left: number, right: number, top: number, bottom: number): void;
  rowsMostlyOther(plane: number, w: number, h: number, bg: number, out: number): void;
  columnsMostlyOther(plane: number, w: number, from: number, to: number, bg: number, near: number, out: number): void;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  compile(bytes: Uint8Array): Promise<object>;
  instantiate(module: object, imports: object): Promise<{ exports: PictureExports }>;
}

/** Past this much memory, a picture's plane is made in JS, so that a thread does not keep the memory. */
export const RESIDENT_LIMIT_BYTES = 32 * 1024 * 1024;
const PAGE = 65536;

/** Lays out buffers one after another, 16-byte aligned. */
class Layout {
  constructor(public end: number) {}
  take(bytes: number): number {
    const at = this.end;
    this.end += Math.ceil(bytes / 16) * 16;
    return at;
  }
}

// The fixed region, from 64 KiB (below it: the module's own data).
const fixed = new Layout(65536);
const LOW_D = fixed.take(8 * 64 * 8);
const LOW_DT = fixed.take(64 * 8 * 8);
const HANN = fixed.take(64 * 8);
const COS = fixed.take(9 * 64 * 8);
const SIN = fixed.take(9 * 64 * 8);
// The hyperplanes' signs as i16 (the module's SimHash multiplies them with the i16 ranks, 8 at a time).
const DCT_PLANES = fixed.take(256 * 64 * 2);
const MAG_PLANES = fixed.take(256 * MAGNITUDE_DIMS * 2);
// The cos and sin rows of kept frequencies 2p and 2p + 1 interleaved (20 x 64 x 2 f64), and each one's u.
const PAIR_COS = fixed.take(MAGNITUDE_DIMS * 64 * 8);
const PAIR_SIN = fixed.take(MAGNITUDE_DIMS * 64 * 8);
const FREQ_U = fixed.take(MAGNITUDE_DIMS * 4);
const GRID = fixed.take(64 * 64 * 4);
const SCRATCH = fixed.take(3184 + 65 * 65 * 8 + 8 + 528);
const DCT_T = fixed.take(8 * 64 * 8);
const VALUES = fixed.take(64 * 8);
const RANKS = fixed.take(64 * 2);
const WORDS = fixed.take(8 * 4);
const MAG_W = fixed.take(64 * 64 * 8);
const MAG_RE = fixed.take(5 * 64 * 8);
const MAG_IM = fixed.take(5 * 64 * 8);
const MAG_OUT = fixed.take(2 * MAGNITUDE_DIMS * 8);
// trimFlatBorders' box (4 i32) and its lines' lowest and highest values (float32; lines up to TRIM_MAX_SIDE).
const TRIM_BOX = fixed.take(16);
const TRIM_RANKS = 256;
const TRIM_MAX_SIDE = 12000;
const TRIM_LOW = fixed.take(TRIM_RANKS * 4);
const TRIM_HIGH = fixed.take(TRIM_RANKS * 4);
/** Where the variable part starts: a picture being reduced, or the summed-area table being read (at VAR). */
const VAR = fixed.end;

/**
 * A summed-area table made in the module: its sums stay in the module's memory while they are the ones there, and
 * are copied out only if something reads them (the JS kernels, a test). Once other work has overwritten them they
 * are made again from the plane (the same values), so no table is copied out of the module in the usual case.
 */
class WasmAreaTable implements AreaTable {
  readonly width: number;
  readonly height: number;
  private copy?: Float64Array;

  constructor(readonly plane: LumaPlane, private readonly kernels: WasmPictureKernels) {
    this.width = plane.width;
    this.height = plane.height;
  }

  get sums(): Float64Array {
    return (this.copy ??= this.kernels.sumsOf(this));
  }
}

class WasmPictureKernels implements PictureKernels {
  readonly name = 'wasm-simd';
  /** The table whose sums are at VAR now (undefined: none; a plane made since overwrote it). */
  private resident?: AreaTable;
  /** Where a resident WasmAreaTable's plane is (behind its sums). */
  private residentPlaneAt = 0;

  constructor(private readonly e: PictureExports) {
    const buf = e.memory.buffer;
    new Float64Array(buf, LOW_D, 512).set(LOW_DCT_MATRIX);
    const dt = new Float64Array(buf, LOW_DT, 512);
    for (let i = 0; i < 8; i++) for (let k = 0; k < 64; k++) dt[k * 8 + i] = LOW_DCT_MATRIX[i * 64 + k];
    new Float64Array(buf, HANN, 64).set(MAGNITUDE_HANN);
    new Float64Array(buf, COS, 9 * 64).set(MAGNITUDE_COS);
    new Float64Array(buf, SIN, 9 * 64).set(MAGNITUDE_SIN);
    new Int16Array(buf, DCT_PLANES, 256 * 64).set(COARSE_PLANES);
    new Int16Array(buf, MAG_PLANES, 256 * MAGNITUDE_DIMS).set(MAGNITUDE_PLANES);
    const pairCos = new Float64Array(buf, PAIR_COS, MAGNITUDE_DIMS * 64);
    const pairSin = new Float64Array(buf, PAIR_SIN, MAGNITUDE_DIMS * 64);
    const freqU = new Int32Array(buf, FREQ_U, MAGNITUDE_DIMS);
    MAGNITUDE_FREQS.forEach(([u, v], k) => {
      freqU[k] = u;
      for (let x = 0; x < 64; x++) {
        pairCos[(k >> 1) * 128 + x * 2 + (k & 1)] = MAGNITUDE_COS[(v + 4) * 64 + x];
        pairSin[(k >> 1) * 128 + x * 2 + (k & 1)] = MAGNITUDE_SIN[(v + 4) * 64 + x];
      }
    });
    // The module takes frequency 0's sums as plain sums (cos 1, sin +-0): true of these tables, checked here.
    for (let x = 0; x < 64; x++) {
      if (MAGNITUDE_COS[4 * 64 + x] !== 1 || MAGNITUDE_SIN[4 * 64 + x] !== 0) throw new Error('frequency 0 is not cos 1, sin 0');
    }
  }

  /** Views of the module's memory read after each region (made again when the memory has grown). */
  private view?: { buffer: ArrayBuffer; words: Uint32Array; sums: Float64Array; values: Float64Array };
  private views(): { words: Uint32Array; sums: Float64Array; values: Float64Array } {
    const buffer = this.e.memory.buffer;
    if (this.view?.buffer !== buffer) {
      this.view = { buffer, words: new Uint32Array(buffer, WORDS, 8), sums: new Float64Array(buffer, MAG_OUT, 2 * MAGNITUDE_DIMS), values: new Float64Array(buffer, VALUES, MAGNITUDE_DIMS) };
    }
    return this.view;
  }
  private readonly logs = new Float64Array(MAGNITUDE_DIMS);

  /** The module's memory, grown to `end` bytes; null when that is past the limit or cannot be had. */
  private memory(end: number): ArrayBuffer | null {
    if (end > RESIDENT_LIMIT_BYTES) return null;
    const mem = this.e.memory;
    const pages = Math.ceil(end / PAGE) - mem.buffer.byteLength / PAGE;
    if (pages > 0) {
      try {
        mem.grow(pages);
      } catch {
        return null;
      }
    }
    return mem.buffer;
  }

  lumaPlane(img: PixelGrid, maxSide = PLANE_MAX_SIDE): LumaPlane {
    const { width: w, height: h, channels: ch } = img;
    const { width: ow, height: oh } = lumaPlaneSize(w, h, maxSide);
    const n = w * h * ch;
    const l = new Layout(VAR);
    const px = l.take(n + 16);
    const cellX = l.take(w * 4);
    const shareX = l.take(w * 8);
    const cellY = l.take(h * 4);
    const shareY = l.take(h * 8);
    const rows = l.take((ow * oh + 2) * 8);
    // Two rows' cells, interleaved (the module reduces two rows at a time).
    const line = l.take((ow + 2) * 16);
    // Two rows' luma (and 3 entries past each), and 16 bytes past the pixels for the last row's last four.
    const lumas = l.take(2 * (w + 4) * 8);
    // Each output column's first pixel, and one past the last.
    const firsts = l.take((ow + 1) * 4);
    // The plane, and 16 bytes past it (the last row's last group of four, when not reduced).
    const out = l.take(ow * oh * 4 + 16);
    const buf = this.memory(l.end);
    if (!buf) return lumaPlaneFromPixels(img, maxSide);
    this.resident = undefined;
    new Uint8Array(buf, px, n).set(img.data.length === n ? img.data : img.data.subarray(0, n));
    // The area splits (not read when the plane is the picture's own size).
    if (ow !== w || oh !== h) {
      const xs = areaSplits(w, ow);
      const ys = areaSplits(h, oh);
      new Int32Array(buf, cellX, w).set(xs.cell);
      new Float64Array(buf, shareX, w).set(xs.share);
      new Int32Array(buf, cellY, h).set(ys.cell);
      new Float64Array(buf, shareY, h).set(ys.share);
    }
    this.e.lumaPlane(px, ch, w, h, cellX, shareX, cellY, shareY, ow, oh, (w / ow) * (h / oh), rows, line, lumas, firsts, out);
    // A typed array's slice copies straight out; ArrayBuffer.slice took ~2.5x as long (~120 µs for 256x256).
    return { width: ow, height: oh, data: new Float32Array(buf, out, ow * oh).slice() };
  }

  areaTable(plane: LumaPlane): AreaTable {
    const table = new WasmAreaTable(plane, this);
    if (!this.build(table)) return jsAreaTable(plane);
    return table;
  }

  /** Makes a table's sums at VAR from its plane; false when the memory cannot be had. */
  private build(t: WasmAreaTable): boolean {
    const { width: w, height: h } = t.plane;
    const l = new Layout(VAR);
    const sums = l.take((w + 1) * (h + 1) * 8);
    const at = l.take(w * h * 4);
    const buf = this.memory(l.end);
    if (!buf) return false;
    new Float32Array(buf, at, w * h).set(t.plane.data.subarray(0, w * h));
    this.e.areaTable(at, w, h, sums);
    this.resident = t;
    this.residentPlaneAt = at;
    return true;
  }

  /** Where the plane of the table made last is in the module's memory, or -1 when `plane` is not that plane. */
  private residentPlane(plane: LumaPlane): number {
    const t = this.resident;
    return t instanceof WasmAreaTable && t.plane === plane ? this.residentPlaneAt : -1;
  }

  /** Room for `bytes` of results after the resident plane (the table's sums and plane stay put), or null. */
  private afterPlane(at: number, plane: LumaPlane, bytes: number[]): { buf: ArrayBuffer; at: number[] } | null {
    if (at < 0) return null;
    const l = new Layout(at + Math.ceil((plane.width * plane.height * 4) / 16) * 16);
    const offsets = bytes.map((b) => l.take(b));
    const buf = this.memory(l.end);
    return buf && { buf, at: offsets };
  }

  /** rowsMostlyOther in the module on the plane of the table made last (as trimFlatBorders); else the JS core. */
  rowsMostlyOther(plane: LumaPlane, bg: number): boolean[] {
    const room = this.afterPlane(this.residentPlane(plane), plane, [plane.height]);
    if (!room) return jsRowsMostlyOther(plane, bg);
    this.e.rowsMostlyOther(this.residentPlane(plane), plane.width, plane.height, bg, room.at[0]);
    return Array.from(new Uint8Array(room.buf, room.at[0], plane.height), (b) => b === 1);
  }

  /** columnsMostlyOther in the module on the plane of the table made last, for whole rows inside it; else the JS core. */
  columnsMostlyOther(plane: LumaPlane, from: number, to: number, bg: number): boolean[] {
    const w = plane.width;
    const rows = Number.isInteger(from) && Number.isInteger(to) && from >= 0 && to <= plane.height && from < to;
    const room = rows ? this.afterPlane(this.residentPlane(plane), plane, [w * 4, w]) : null;
    if (!room) return jsColumnsMostlyOther(plane, from, to, bg);
    this.e.columnsMostlyOther(this.residentPlane(plane), w, from, to, bg, room.at[0], room.at[1]);
    return Array.from(new Uint8Array(room.buf, room.at[1], w), (b) => b === 1);
  }

  /** fillEdges in the module on the plane of the table made last (as trimFlatBorders); the JS core on any other. */
  fillEdges(plane: LumaPlane, fill: number): FillEdges {
    const at = this.residentPlane(plane);
    const { width: w, height: h } = plane;
    // The four edges after the plane (the table's sums and plane stay put).
    const l = new Layout(at + Math.ceil((w * h * 4) / 16) * 16);
    const left = l.take(h * 8);
    const right = l.take(h * 8);
    const top = l.take(w * 8);
    const bottom = l.take(w * 8);
    const buf = at < 0 ? null : this.memory(l.end);
    if (!buf) return jsFillEdges(plane, fill);
    this.e.fillEdges(at, w, h, fill, left, right, top, bottom);
    const edge = (p: number, n: number) => new Float64Array(buf, p, n).slice();
    return { left: edge(left, h), right: edge(right, h), top: edge(top, w), bottom: edge(bottom, w) };
  }

  /**
   * trimFlatBorders in the module, on the plane of the table made last, which stays in the module's memory behind
   * its sums (a context makes the table first): no copy. Any other plane, or a box not of whole pixels inside the
   * plane, is trimmed by the JS core (the same box).
   */
  trimFlatBorders(plane: LumaPlane, box: Rect = { x0: 0, y0: 0, x1: plane.width, y1: plane.height }): Rect {
    const at = this.residentPlane(plane);
    const { width: w, height: h } = plane;
    const whole = (v: number, side: number) => Number.isInteger(v) && v >= 0 && v <= side;
    if (at < 0 || Math.max(w, h) > TRIM_MAX_SIDE || !whole(box.x0, w) || !whole(box.x1, w) ||
      !whole(box.y0, h) || !whole(box.y1, h) || box.x1 < box.x0 || box.y1 < box.y0) return jsTrimFlatBorders(plane, box);
    const b = new Int32Array(this.e.memory.buffer, TRIM_BOX, 4);
    b[0] = box.x0; b[1] = box.y0; b[2] = box.x1; b[3] = box.y1;
    this.e.trimFlatBorders(at, w, h, TRIM_BOX, TRIM_LOW, TRIM_HIGH);
    return { x0: b[0], y0: b[1], x1: b[2], y1: b[3] };
  }

  /** A copy of a table's sums: from the module's memory while they are there, else made again in JS (the same values). */
  sumsOf(t: WasmAreaTable): Float64Array {
    if (this.resident !== t) return jsAreaTable(t.plane).sums;
    const n = (t.width + 1) * (t.height + 1);
    return new Float64Array(this.e.memory.buffer, VAR, n).slice();
  }

  /** The region's 64x64 grid at GRID (the table's sums made or copied in first unless they are there already). */
  private grid(t: AreaTable, rect: Rect): void {
    if (this.resident !== t) {
      if (!(t instanceof WasmAreaTable) || !this.build(t)) {
        const buf = this.memory(VAR + t.sums.length * 8);
        if (!buf) throw new RangeError(`table ${t.width}x${t.height} is too large`);
        new Float64Array(buf, VAR, t.sums.length).set(t.sums);
        this.resident = t;
      }
    }
    this.e.regionGrid(VAR, t.width, t.height, rect.x0, rect.y0, rect.x1, rect.y1, GRID, SCRATCH);
  }

  private words(): string {
    return pdqWordsToHex(this.views().words);
  }

  hashRegion(t: AreaTable, rect: Rect): RegionHash {
    this.grid(t, rect);
    const e = this.e;
    e.lowDct(GRID, LOW_D, LOW_DT, DCT_T, VALUES);
    e.simHash(VALUES, 64, DCT_PLANES, RANKS, WORDS);
    return { hash: this.words(), quality: e.quality(GRID) };
  }

  hashRegionMagnitudes(t: AreaTable, rect: Rect): RegionHash {
    this.grid(t, rect);
    const e = this.e;
    e.magnitudeSums(GRID, HANN, COS, SIN, PAIR_COS, PAIR_SIN, FREQ_U, MAG_W, MAG_RE, MAG_IM, MAG_OUT);
    const { sums, values } = this.views();
    const logs = this.logs;
    // The logs and their balancing in JS, with the JS core's own functions (wasm has no log); the ranks and the
    // SimHash in wasm, as for region_dct (in JS they cost ~30 µs a value, 20 values a looked-up photo).
    for (let k = 0; k < MAGNITUDE_DIMS; k++) logs[k] = logMagnitude(sums[2 * k], sums[2 * k + 1]);
    balancedMagnitudes(logs, values);
    e.simHash(VALUES, MAGNITUDE_DIMS, MAG_PLANES, RANKS, WORDS);
    return { hash: this.words(), quality: e.quality(GRID) };
  }
}

/**
 * The WebAssembly kernels from the module's bytes or a compiled module (WebAssembly.Module); null where WebAssembly
 * SIMD is missing or the module does not load.
 * @example const kernels = (await createWasmPictureKernels(bytes)) ?? jsPictureKernels;
 */
export async function createWasmPictureKernels(source: Uint8Array | object): Promise<PictureKernels | null> {
  const api = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
  if (!api || !wasmSimdSupported()) return null;
  try {
    if (source instanceof Uint8Array && !api.validate(source)) return null;
    const module = source instanceof Uint8Array ? await api.compile(source) : source;
    const instance = await api.instantiate(module, {});
    const e = instance.exports;
    if (typeof e.regionGrid !== 'function' || typeof e.magnitudeSums !== 'function' || typeof e.trimFlatBorders !== 'function' || typeof e.fillEdges !== 'function' ||
      typeof e.rowsMostlyOther !== 'function') return null;
    const end = VAR + PAGE;
    const pages = Math.ceil(end / PAGE) - e.memory.buffer.byteLength / PAGE;
    if (pages > 0) e.memory.grow(pages);
    return new WasmPictureKernels(e);
  } catch {
    return null;
  }
}
