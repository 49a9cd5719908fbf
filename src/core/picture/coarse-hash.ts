/**
 * The robust signals' own 256-bit hash of a 64x64 grid: the 64 lowest DCT frequencies (1..8 each way, PDQ's basis)
 * replaced by their centred ranks, then 256 fixed random hyperplanes (SimHash) give one bit each. Measured on the
 * PDQ sample photos: half the bits PDQ's 1..16 frequencies lose when a region is shifted or rescaled by 1-3%; the
 * bits are balanced and close to independent, so the multi-index serves them as it serves PDQ.
 */
import { pdqWordsToHex } from '../signals/pdq/pdq-hex.js';

const N = 8;
/** D[i][j] = sqrt(2/64) cos(pi/128 (i+1)(2j+1)), frequencies 1..8. */
export const LOW_DCT_MATRIX: Float64Array = (() => {
  const d = new Float64Array(N * 64);
  const scale = Math.sqrt(2 / 64);
  for (let i = 0; i < N; i++) for (let j = 0; j < 64; j++) d[i * 64 + j] = scale * Math.cos((Math.PI / 128) * (i + 1) * (2 * j + 1));
  return d;
})();

/**
 * The 8x8 low-frequency DCT coefficients of a 64x64 grid (row u = vertical frequency u+1).
 * @example lowDct(grid).length // 64
 */
export function lowDct(a: Float32Array): Float64Array {
  // t = D a, summed over k in the same order for every entry as a dot product would (rows of a read in order).
  const t = new Float64Array(N * 64);
  for (let i = 0; i < N; i++) {
    const o = i * 64;
    for (let k = 0; k < 64; k++) {
      const dk = LOW_DCT_MATRIX[o + k];
      const r = k * 64;
      for (let j = 0; j < 64; j++) t[o + j] += dk * a[r + j];
    }
  }
  const b = new Float64Array(N * N);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < 64; k++) s += t[i * 64 + k] * LOW_DCT_MATRIX[j * 64 + k];
      b[i * N + j] = s;
    }
  }
  return b;
}

/**
 * Each value's rank among the values (ties in index order, as a stable sort gives them), doubled, minus the doubled
 * mean rank: odd integers, so a SimHash over them is exact integer arithmetic (the same signs as over the centred
 * ranks, whatever the order of the sums).
 * @example doubledCentredRanks(Float64Array.of(3, 1, 2)) // [2, -2, 0]
 */
export function doubledCentredRanks(b: Float64Array): Int32Array {
  const n = b.length;
  const v = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const x = b[i];
    let r = 0;
    for (let j = 0; j < n; j++) if (b[j] < x || (b[j] === x && j < i)) r++;
    v[i] = 2 * r - (n - 1);
  }
  return v;
}

/**
 * 256 SimHash bits of the values' doubled centred ranks over `planes` (256 x n signs, +1/-1): bit k is set when
 * the ranks' dot product with plane k is positive.
 * @example simHashWords(values, PLANES, new Uint32Array(8))
 */
export function simHashWords(b: Float64Array, planes: Int32Array, words: Uint32Array): Uint32Array {
  const v = doubledCentredRanks(b);
  const n = v.length;
  for (let k = 0; k < 256; k++) {
    let s = 0;
    const o = k * n;
    for (let j = 0; j < n; j++) s = (s + planes[o + j] * v[j]) | 0;
    if (s > 0) words[k >>> 5] |= 1 << (k & 31);
  }
  return words;
}

/**
 * 256 x dims signs (+1/-1) from a fixed xorshift32 stream: the random hyperplanes of a SimHash (integers: exact
 * everywhere, so Node and the browser draw the same planes).
 * @example signPlanes(64, 0x9e3779b9).length // 16384
 */
export function signPlanes(dims: number, seed: number): Int32Array {
  const out = new Int32Array(256 * dims);
  let x = seed;
  for (let i = 0; i < out.length; i++) {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    out[i] = x & 0x10000 ? 1 : -1;
  }
  return out;
}

/** The seed of region_dct's hyperplanes (a storage-relevant constant: changing it changes every value). */
export const COARSE_PLANES_SEED = 0x9e3779b9;
/** region_dct's hyperplanes (256 x 64 signs). */
export const COARSE_PLANES = signPlanes(64, COARSE_PLANES_SEED);

/**
 * 64 coefficients -> 256 bits by random hyperplanes (SimHash) over their centred ranks: balanced, nearly
 * independent bits (what the multi-index needs), and a distance that grows with the angle between two pictures'
 * rank vectors.
 * @example simHashHex(lowDct(grid)) // 64 hex digits
 */
export function simHashHex(b: Float64Array): string {
  return pdqWordsToHex(simHashWords(b, COARSE_PLANES, new Uint32Array(8)));
}
