/**
 * A Gaussian model of region_dct's pre-threshold values (the lookup bench's generator for 10M pictures x 7 values).
 * A region_dct value is 256 signs of y = P v: v the doubled centred ranks of the region's 64 low DCT coefficients
 * (coarse-hash.ts), P the 256 x 64 sign hyperplanes (COARSE_PLANES). So y lives in a space of 64 (63: the ranks sum
 * to zero) dimensions: the model learns the mean and covariance of v over real regions (forEachRealRegion: the PDQ
 * sample photos and synthetic scenes), keeps the top `components` principal components of v, carried through P
 * (A = P U sqrt(L), 256 x components), and stands for the rest by independent noise on each y (the residual variance
 * of each y, so every bit keeps its real bias): y = P mean + A z + d e, z and e standard normal. With all 63
 * components the model is the Gaussian with the real y's mean and covariance exactly; fewer are faster and a little
 * less clustered (the residual noise is independent across bits). Not modelled: the rank step's own shape (a real v
 * is a permutation of fixed odd numbers, the Gaussian only matches its first two moments) and the real values'
 * far tails (near-copies among real regions); dct-model-check.ts compares the model with real values.
 * Measured 2026-12-01 05:4x UTC (node --import tsx bench/robust/dct-model-check.ts, load 3.3-4.3 on 2 cores), 7,000
 * held-out real regions (10 photos x 400 + 150 scenes x 20; 23.7M pairs from different photos or scenes) vs 7,000
 * model values (24.5M pairs) vs 7,000 old blends: bit bias median 0.013 / 0.013 / 0.015 (max 0.046 / 0.042 / 0.052);
 * pairs within 32 bits 2.5e-7 (6 pairs) / 0 / 1.1e-6 (28), within 40 6.8e-7 / 0 / 4.0e-6, within 48 2.2e-6 / 0 /
 * 1.4e-5; mean distance 128.0 / 127.9 / 127.8; nearest pair 20 / 55 / 21; nearest of the first 100,000 pairs 66 /
 * 75 / 55. So the model matches the real bits' bias and the bulk of the distances but is LESS clustered than real
 * values in the far tail (the 6 real pairs within 32 bits are all pairs of synthetic scenes, none of photos): its
 * "other pictures hit" is a floor, and its candidates per value (the bulk) are what real values would give.
 * With 16, 24 or 32 components (+ residual noise) the tail is no closer (0 pairs within 48). Speed: ~7.6 us of CPU
 * a value with the tables (~55 us by a plain 256 x 63 product on this machine); 70M values in ~9 min of CPU.
 */
import { COARSE_PLANES, doubledCentredRanks, lowDct } from '../../src/core/picture/coarse-hash.js';
import { forEachRealRegion, gauss, xorshift } from './region-pool.js';
import { jacobi } from './jacobi.js';

/** Principal components of v kept by default (of 63): see dct-model-check.ts for the choice. */
export const DCT_MODEL_COMPONENTS = 63;

/** Groups of components and precomputed draws per group (see dctModel's sampling). */
const GROUPS = 4;
const TABLE_SHIFT = 18;
const TABLE = 2 ** (32 - TABLE_SHIFT);


/**
 * 2^16 standard normal deviates drawn once (Box-Muller): a sample picks one by 16 random bits, ~10x cheaper than a
 * fresh Box-Muller pair (the tails are cut at ~4.3 sd, which a sum over 63 components does not feel).
 */
const NORMALS = (() => {
  const r = xorshift(0x5eed);
  return Float64Array.from({ length: 1 << 16 }, () => gauss(r));
})();

export interface DctModel {
  /** Real regions learnt from. */
  count: number;
  components: number;
  /** Share of the variance of v in the kept components. */
  explained: number;
  /** Writes one model value (8 words) at value index `at` of words. */
  sample(rnd: () => number, words: Uint32Array, at: number): void;
}

/** Learns the model from `perPhoto` regions of each sample photo and 20 of each of `scenes` scenes (region-pool.ts). */
export async function dctModel(perPhoto: number, scenes: number, components = DCT_MODEL_COMPONENTS, seed = 7): Promise<DctModel> {
  const vs: Int32Array[] = [];
  await forEachRealRegion(perPhoto, scenes, seed, (g) => vs.push(doubledCentredRanks(lowDct(g))));
  const n = vs.length;
  const D = 64;
  const mean = new Float64Array(D);
  for (const v of vs) for (let i = 0; i < D; i++) mean[i] += v[i] / n;
  const cov = new Float64Array(D * D);
  for (const v of vs) for (let i = 0; i < D; i++) for (let j = 0; j <= i; j++) cov[i * D + j] += ((v[i] - mean[i]) * (v[j] - mean[j])) / (n - 1);
  for (let i = 0; i < D; i++) for (let j = 0; j < i; j++) cov[j * D + i] = cov[i * D + j];
  const { values, vectors } = jacobi(cov, D);
  const byValue = Array.from({ length: D }, (_, i) => i).sort((a, b) => values[b] - values[a]);
  const total = values.reduce((s, x) => s + Math.max(0, x), 0);
  const r = Math.min(components, D);
  // Everything in y = P v space: the mean, the kept components (A, 256 x r) and each y's full and residual variance.
  const ym = new Float64Array(256);
  const A = new Float64Array(256 * r);
  const d = new Float64Array(256);
  let explained = 0;
  for (let c = 0; c < r; c++) explained += Math.max(0, values[byValue[c]]) / total;
  for (let k = 0; k < 256; k++) {
    for (let j = 0; j < D; j++) ym[k] += COARSE_PLANES[k * D + j] * mean[j];
    let full = 0;
    let kept = 0;
    for (let c = 0; c < D; c++) {
      const e = byValue[c];
      let pu = 0;
      for (let j = 0; j < D; j++) pu += COARSE_PLANES[k * D + j] * vectors[j * D + e];
      const a = pu * Math.sqrt(Math.max(0, values[e]));
      full += a * a;
      if (c < r) { A[k * r + c] = a; kept += a * a; }
    }
    d[k] = Math.sqrt(Math.max(0, full - kept));
  }
  // Sampling by tables (~2,000 additions a value instead of 256 x r multiply-adds): the kept components are dealt
  // round-robin into GROUPS groups (each holds ~1/GROUPS of the variance); each group has TABLE precomputed draws of
  // its part of A z. A value adds one random draw of each group: exactly Gaussian per group, and two values share a
  // group's draw with probability 1/TABLE, which correlates them by ~1/GROUPS only (values within 32 bits need a
  // correlation of ~0.92, i.e. sharing ~all groups: ~TABLE^-GROUPS). Then the residual noise (none with 63
  // components) from one random offset into NORMALS per value.
  const tables = Array.from({ length: GROUPS }, (_, g) => {
    const t = new Float32Array(TABLE * 256);
    const rz = xorshift(seed * 1000 + g + 1);
    for (let e = 0; e < TABLE; e++) {
      for (let c = g; c < r; c += GROUPS) {
        const zc = gauss(rz);
        for (let k = 0; k < 256; k++) t[e * 256 + k] += A[k * r + c] * zc;
      }
    }
    return t;
  });
  const y = new Float64Array(256);
  const noisy = d.some((x) => x > 1e-9 * Math.sqrt(total));
  return {
    count: n, components: r, explained,
    sample(rnd, words, at) {
      y.set(ym);
      for (let g = 0; g < GROUPS; g++) {
        const t = tables[g];
        const o = (rnd() >>> TABLE_SHIFT) * 256;
        for (let k = 0; k < 256; k++) y[k] += t[o + k];
      }
      if (noisy) {
        const e0 = rnd() >>> 16;
        for (let k = 0; k < 256; k++) y[k] += d[k] * NORMALS[(e0 + k * 257) & 0xffff];
      }
      const o = at * 8;
      for (let w = 0; w < 8; w++) {
        let word = 0;
        for (let bit = 0; bit < 32; bit++) if (y[w * 32 + bit] > 0) word |= 1 << bit;
        words[o + w] = word >>> 0;
      }
    },
  };
}
