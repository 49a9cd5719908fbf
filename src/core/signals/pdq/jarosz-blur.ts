/**
 * The Jarosz tent filter of PDQ: two rounds of (horizontal box filter, vertical box filter), each box filter a
 * running float32 sum, in the reference's order of adds and subtracts so that the result is bit-exact.
 * The vertical pass sweeps rows with one running sum per column (same arithmetic per column, cache-friendly).
 */

/** Window size along a side of n pixels: ceil(n / 128), as the reference computes it. */
export function jaroszWindow(n: number): number {
  return Math.floor((n + 127) / 128);
}

/**
 * One horizontal box filter over every row: in and out are rows x cols float32 grids.
 * Phases follow the reference: accumulate, grow window, full window, shrink window.
 */
export function boxAlongRows(input: Float32Array, out: Float32Array, rows: number, cols: number, w: number): void {
  const half = Math.floor((w + 2) / 2);
  const p1 = half - 1;
  const p2 = w - half + 1;
  const p3 = cols - w;
  const p4 = half - 1;
  const fr = Math.fround;
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    let li = base;
    let ri = base;
    let oi = base;
    let sum = 0;
    let count = 0;
    for (let i = 0; i < p1; i++) { sum = fr(sum + input[ri++]); count++; }
    for (let i = 0; i < p2; i++) { sum = fr(sum + input[ri++]); count++; out[oi++] = sum / count; }
    for (let i = 0; i < p3; i++) { sum = fr(sum + input[ri++]); sum = fr(sum - input[li++]); out[oi++] = sum / count; }
    for (let i = 0; i < p4; i++) { sum = fr(sum - input[li++]); count--; out[oi++] = sum / count; }
  }
}

/**
 * One vertical box filter over every column, computed row by row with a running sum per column.
 * Each column's sequence of float32 operations is the reference's, so results are identical.
 */
export function boxAlongCols(input: Float32Array, out: Float32Array, rows: number, cols: number, w: number, sums: Float32Array): void {
  const half = Math.floor((w + 2) / 2);
  const p1 = half - 1;
  const p2 = w - half + 1;
  const p3 = rows - w;
  const p4 = half - 1;
  const fr = Math.fround;
  sums.fill(0, 0, cols);
  let li = 0;
  let ri = 0;
  let oi = 0;
  let count = 0;
  for (let i = 0; i < p1; i++, ri += cols) {
    for (let c = 0; c < cols; c++) sums[c] = sums[c] + input[ri + c];
    count++;
  }
  for (let i = 0; i < p2; i++, ri += cols, oi += cols) {
    count++;
    for (let c = 0; c < cols; c++) { const s = fr(sums[c] + input[ri + c]); sums[c] = s; out[oi + c] = s / count; }
  }
  for (let i = 0; i < p3; i++, ri += cols, li += cols, oi += cols) {
    for (let c = 0; c < cols; c++) {
      const s = fr(fr(sums[c] + input[ri + c]) - input[li + c]);
      sums[c] = s;
      out[oi + c] = s / count;
    }
  }
  for (let i = 0; i < p4; i++, li += cols, oi += cols) {
    count--;
    for (let c = 0; c < cols; c++) { const s = fr(sums[c] - input[li + c]); sums[c] = s; out[oi + c] = s / count; }
  }
}

/**
 * Blurs a rows x cols luma grid in place (buffer a), using b and sums as scratch. Result ends in a.
 * @example jaroszBlur(luma, scratch, sums, 1004, 1600) // windows 8 (rows) and 13 (cols)
 */
export function jaroszBlur(a: Float32Array, b: Float32Array, sums: Float32Array, rows: number, cols: number): void {
  const wAlongRows = jaroszWindow(cols);
  const wAlongCols = jaroszWindow(rows);
  for (let pass = 0; pass < 2; pass++) {
    boxAlongRows(a, b, rows, cols, wAlongRows);
    boxAlongCols(b, a, rows, cols, wAlongCols, sums);
  }
}
