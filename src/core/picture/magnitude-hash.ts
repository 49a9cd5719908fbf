/**
 * A translation-tolerant 256-bit hash of a 64x64 grid, for off-centre crops: the grid (mean removed) under a Hann
 * window, the magnitudes of its lowest 2-D Fourier frequencies (|u|, |v| <= 4, one of each conjugate pair, DC left
 * out: 40 values), their logs balanced (balancedMagnitudes: the picture's own mean log magnitude removed, then each
 * frequency centred on its population mean and scaled by its population spread, magnitude-centre.ts) and replaced
 * by centred ranks, then 256 fixed random hyperplanes (SimHash). Without the balancing, every natural picture's
 * 1/f spectrum ranks the 40 magnitudes almost alike, so most bits were nearly constant and the index's buckets
 * crowded. bench/robust/learn-magnitude-centre.ts --check (2026-12-01, 7,000 held-out real regions, load 5): median
 * |P(1) - 0.5| 0.216 -> 0.017; exact-substring candidates per value at 6M values ~45,800 -> ~420; unrelated
 * regions' distance p0.1% 27 -> 65 bits (nearest 13 -> 34), while a region moved by 6% of its side keeps a median
 * distance of 19 -> 25 and one scaled by 4% 14 -> 18: more distinctive, hence region_mag's higher threshold. A shift of the
 * content inside the window changes phases, not magnitudes: measured on the PDQ sample photos and synthetic scenes
 * (bench/robust/magnitude-explore.ts), a crop of 10-15% off-centre keeps the central region's value within 32 bits
 * of the original's in 36 of 40 cases, where the DCT hash (coarse-hash.ts) keeps 1. Less distinctive than the DCT
 * hash (unrelated pictures come closer), so it is banked for one region size pair only.
 */
import { pdqWordsToHex } from '../signals/pdq/pdq-hex.js';
import { signPlanes, simHashWords } from './coarse-hash.js';
import { MAGNITUDE_CENTRE, MAGNITUDE_DEFLATE, MAGNITUDE_DOMINANT, MAGNITUDE_SPREAD } from './magnitude-centre.js';

/** Highest frequency kept, each way. */
const F = 4;
/** The kept frequencies (u >= 0; for u = 0 only v > 0): one of each conjugate pair. */
export const MAGNITUDE_FREQS: readonly (readonly [number, number])[] = (() => {
  const out: [number, number][] = [];
  for (let u = 0; u <= F; u++) for (let v = -F; v <= F; v++) if (u > 0 || v > 0) out.push([u, v]);
  return out;
})();
/** Number of kept frequencies (40). */
export const MAGNITUDE_DIMS = MAGNITUDE_FREQS.length;
const D = MAGNITUDE_DIMS;
export const MAGNITUDE_HANN = Float64Array.from({ length: 64 }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * (i + 0.5)) / 64));
/** cos and sin of -2 pi k n / 64 for k = -F..F, n = 0..63 (row k + F). */
export const MAGNITUDE_COS = new Float64Array((2 * F + 1) * 64);
export const MAGNITUDE_SIN = new Float64Array((2 * F + 1) * 64);
for (let k = -F; k <= F; k++) {
  for (let n = 0; n < 64; n++) {
    const t = (-2 * Math.PI * k * n) / 64;
    MAGNITUDE_COS[(k + F) * 64 + n] = Math.cos(t);
    MAGNITUDE_SIN[(k + F) * 64 + n] = Math.sin(t);
  }
}

/** region_mag's hyperplanes: their own seed, so its bits are independent of region_dct's. */
export const MAGNITUDE_PLANES = signPlanes(D, 0x2545f491);

/**
 * Math.hypot(a, b) as V8 computes it (Node's values, bit for bit: +-Infinity first, then NaN, then 0, else both
 * scaled by the larger and sqrt(p * p + q * q) * max), written out with operations IEEE 754 rounds alike in every
 * engine. The builtin allocates on every call (24 region_mag values of 40 frequencies a looked-up photo: the
 * garbage and the calls cost ~0.2 ms a photo) and another engine's Math.hypot may round differently.
 * @example hypot2(3, 4) // 5
 */
export function hypot2(a: number, b: number): number {
  const x = Math.abs(a);
  const y = Math.abs(b);
  if (x === Infinity || y === Infinity) return Infinity;
  if (x !== x || y !== y) return NaN;
  const max = x > y ? x : y;
  if (max === 0) return 0;
  const p = x / max;
  const q = y / max;
  return Math.sqrt(p * p + q * q) * max;
}

/** The log magnitude of one frequency's sums (real a, imaginary b), before balancing. */
export function logMagnitude(a: number, b: number): number {
  return Math.log(1e-3 + hypot2(a, b));
}

/**
 * The log magnitudes of the grid's kept frequencies (Hann-windowed, mean removed).
 * @example lowMagnitudes(grid).length // 40
 */
export function lowMagnitudes(g: Float32Array): Float64Array {
  let mean = 0;
  for (let i = 0; i < g.length; i++) mean += g[i];
  mean /= g.length;
  const w = new Float64Array(64 * 64);
  for (let y = 0; y < 64; y++) for (let x = 0; x < 64; x++) w[y * 64 + x] = (g[y * 64 + x] - mean) * MAGNITUDE_HANN[y] * MAGNITUDE_HANN[x];
  // Along y for u = 0..F, then along x for each kept v.
  const re = new Float64Array((F + 1) * 64);
  const im = new Float64Array((F + 1) * 64);
  // Summed over y in order for each (u, x), reading the rows of w in order.
  for (let u = 0; u <= F; u++) {
    const row = (u + F) * 64;
    const o = u * 64;
    for (let y = 0; y < 64; y++) {
      const c = MAGNITUDE_COS[row + y];
      const s = MAGNITUDE_SIN[row + y];
      const r = y * 64;
      for (let x = 0; x < 64; x++) {
        re[o + x] += w[r + x] * c;
        im[o + x] += w[r + x] * s;
      }
    }
  }
  const out = new Float64Array(D);
  for (let k = 0; k < D; k++) {
    const [u, v] = MAGNITUDE_FREQS[k];
    const row = (v + F) * 64;
    let a = 0;
    let b = 0;
    for (let x = 0; x < 64; x++) {
      const c = MAGNITUDE_COS[row + x];
      const s = MAGNITUDE_SIN[row + x];
      a += re[u * 64 + x] * c - im[u * 64 + x] * s;
      b += re[u * 64 + x] * s + im[u * 64 + x] * c;
    }
    out[k] = logMagnitude(a, b);
  }
  return out;
}

/**
 * A region's log magnitudes made comparable across frequencies: the region's mean log magnitude removed (contrast
 * moves every log alike), then each frequency's population mean (MAGNITUDE_CENTRE) subtracted and the difference
 * divided by its population spread (MAGNITUDE_SPREAD); last, the few directions along which natural pictures vary
 * most (MAGNITUDE_DOMINANT: 3 eigenvectors of the population covariance holding 62% of the variance)
 * shrunk to the size of the others (by MAGNITUDE_DEFLATE). Over natural pictures the results are centred on 0 with
 * comparable spreads, so the ranks of the 40 results, and the SimHash bits over them, are balanced and far less
 * correlated than the raw logs' were.
 * @example balancedMagnitudes(lowMagnitudes(grid)).length // 40
 */
export function balancedMagnitudes(logs: Float64Array, out: Float64Array = new Float64Array(D)): Float64Array {
  let level = 0;
  for (let k = 0; k < D; k++) level += logs[k];
  level /= D;
  for (let k = 0; k < D; k++) out[k] = (logs[k] - level - MAGNITUDE_CENTRE[k]) / MAGNITUDE_SPREAD[k];
  for (let e = 0; e < MAGNITUDE_DEFLATE.length; e++) {
    let dot = 0;
    for (let k = 0; k < D; k++) dot += MAGNITUDE_DOMINANT[e * D + k] * out[k];
    const shrink = MAGNITUDE_DEFLATE[e] * dot;
    for (let k = 0; k < D; k++) out[k] -= shrink * MAGNITUDE_DOMINANT[e * D + k];
  }
  return out;
}

/**
 * region_mag's 256 bits from a region's 40 log magnitudes (lowMagnitudes): balanced, ranked, through the
 * hyperplanes. The WebAssembly kernels call it too (the logs are made in JS there), so both give the same bits.
 * @example magnitudeWords(lowMagnitudes(grid), new Uint32Array(8))
 */
export function magnitudeWords(logs: Float64Array, words: Uint32Array): Uint32Array {
  return simHashWords(balancedMagnitudes(logs), MAGNITUDE_PLANES, words);
}

/**
 * The balanced magnitudes' centred ranks through the random hyperplanes: 64 hex digits.
 * @example magnitudeHashHex(grid) // 64 hex digits
 */
export function magnitudeHashHex(g: Float32Array): string {
  return pdqWordsToHex(magnitudeWords(lowMagnitudes(g), new Uint32Array(8)));
}
