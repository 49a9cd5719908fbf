/**
 * PDQ's pixel work for images of one size, with its scratch buffers kept for reuse (video frames, or photos of a
 * common size): luma, the Jarosz blur and the 64x64 decimation. About 8 bytes of scratch per pixel. Bit-exact
 * with the C++ reference core; the shortcuts it takes are explained in jarosz-blur.ts.
 */
import { boxCols, boxRows, jaroszWindow } from './jarosz-blur.js';
import type { BlurWindows } from './scaled-windows.js';

const fr = Math.fround;
/** fr(0.114 * b), and fr(fr(0.299 * r) + fr(0.587 * g)) at index r * 256 + g (256 KB): luma is one add per pixel. */
const LUMA_B = new Float32Array(256);
const LUMA_RG = new Float32Array(256 * 256);
for (let v = 0; v < 256; v++) LUMA_B[v] = fr(0.114) * v;
for (let r = 0; r < 256; r++) {
  for (let g = 0; g < 256; g++) LUMA_RG[(r << 8) | g] = fr(fr(0.299) * r) + fr(fr(0.587) * g);
}

/** Float32 luminance of n pixels of `channels` interleaved samples; grey images use the sample itself. */
function luma(data: ArrayLike<number>, channels: number, out: Float32Array, n: number): void {
  if (channels <= 2) {
    for (let i = 0, p = 0; i < n; i++, p += channels) out[i] = data[p];
    return;
  }
  for (let i = 0, p = 0; i < n; i++, p += channels) out[i] = LUMA_RG[(data[p] << 8) | data[p + 1]] + LUMA_B[data[p + 2]];
}

export class PdqHasher {
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
      throw new RangeError(`image size ${width}x${height} is not a positive whole size`);
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
   * The blurred, decimated 64x64 grid of one image of this size (a new array; scratch is reused).
   * `windows` overrides the blur windows (the fast pipeline); by default they are the reference's ceil(n / 128).
   * @example new PdqHasher(480, 720).grid64(rgb, 3).length // 4096
   */
  grid64(data: ArrayLike<number>, channels: number, windows?: BlurWindows): Float32Array {
    const { width: cols, height: rows, a, b, sums, sampled, sampledBlur, sampleCols, sampleRows } = this;
    const n = cols * rows;
    if (data.length < n * channels) throw new RangeError(`pixel grid ${cols}x${rows}x${channels} needs ${n * channels} bytes, has ${data.length}`);
    luma(data, channels, a, n);
    const wAlongRows = windows?.alongRows ?? jaroszWindow(cols);
    const wAlongCols = windows?.alongCols ?? jaroszWindow(rows);
    boxRows(a, b, rows, cols, wAlongRows);
    boxCols(b, a, rows, cols, wAlongCols, sums);
    boxRows(a, b, rows, cols, wAlongRows, this.keep);
    // The last vertical pass is per column, so running it on the 64 sampled columns alone gives the same values.
    for (let r = 0; r < rows; r++) {
      const base = r * cols;
      const o = r * 64;
      for (let j = 0; j < 64; j++) sampled[o + j] = b[base + sampleCols[j]];
    }
    boxCols(sampled, sampledBlur, rows, 64, wAlongCols, sums);
    const grid = new Float32Array(64 * 64);
    for (let i = 0; i < 64; i++) grid.set(sampledBlur.subarray(sampleRows[i] * 64, sampleRows[i] * 64 + 64), i * 64);
    return grid;
  }
}
