/**
 * PDQ for a stream of same-size RGB24 video frames, bit-exact with `hashPdqPixels` but about twice as fast:
 * buffers are reused from frame to frame, luma comes from lookup tables, and the second blur round is only
 * computed where the 64x64 decimation samples it (every running sum is still carried through in the reference's
 * order, so each sampled value is the reference's float32 value).
 *
 * Why the shortcuts stay exact: x * (1 / n) rounded to float32 equals x / n rounded to float32 for a float32 x and
 * an integer window count n < 2^20 — the exact quotient is never within 2^-32 (relative) of a float32 rounding
 * midpoint, and both double results are within 2^-52 of it. The property test beside this file checks it.
 */
import { jaroszWindow } from '../pdq/jarosz-blur.js';
import { dct64To16, thresholdToHex } from '../pdq/pdq-dct.js';
import { PDQ_MIN_DIMENSION, PDQ_ZERO_HASH, pdqQuality, type PdqResult } from '../pdq/pdq-hash.js';

const fr = Math.fround;
/** fr(0.114 * b), and fr(fr(0.299 * r) + fr(0.587 * g)) at index r * 256 + g (256 KB): luma is one add per pixel. */
const LUMA_B = new Float32Array(256);
const LUMA_RG = new Float32Array(256 * 256);
for (let v = 0; v < 256; v++) LUMA_B[v] = fr(0.114) * v;
for (let r = 0; r < 256; r++) {
  for (let g = 0; g < 256; g++) LUMA_RG[(r << 8) | g] = fr(fr(0.299) * r) + fr(fr(0.587) * g);
}

/** The reference's four phases of a box filter of window w over n samples: lengths p1..p4. */
function phases(w: number, n: number): [number, number, number, number] {
  const half = Math.floor((w + 2) / 2);
  return [half - 1, w - half + 1, n - w, half - 1];
}

/** Horizontal box filter of one row starting at base; when keep is given, only the columns it marks are written. */
function boxRow(input: Float32Array, out: Float32Array, base: number, cols: number, w: number, keep?: Uint8Array): void {
  const [p1, p2, p3, p4] = phases(w, cols);
  let ri = base;
  let li = base;
  let oi = base;
  let count = 0;
  let col = 0;
  let s = 0;
  for (let i = 0; i < p1; i++, ri++) { s = fr(s + input[ri]); count++; }
  for (let i = 0; i < p2; i++, ri++, oi++, col++) {
    count++;
    s = fr(s + input[ri]);
    if (keep === undefined || keep[col] === 1) out[oi] = s * (1 / count);
  }
  const inv = 1 / count;
  for (let i = 0; i < p3; i++, ri++, li++, oi++, col++) {
    s = fr(fr(s + input[ri]) - input[li]);
    if (keep === undefined || keep[col] === 1) out[oi] = s * inv;
  }
  for (let i = 0; i < p4; i++, li++, oi++, col++) {
    count--;
    s = fr(s - input[li]);
    if (keep === undefined || keep[col] === 1) out[oi] = s * (1 / count);
  }
}

/**
 * The same filter on four rows at once, their running sums in four locals: four independent chains of float32
 * adds keep the CPU busy where one chain would wait on each add (about 3x faster than row by row).
 */
function boxFourRows(input: Float32Array, out: Float32Array, base: number, cols: number, w: number, keep?: Uint8Array): void {
  const [p1, p2, p3, p4] = phases(w, cols);
  const c1 = cols;
  const c2 = 2 * cols;
  const c3 = 3 * cols;
  let ri = base;
  let li = base;
  let oi = base;
  let count = 0;
  let col = 0;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  for (let i = 0; i < p1; i++, ri++) {
    s0 = fr(s0 + input[ri]); s1 = fr(s1 + input[ri + c1]); s2 = fr(s2 + input[ri + c2]); s3 = fr(s3 + input[ri + c3]);
    count++;
  }
  for (let i = 0; i < p2; i++, ri++, oi++, col++) {
    count++;
    s0 = fr(s0 + input[ri]); s1 = fr(s1 + input[ri + c1]); s2 = fr(s2 + input[ri + c2]); s3 = fr(s3 + input[ri + c3]);
    if (keep === undefined || keep[col] === 1) {
      const inv = 1 / count;
      out[oi] = s0 * inv; out[oi + c1] = s1 * inv; out[oi + c2] = s2 * inv; out[oi + c3] = s3 * inv;
    }
  }
  const inv = 1 / count;
  for (let i = 0; i < p3; i++, ri++, li++, oi++, col++) {
    s0 = fr(fr(s0 + input[ri]) - input[li]);
    s1 = fr(fr(s1 + input[ri + c1]) - input[li + c1]);
    s2 = fr(fr(s2 + input[ri + c2]) - input[li + c2]);
    s3 = fr(fr(s3 + input[ri + c3]) - input[li + c3]);
    if (keep === undefined || keep[col] === 1) {
      out[oi] = s0 * inv; out[oi + c1] = s1 * inv; out[oi + c2] = s2 * inv; out[oi + c3] = s3 * inv;
    }
  }
  for (let i = 0; i < p4; i++, li++, oi++, col++) {
    count--;
    s0 = fr(s0 - input[li]); s1 = fr(s1 - input[li + c1]); s2 = fr(s2 - input[li + c2]); s3 = fr(s3 - input[li + c3]);
    if (keep === undefined || keep[col] === 1) {
      const inv4 = 1 / count;
      out[oi] = s0 * inv4; out[oi + c1] = s1 * inv4; out[oi + c2] = s2 * inv4; out[oi + c3] = s3 * inv4;
    }
  }
}

/** Horizontal box filter of every row (four at a time, then the rest one by one). */
function boxRows(input: Float32Array, out: Float32Array, rows: number, cols: number, w: number, keep?: Uint8Array): void {
  let r = 0;
  for (; r + 4 <= rows; r += 4) boxFourRows(input, out, r * cols, cols, w, keep);
  for (; r < rows; r++) boxRow(input, out, r * cols, cols, w, keep);
}

/** Float32 luminance of n packed RGB pixels, as the reference computes it (r*0.299 + g*0.587) + b*0.114. */
function lumaOfRgb(rgb: Uint8Array, out: Float32Array, n: number): void {
  for (let i = 0, p = 0; i < n; i++, p += 3) out[i] = LUMA_RG[(rgb[p] << 8) | rgb[p + 1]] + LUMA_B[rgb[p + 2]];
}

/** Sampled columns of every row of a rows x cols grid into a rows x 64 grid. */
function gatherColumns(input: Float32Array, out: Float32Array, rows: number, cols: number, sampleCols: Int32Array): void {
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    const o = r * 64;
    for (let j = 0; j < 64; j++) out[o + j] = input[base + sampleCols[j]];
  }
}

/** Vertical box filter of columns c0 .. c1-1 (one running sum per column in sums, swept row by row). */
function boxColRange(input: Float32Array, out: Float32Array, rows: number, cols: number, c0: number, c1: number, w: number, sums: Float32Array): void {
  const [p1, p2, p3, p4] = phases(w, rows);
  sums.fill(0, c0, c1);
  let li = 0;
  let ri = 0;
  let oi = 0;
  let count = 0;
  for (let i = 0; i < p1; i++, ri += cols) {
    for (let c = c0; c < c1; c++) sums[c] = sums[c] + input[ri + c];
    count++;
  }
  for (let i = 0; i < p2; i++, ri += cols, oi += cols) {
    count++;
    const inv = 1 / count;
    for (let c = c0; c < c1; c++) { const s = fr(sums[c] + input[ri + c]); sums[c] = s; out[oi + c] = s * inv; }
  }
  const inv = 1 / count;
  for (let i = 0; i < p3; i++, ri += cols, li += cols, oi += cols) {
    for (let c = c0; c < c1; c++) { const s = fr(fr(sums[c] + input[ri + c]) - input[li + c]); sums[c] = s; out[oi + c] = s * inv; }
  }
  for (let i = 0; i < p4; i++, li += cols, oi += cols) {
    count--;
    const inv4 = 1 / count;
    for (let c = c0; c < c1; c++) { const s = fr(sums[c] - input[li + c]); sums[c] = s; out[oi + c] = s * inv4; }
  }
}

/** The vertical filter on four neighbouring columns from c0, their running sums in locals (no sums array traffic). */
function boxFourCols(input: Float32Array, out: Float32Array, rows: number, cols: number, c0: number, w: number): void {
  const [p1, p2, p3, p4] = phases(w, rows);
  let li = c0;
  let ri = c0;
  let oi = c0;
  let count = 0;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  for (let i = 0; i < p1; i++, ri += cols) {
    s0 = fr(s0 + input[ri]); s1 = fr(s1 + input[ri + 1]); s2 = fr(s2 + input[ri + 2]); s3 = fr(s3 + input[ri + 3]);
    count++;
  }
  for (let i = 0; i < p2; i++, ri += cols, oi += cols) {
    count++;
    const inv = 1 / count;
    s0 = fr(s0 + input[ri]); s1 = fr(s1 + input[ri + 1]); s2 = fr(s2 + input[ri + 2]); s3 = fr(s3 + input[ri + 3]);
    out[oi] = s0 * inv; out[oi + 1] = s1 * inv; out[oi + 2] = s2 * inv; out[oi + 3] = s3 * inv;
  }
  const inv = 1 / count;
  for (let i = 0; i < p3; i++, ri += cols, li += cols, oi += cols) {
    s0 = fr(fr(s0 + input[ri]) - input[li]);
    s1 = fr(fr(s1 + input[ri + 1]) - input[li + 1]);
    s2 = fr(fr(s2 + input[ri + 2]) - input[li + 2]);
    s3 = fr(fr(s3 + input[ri + 3]) - input[li + 3]);
    out[oi] = s0 * inv; out[oi + 1] = s1 * inv; out[oi + 2] = s2 * inv; out[oi + 3] = s3 * inv;
  }
  for (let i = 0; i < p4; i++, li += cols, oi += cols) {
    count--;
    const inv4 = 1 / count;
    s0 = fr(s0 - input[li]); s1 = fr(s1 - input[li + 1]); s2 = fr(s2 - input[li + 2]); s3 = fr(s3 - input[li + 3]);
    out[oi] = s0 * inv4; out[oi + 1] = s1 * inv4; out[oi + 2] = s2 * inv4; out[oi + 3] = s3 * inv4;
  }
}

/** Vertical box filter of every column: four at a time, the rest with a sums array. */
function boxCols(input: Float32Array, out: Float32Array, rows: number, cols: number, w: number, sums: Float32Array): void {
  let c = 0;
  for (; c + 4 <= cols; c += 4) boxFourCols(input, out, rows, cols, c, w);
  if (c < cols) boxColRange(input, out, rows, cols, c, cols, w, sums);
}

/** Hashes RGB24 frames of one size; holds about 8 bytes per pixel of scratch memory, reused for every frame. */
export class RgbFrameHasher {
  readonly width: number;
  readonly height: number;
  private readonly a: Float32Array;
  private readonly b: Float32Array;
  private readonly sampled: Float32Array;
  private readonly sampledBlur: Float32Array;
  private readonly sums: Float32Array;
  private readonly keep: Uint8Array;
  private readonly sampleCols: Int32Array;
  private readonly sampleRows: Int32Array;

  constructor(width: number, height: number) {
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
      throw new RangeError(`frame size ${width}x${height} is not a positive whole size`);
    }
    this.width = width;
    this.height = height;
    const n = width * height;
    this.a = new Float32Array(n);
    this.b = new Float32Array(n);
    this.sampled = new Float32Array(height * 64);
    this.sampledBlur = new Float32Array(height * 64);
    this.sums = new Float32Array(Math.max(width, 64));
    this.keep = new Uint8Array(width);
    this.sampleCols = new Int32Array(64);
    this.sampleRows = new Int32Array(64);
    for (let j = 0; j < 64; j++) {
      this.sampleCols[j] = Math.floor(((j + 0.5) * width) / 64);
      this.sampleRows[j] = Math.floor(((j + 0.5) * height) / 64);
      this.keep[this.sampleCols[j]] = 1;
    }
  }

  /**
   * PDQ hash and quality of one packed RGB24 frame (width * height * 3 bytes).
   * @example new RgbFrameHasher(480, 720).hash(rgb) // { hash: 'e429...', quality: 100 }
   */
  hash(rgb: Uint8Array): PdqResult {
    const { width: cols, height: rows, a, b, sums } = this;
    const n = cols * rows;
    if (rgb.length < n * 3) throw new RangeError(`frame ${cols}x${rows} needs ${n * 3} bytes, got ${rgb.length}`);
    if (rows < PDQ_MIN_DIMENSION || cols < PDQ_MIN_DIMENSION) return { hash: PDQ_ZERO_HASH, quality: 0 };
    lumaOfRgb(rgb, a, n);
    const wAlongRows = jaroszWindow(cols);
    const wAlongCols = jaroszWindow(rows);
    boxRows(a, b, rows, cols, wAlongRows);
    boxCols(b, a, rows, cols, wAlongCols, sums);
    boxRows(a, b, rows, cols, wAlongRows, this.keep);
    const { sampled, sampledBlur, sampleCols, sampleRows } = this;
    gatherColumns(b, sampled, rows, cols, sampleCols);
    // A vertical pass is per column, so running it on the 64 sampled columns alone gives the same values.
    boxCols(sampled, sampledBlur, rows, 64, wAlongCols, sums);
    const grid = new Float32Array(64 * 64);
    for (let i = 0; i < 64; i++) grid.set(sampledBlur.subarray(sampleRows[i] * 64, sampleRows[i] * 64 + 64), i * 64);
    return { hash: thresholdToHex(dct64To16(grid)), quality: pdqQuality(grid) };
  }
}
