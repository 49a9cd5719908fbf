/**
 * The Jarosz tent filter of PDQ: box filters as running float32 sums, in the reference's order of adds and
 * subtracts, so that every value is the reference's. Shortcuts that keep that exactness:
 * - four rows (or four columns) share one loop: four independent float chains instead of one waiting chain;
 * - x * (1 / n) instead of x / n: for a float32 x and an integer n < 2^20 both round to the same float32 (the exact
 *   quotient is never within 2^-32 of a float32 rounding midpoint, and both doubles are within 2^-52 of it);
 * - the vertical pass sweeps rows with one running sum per column (cache-friendly);
 * - a pass may skip writing columns nobody reads (`keep`), but every sum is still carried through.
 */

/** Window size along a side of n pixels: ceil(n / 128), as the reference computes it. */
export function jaroszWindow(n: number): number {
  return Math.floor((n + 127) / 128);
}

const fr = Math.fround;

/** The reference's four phases of a box filter of window w over n samples: accumulate, grow, full, shrink. */
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

/** The same filter on four rows at once, their running sums in four locals. */
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

/** Horizontal box filter of every row of a rows x cols grid (four at a time, then the rest one by one). */
export function boxRows(input: Float32Array, out: Float32Array, rows: number, cols: number, w: number, keep?: Uint8Array): void {
  let r = 0;
  for (; r + 4 <= rows; r += 4) boxFourRows(input, out, r * cols, cols, w, keep);
  for (; r < rows; r++) boxRow(input, out, r * cols, cols, w, keep);
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

/** The vertical filter on four neighbouring columns from c0, their running sums in locals. */
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

/** Vertical box filter of every column of a rows x cols grid: four at a time, the rest with a sums array. */
export function boxCols(input: Float32Array, out: Float32Array, rows: number, cols: number, w: number, sums: Float32Array): void {
  let c = 0;
  for (; c + 4 <= cols; c += 4) boxFourCols(input, out, rows, cols, c, w);
  if (c < cols) boxColRange(input, out, rows, cols, c, cols, w, sums);
}
