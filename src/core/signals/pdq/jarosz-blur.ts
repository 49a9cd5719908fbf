/**
 * The Jarosz tent filter of PDQ and the 64x64 decimation: two rounds of (horizontal box filter, vertical box
 * filter), each box filter a running float32 sum in the reference's order of adds and subtracts, so the result is
 * bit-exact. Fast paths that keep exactness: four rows share one loop (four independent float chains), the
 * vertical pass sweeps rows with one running sum per column, and the last vertical pass only computes the 64
 * columns that decimation samples.
 */

/** Window size along a side of n pixels: ceil(n / 128), as the reference computes it. */
export function jaroszWindow(n: number): number {
  return Math.floor((n + 127) / 128);
}

interface Phases { p1: number; p2: number; p3: number; p4: number }

/** The reference's four phases of a box filter of window w over n samples: accumulate, grow, full, shrink. */
function phases(n: number, w: number): Phases {
  const half = Math.floor((w + 2) / 2);
  return { p1: half - 1, p2: w - half + 1, p3: n - w, p4: half - 1 };
}

/** One horizontal box filter over a single row starting at base. */
function boxOneRow(input: Float32Array, out: Float32Array, base: number, { p1, p2, p3, p4 }: Phases): void {
  const fr = Math.fround;
  let li = base;
  let ri = base;
  let oi = base;
  let sum = 0;
  let count = 0;
  for (let i = 0; i < p1; i++) { sum = fr(sum + input[ri++]); count++; }
  for (let i = 0; i < p2; i++) { sum = fr(sum + input[ri++]); count++; out[oi++] = sum / count; }
  for (let i = 0; i < p3; i++) { sum = fr(fr(sum + input[ri++]) - input[li++]); out[oi++] = sum / count; }
  for (let i = 0; i < p4; i++) { sum = fr(sum - input[li++]); count--; out[oi++] = sum / count; }
}

/** One horizontal box filter over every row, four rows per loop so that four float chains run side by side. */
export function boxAlongRows(input: Float32Array, out: Float32Array, rows: number, cols: number, w: number): void {
  const ph = phases(cols, w);
  const { p1, p2, p3, p4 } = ph;
  const fr = Math.fround;
  let r = 0;
  for (; r + 4 <= rows; r += 4) {
    const b0 = r * cols;
    const b1 = b0 + cols;
    const b2 = b1 + cols;
    const b3 = b2 + cols;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0, count = 0, ri = 0, li = 0, oi = 0;
    for (let i = 0; i < p1; i++, ri++) {
      s0 = fr(s0 + input[b0 + ri]); s1 = fr(s1 + input[b1 + ri]); s2 = fr(s2 + input[b2 + ri]); s3 = fr(s3 + input[b3 + ri]);
      count++;
    }
    for (let i = 0; i < p2; i++, ri++, oi++) {
      s0 = fr(s0 + input[b0 + ri]); s1 = fr(s1 + input[b1 + ri]); s2 = fr(s2 + input[b2 + ri]); s3 = fr(s3 + input[b3 + ri]);
      count++;
      out[b0 + oi] = s0 / count; out[b1 + oi] = s1 / count; out[b2 + oi] = s2 / count; out[b3 + oi] = s3 / count;
    }
    for (let i = 0; i < p3; i++, ri++, li++, oi++) {
      s0 = fr(fr(s0 + input[b0 + ri]) - input[b0 + li]);
      s1 = fr(fr(s1 + input[b1 + ri]) - input[b1 + li]);
      s2 = fr(fr(s2 + input[b2 + ri]) - input[b2 + li]);
      s3 = fr(fr(s3 + input[b3 + ri]) - input[b3 + li]);
      out[b0 + oi] = s0 / count; out[b1 + oi] = s1 / count; out[b2 + oi] = s2 / count; out[b3 + oi] = s3 / count;
    }
    for (let i = 0; i < p4; i++, li++, oi++) {
      s0 = fr(s0 - input[b0 + li]); s1 = fr(s1 - input[b1 + li]); s2 = fr(s2 - input[b2 + li]); s3 = fr(s3 - input[b3 + li]);
      count--;
      out[b0 + oi] = s0 / count; out[b1 + oi] = s1 / count; out[b2 + oi] = s2 / count; out[b3 + oi] = s3 / count;
    }
  }
  for (; r < rows; r++) boxOneRow(input, out, r * cols, ph);
}

/**
 * One vertical box filter over every column, computed row by row with a running sum per column (cache-friendly);
 * each column's float32 operations are the reference's.
 */
export function boxAlongCols(input: Float32Array, out: Float32Array, rows: number, cols: number, w: number, sums: Float32Array): void {
  const { p1, p2, p3, p4 } = phases(rows, w);
  const fr = Math.fround;
  sums.fill(0, 0, cols);
  let li = 0;
  let ri = 0;
  let oi = 0;
  let count = 0;
  for (let i = 0; i < p1; i++, ri += cols) {
    for (let c = 0; c < cols; c++) sums[c] = fr(sums[c] + input[ri + c]);
    count++;
  }
  for (let i = 0; i < p2; i++, ri += cols, oi += cols) {
    count++;
    for (let c = 0; c < cols; c++) { const s = fr(sums[c] + input[ri + c]); sums[c] = s; out[oi + c] = s / count; }
  }
  for (let i = 0; i < p3; i++, ri += cols, li += cols, oi += cols) {
    for (let c = 0; c < cols; c++) { const s = fr(fr(sums[c] + input[ri + c]) - input[li + c]); sums[c] = s; out[oi + c] = s / count; }
  }
  for (let i = 0; i < p4; i++, li += cols, oi += cols) {
    count--;
    for (let c = 0; c < cols; c++) { const s = fr(sums[c] - input[li + c]); sums[c] = s; out[oi + c] = s / count; }
  }
}

/**
 * The same vertical box filter, only for the columns listed in `at`; output is rows x at.length.
 * Used for the last pass, whose other columns decimation never reads.
 */
export function boxAlongColsAt(input: Float32Array, out: Float32Array, rows: number, cols: number, w: number, at: Int32Array): void {
  const { p1, p2, p3, p4 } = phases(rows, w);
  const fr = Math.fround;
  const n = at.length;
  const sums = new Float32Array(n);
  let li = 0;
  let ri = 0;
  let oi = 0;
  let count = 0;
  for (let i = 0; i < p1; i++, ri += cols) {
    for (let c = 0; c < n; c++) sums[c] = fr(sums[c] + input[ri + at[c]]);
    count++;
  }
  for (let i = 0; i < p2; i++, ri += cols, oi += n) {
    count++;
    for (let c = 0; c < n; c++) { const s = fr(sums[c] + input[ri + at[c]]); sums[c] = s; out[oi + c] = s / count; }
  }
  for (let i = 0; i < p3; i++, ri += cols, li += cols, oi += n) {
    for (let c = 0; c < n; c++) { const k = at[c]; const s = fr(fr(sums[c] + input[ri + k]) - input[li + k]); sums[c] = s; out[oi + c] = s / count; }
  }
  for (let i = 0; i < p4; i++, li += cols, oi += n) {
    count--;
    for (let c = 0; c < n; c++) { const s = fr(sums[c] - input[li + at[c]]); sums[c] = s; out[oi + c] = s / count; }
  }
}

/** Index of the sample taken for output cell i of 64 along a side of n: floor((i + 0.5) * n / 64). */
function sampleIndices(n: number): Int32Array {
  const idx = new Int32Array(64);
  for (let i = 0; i < 64; i++) idx[i] = Math.floor(((i + 0.5) * n) / 64);
  return idx;
}

/**
 * Blurs a rows x cols luma grid (H, V, H, V) and point-samples it at the 64x64 cell centres.
 * The luma buffer is used as scratch. Windows default to the reference's ceil(n / 128).
 * @example blurAndDecimate(luma, 1004, 1600).length // 4096
 */
export function blurAndDecimate(luma: Float32Array, rows: number, cols: number,
  windows?: { alongRows: number; alongCols: number }): Float32Array {
  const wAlongRows = windows?.alongRows ?? jaroszWindow(cols);
  const wAlongCols = windows?.alongCols ?? jaroszWindow(rows);
  const scratch = new Float32Array(rows * cols);
  const sums = new Float32Array(cols);
  const colIdx = sampleIndices(cols);
  const rowIdx = sampleIndices(rows);
  boxAlongRows(luma, scratch, rows, cols, wAlongRows);
  boxAlongCols(scratch, luma, rows, cols, wAlongCols, sums);
  boxAlongRows(luma, scratch, rows, cols, wAlongRows);
  const sampledCols = new Float32Array(rows * 64);
  boxAlongColsAt(scratch, sampledCols, rows, cols, wAlongCols, colIdx);
  const out = new Float32Array(64 * 64);
  for (let i = 0; i < 64; i++) out.set(sampledCols.subarray(rowIdx[i] * 64, rowIdx[i] * 64 + 64), i * 64);
  return out;
}
