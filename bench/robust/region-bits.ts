/**
 * bench:robust-bits: the bit statistics of region_dct values, real (random regions of the PDQ sample photos and of
 * scenes), synthetic (region-pool.ts's moment-matched blends) and uniform, side by side: per-bit bias, pairwise
 * correlation, the Renyi-2 entropy of the multi-index's substrings (log2 of 1 / the chance two values share a
 * substring: 24 bits means buckets as small as uniform values'), and the distances between unrelated values.
 * Run: npm run bench:robust-bits
 */
import { loadavg } from 'node:os';
import { substringLayout, substring } from '../../src/core/index/multi-index-tables.js';
import { popcount32 } from '../../src/core/signals/pdq/pdq-hex.js';
import { learnBitOrder, permuteAll } from '../../src/core/index/bit-order.js';
import { poolWords, realPool, syntheticValues, xorshift } from './region-pool.js';

const PER_PHOTO = Number(process.env.BENCH_POOL_PER_PHOTO ?? 400);
const SCENES = Number(process.env.BENCH_POOL_SCENES ?? 100);
const SYNTH = Number(process.env.BENCH_BITS_SYNTH ?? 2_000_000);

function bitStats(name: string, w: Uint32Array, n: number): void {
  const ones = new Float64Array(256);
  for (let i = 0; i < n; i++) for (let k = 0; k < 256; k++) if ((w[i * 8 + (k >>> 5)] >>> (k & 31)) & 1) ones[k]++;
  const p = Array.from(ones, (o) => o / n);
  const bias = p.map((x) => Math.abs(x - 0.5)).sort((a, b) => a - b);
  // Pairwise correlation on up to 20,000 values.
  const m = Math.min(n, 20_000);
  const bits = new Float32Array(m * 256);
  for (let i = 0; i < m; i++) for (let k = 0; k < 256; k++) bits[i * 256 + k] = (((w[i * 8 + (k >>> 5)] >>> (k & 31)) & 1) - p[k]) / Math.sqrt(p[k] * (1 - p[k]) || 1);
  const corr: number[] = [];
  for (let a = 0; a < 256; a++) {
    for (let b = a + 1; b < 256; b++) {
      let s = 0;
      for (let i = 0; i < m; i++) s += bits[i * 256 + a] * bits[i * 256 + b];
      corr.push(Math.abs(s / m));
    }
  }
  corr.sort((a, b) => a - b);
  const q = (arr: number[], f: number) => arr[Math.min(arr.length - 1, Math.floor(f * arr.length))].toFixed(3);
  console.log(`${name} (${n.toLocaleString('en')} values): |P(1) - 0.5| median ${q(bias, 0.5)}, p90 ${q(bias, 0.9)}, max ${q(bias, 1)};`
    + ` |corr| of bit pairs median ${q(corr, 0.5)}, p99 ${q(corr, 0.99)}, max ${q(corr, 1)} (noise level ${(1 / Math.sqrt(m)).toFixed(3)})`);
  // Renyi-2 entropy of the substrings of the multi-index at 11 substrings (24 bits), and of 12-bit halves.
  for (const [label, m2] of [['11 x 23-24 bits', 11], ['21 x 12-13 bits', 21]] as const) {
    const { starts, lens } = substringLayout(m2);
    const h: string[] = [];
    for (let t = 0; t < m2; t++) {
      const counts = new Map<number, number>();
      for (let i = 0; i < n; i++) {
        const key = substring(w, i * 8, starts[t], lens[t]);
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      let pairs = 0;
      for (const c of counts.values()) pairs += (c * (c - 1)) / 2;
      const coll = pairs / ((n * (n - 1)) / 2);
      h.push(coll > 0 ? (-Math.log2(coll)).toFixed(1) : `>${Math.log2((n * (n - 1)) / 2).toFixed(0)}`);
    }
    console.log(`  Renyi-2 entropy of substrings (${label}): ${h.join(' ')}`);
  }
}

function distances(name: string, w: Uint32Array, n: number, groupOf: (i: number) => number): void {
  const rnd = xorshift(99);
  const d: number[] = [];
  while (d.length < 200_000) {
    const a = rnd() % n, b = rnd() % n;
    if (groupOf(a) === groupOf(b)) continue;
    let s = 0;
    for (let j = 0; j < 8; j++) s += popcount32(w[a * 8 + j] ^ w[b * 8 + j]);
    d.push(s);
  }
  d.sort((x, y) => x - y);
  const mean = d.reduce((x, y) => x + y, 0) / d.length;
  const sd = Math.sqrt(d.reduce((x, y) => x + (y - mean) ** 2, 0) / d.length);
  const within = (r: number) => d.filter((x) => x <= r).length / d.length;
  console.log(`  distance between unrelated values: mean ${mean.toFixed(1)}, sd ${sd.toFixed(1)}, p0.1% ${d[Math.floor(d.length * 0.001)]}, share <= 32: ${within(32).toExponential(1)}, <= 48: ${within(48).toExponential(1)}`);
}

const t0 = performance.now();
const pool = await realPool(PER_PHOTO, SCENES);
const real = poolWords(pool);
console.log(`pool: ${pool.count} real regions (${pool.photos} sample photos x ${PER_PHOTO}, ${SCENES} scenes x 20) in ${((performance.now() - t0) / 1000).toFixed(0)} s; load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
const perPhotoTotal = pool.photos * PER_PHOTO;
bitStats('real', real, pool.count);
distances('real', real, pool.count, (i) => (i < perPhotoTotal ? Math.floor(i / PER_PHOTO) : 1000 + Math.floor((i - perPhotoTotal) / 20)));
const synth = new Uint32Array(SYNTH * 8);
syntheticValues(pool, SYNTH, synth, 0, 1);
bitStats('synthetic', synth, SYNTH);
distances('synthetic', synth, SYNTH, (i) => i);
const order = learnBitOrder(real, pool.count, 11);
permuteAll(synth, SYNTH, order);
bitStats('synthetic, bits in the order learnt from the real values for 11 substrings', synth, SYNTH);
const uni = new Uint32Array(SYNTH * 8);
const rnd = xorshift(5);
for (let i = 0; i < uni.length; i++) uni[i] = rnd();
bitStats('uniform', uni, SYNTH);
distances('uniform', uni, SYNTH, (i) => i);
