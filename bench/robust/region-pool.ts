/**
 * bench:robust-lookup data: real region_dct (or region_mag) values and synthetic ones with their bit statistics.
 * Real: coarse hashes (core/picture/coarse-hash.ts; for region_mag the magnitude hash, magnitude-hash.ts) of random
 * regions (20-100% of each side, anywhere) of the PDQ sample photos and of synthetic scenes, as pre-threshold
 * projections y (256 numbers; the value's bits are y > 0, checked against simHashHex / magnitudeHashHex for every
 * region). Synthetic: y' = mean + sum_i w_i (y_i - mean) over 4 random real
 * regions with Gaussian weights normalised to sum w_i^2 = 1, then bits y' > 0. Such a blend keeps the real values'
 * mean and covariance of y, hence each bit's bias and every pair of bits' correlation, while making values no real
 * picture has (a blend of pictures is itself a picture in the DCT's linear space, up to the ranking step).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { COARSE_PLANES_SEED, doubledCentredRanks, lowDct, signPlanes, simHashHex } from '../../src/core/picture/coarse-hash.js';
import { balancedMagnitudes, lowMagnitudes, magnitudeHashHex, magnitudeWords, MAGNITUDE_DIMS, MAGNITUDE_PLANES } from '../../src/core/picture/magnitude-hash.js';
import { lumaPlaneFromPixels, type LumaPlane } from '../../src/core/picture/luma-plane.js';
import { areaTable, regionGrid64 } from '../../src/core/picture/region-grid.js';
import { pdqWordsToHex } from '../../src/core/signals/pdq/pdq-hex.js';
import { decodeImageShrunkOnLoad } from '../../src/io/image/decode-image.js';
import { scenePlane } from '../../test/support/luma-planes.js';
import { SAMPLE_PHOTOS } from './robust-data.js';

const PDQ_DATA = resolve(import.meta.dirname, '../../../shared/conformance/pdq/repo');

/** The hyperplanes of coarse-hash.ts (the pool checks every value against simHashHex). */
const PLANES = signPlanes(64, COARSE_PLANES_SEED);

/** A seeded xorshift32 stream of 32-bit integers. */
export function xorshift(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x; };
}

/** The projections y of one region's coefficients (simHashWords' internals, over `planes`), and the words of its value. */
function projections(b: Float64Array, planes: Int32Array, out: Float32Array, at: number): Uint32Array {
  const v = doubledCentredRanks(b);
  const n = v.length;
  const words = new Uint32Array(8);
  for (let k = 0; k < 256; k++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += planes[k * n + j] * v[j];
    out[at + k] = s;
    if (s > 0) words[k >>> 5] |= 1 << (k & 31);
  }
  return words;
}

/** The PDQ sample photos as luma planes (those present under ../shared/conformance/pdq). */
export async function samplePlanes(): Promise<LumaPlane[]> {
  const planes: LumaPlane[] = [];
  for (const p of SAMPLE_PHOTOS) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(resolve(PDQ_DATA, p));
    } catch {
      console.error(`skipping ${p}: ../shared/conformance/pdq is absent`);
      continue;
    }
    const { pixels } = await decodeImageShrunkOnLoad(bytes, (h) => Math.max(1, Math.floor(Math.max(h.width, h.height) / 512)));
    planes.push(lumaPlaneFromPixels(pixels));
  }
  return planes;
}

/** The robust signal a pool is made of. */
export type PoolSignal = 'region_dct' | 'region_mag';

/**
 * Visits `perPhoto` random regions (20-100% of each side, anywhere) of each sample photo and 20 of each of `scenes`
 * synthetic scenes, as 64x64 grids; returns how many sample photos were found.
 */
export async function forEachRealRegion(perPhoto: number, scenes: number, seed: number, visit: (grid: Float32Array) => void): Promise<number> {
  const rnd = xorshift(seed);
  const u = () => rnd() / 2 ** 32;
  const photos = await samplePlanes();
  const planes = [...photos.map((p) => ({ p, n: perPhoto })), ...Array.from({ length: scenes }, (_, i) => ({ p: scenePlane(256, 192, 9000 + i), n: 20 }))];
  for (const { p, n } of planes) {
    const t = areaTable(p);
    for (let i = 0; i < n; i++) {
      const sw = 0.2 + 0.8 * u();
      const sh = Math.min(1, Math.max(0.2, sw * (0.8 + 0.4 * u())));
      const x0 = u() * (1 - sw) * p.width;
      const y0 = u() * (1 - sh) * p.height;
      visit(regionGrid64(t, { x0, y0, x1: x0 + sw * p.width, y1: y0 + sh * p.height }));
    }
  }
  return photos.length;
}

/** Real pre-threshold projections: `perPhoto` random regions of each sample photo and `scenes` x 20 of scenes. */
export async function realPool(perPhoto: number, scenes: number, seed = 7, signal: PoolSignal = 'region_dct'): Promise<{ y: Float32Array; count: number; photos: number }> {
  const grids: Float32Array[] = [];
  const photos = await forEachRealRegion(perPhoto, scenes, seed, (g) => grids.push(g));
  const count = grids.length;
  const y = new Float32Array(count * 256);
  const mag = signal === 'region_mag';
  grids.forEach((grid, at) => {
    if (mag) {
      const words = projections(balancedMagnitudes(lowMagnitudes(grid)), MAGNITUDE_PLANES, y, at * 256);
      if (pdqWordsToHex(words) !== magnitudeHashHex(grid)) throw new Error('region-pool: projections disagree with the hash');
    } else {
      const b = lowDct(grid);
      if (pdqWordsToHex(projections(b, PLANES, y, at * 256)) !== simHashHex(b)) throw new Error('region-pool: projections disagree with the hash');
    }
  });
  return { y, count, photos };
}

/** Bits of pool entries as words (8 per value). */
export function poolWords(pool: { y: Float32Array; count: number }): Uint32Array {
  const w = new Uint32Array(pool.count * 8);
  for (let i = 0; i < pool.count; i++) for (let k = 0; k < 256; k++) if (pool.y[i * 256 + k] > 0) w[i * 8 + (k >>> 5)] |= 1 << (k & 31);
  return w;
}

/** Real regions blended into one synthetic value. */
export const BLEND = 4;

/** A standard normal deviate from two uniform draws (Box-Muller). */
export function gauss(rnd: () => number): number {
  return Math.sqrt(-2 * Math.log((rnd() + 1) / (2 ** 32 + 1))) * Math.cos((2 * Math.PI * rnd()) / 2 ** 32);
}

/**
 * Writes `count` synthetic values (moment-matched blends of BLEND real regions, see the header) into out from value `from`.
 * @example syntheticValues(pool, 1000, words, 0, 42)
 */
export function syntheticValues(pool: { y: Float32Array; count: number }, count: number, out: Uint32Array, from: number, seed: number): void {
  const { y, count: n } = pool;
  const mean = new Float64Array(256);
  for (let i = 0; i < n; i++) for (let k = 0; k < 256; k++) mean[k] += y[i * 256 + k] / n;
  const rnd = xorshift(seed);
  const src = new Int32Array(BLEND);
  const wt = new Float64Array(BLEND);
  for (let v = 0; v < count; v++) {
    let norm = 0;
    for (let j = 0; j < BLEND; j++) {
      src[j] = (rnd() % n) * 256;
      wt[j] = gauss(rnd);
      norm += wt[j] * wt[j];
    }
    norm = Math.sqrt(norm) || 1;
    for (let j = 0; j < BLEND; j++) wt[j] /= norm;
    const o = (from + v) * 8;
    for (let w = 0; w < 8; w++) {
      let word = 0;
      for (let bit = 0; bit < 32; bit++) {
        const k = w * 32 + bit;
        const m = mean[k];
        let s = m;
        for (let j = 0; j < BLEND; j++) s += wt[j] * (y[src[j] + k] - m);
        if (s > 0) word |= 1 << bit;
      }
      out[o + w] = word >>> 0;
    }
  }
}

/**
 * A Gaussian model of region_mag's 40 log magnitudes (the lookup bench's generator for 10M pictures): the mean and
 * covariance of lowMagnitudes over real regions (forEachRealRegion), sampled as mean + L z (L: Cholesky factor of the
 * covariance, z standard normal) and hashed by the same balancing and projection as a real region (magnitudeWords).
 */
export async function magnitudeModel(perPhoto: number, scenes: number, seed = 7): Promise<{ count: number; sample: (rnd: () => number, words: Uint32Array, at: number) => void }> {
  const logs: Float64Array[] = [];
  await forEachRealRegion(perPhoto, scenes, seed, (g) => logs.push(lowMagnitudes(g)));
  const d = MAGNITUDE_DIMS;
  const n = logs.length;
  const mean = new Float64Array(d);
  for (const l of logs) for (let i = 0; i < d; i++) mean[i] += l[i] / n;
  const cov = new Float64Array(d * d);
  for (const l of logs) for (let i = 0; i < d; i++) for (let j = 0; j <= i; j++) cov[i * d + j] += ((l[i] - mean[i]) * (l[j] - mean[j])) / (n - 1);
  const chol = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = cov[i * d + j];
      for (let k = 0; k < j; k++) s -= chol[i * d + k] * chol[j * d + k];
      chol[i * d + j] = i === j ? Math.sqrt(Math.max(s, 1e-12)) : s / chol[j * d + j];
    }
  }
  const z = new Float64Array(d);
  const l = new Float64Array(d);
  const w = new Uint32Array(8);
  return {
    count: n,
    sample(rnd, words, at) {
      for (let i = 0; i < d; i++) z[i] = gauss(rnd);
      for (let i = 0; i < d; i++) {
        let s = mean[i];
        for (let k = 0; k <= i; k++) s += chol[i * d + k] * z[k];
        l[i] = s;
      }
      w.fill(0);
      magnitudeWords(l, w);
      words.set(w, at * 8);
    },
  };
}
