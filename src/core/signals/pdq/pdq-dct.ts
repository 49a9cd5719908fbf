/**
 * The 64x64 -> 16x16 partial DCT of PDQ (frequencies 1..16 each way), the median threshold and bit packing.
 * Float32 throughout, in the reference's order, so the bits equal the reference's.
 */
import { pdqWordsToHex } from './pdq-hex.js';

/** D[i][j] = sqrt(2/64) * cos(pi/128 * (i+1) * (2j+1)), 16 x 64, float32 as the reference stores it. */
export const DCT_MATRIX: Float32Array = (() => {
  const d = new Float32Array(16 * 64);
  const scale = Math.fround(Math.sqrt(2 / 64));
  for (let i = 0; i < 16; i++) {
    for (let j = 0; j < 64; j++) d[i * 64 + j] = scale * Math.cos((Math.PI / 2 / 64) * (i + 1) * (2 * j + 1));
  }
  return d;
})();

/**
 * B = D * A * D^T: the 16x16 DCT coefficients of a 64x64 grid (row u = vertical frequency u+1).
 * @example dct64To16(grid64)[0] // response at the lowest vertical and horizontal frequency
 */
export function dct64To16(a: Float32Array): Float32Array {
  const fr = Math.fround;
  const d = DCT_MATRIX;
  const t = new Float32Array(16 * 64);
  for (let i = 0; i < 16; i++) {
    const di = i * 64;
    for (let j = 0; j < 64; j++) {
      let sum = 0;
      for (let k = 0; k < 64; k++) sum = fr(sum + fr(d[di + k] * a[k * 64 + j]));
      t[di + j] = sum;
    }
  }
  const b = new Float32Array(256);
  for (let i = 0; i < 16; i++) {
    const ti = i * 64;
    for (let j = 0; j < 16; j++) {
      const dj = j * 64;
      let sum = 0;
      for (let k = 0; k < 64; k++) sum = fr(sum + fr(t[ti + k] * d[dj + k]));
      b[i * 16 + j] = sum;
    }
  }
  return b;
}

/**
 * Thresholds 256 coefficients at their lower median (index 127 of the sorted values): bit k is set iff b[k] > median.
 * @example thresholdToHex(coefficients) // '...64 hex digits...'
 */
export function thresholdToHex(b: Float32Array): string {
  const sorted = Float32Array.from(b).sort();
  const median = sorted[127];
  const words = new Uint32Array(8);
  for (let k = 0; k < 256; k++) if (b[k] > median) words[k >>> 5] |= 1 << (k & 31);
  return pdqWordsToHex(words);
}
