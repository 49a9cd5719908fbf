/**
 * Learns region_mag's balancing constants (src/core/picture/magnitude-centre.ts): per kept frequency, the population
 * mean and spread of (log magnitude - the region's mean log magnitude) over real regions (region-pool.ts: random
 * regions, 20-100% of each side, of the PDQ sample photos and of synthetic scenes), and writes that file. Then, on
 * regions drawn with another seed, compares the bits before (ranks of the raw logs) and after (ranks of the balanced
 * logs; and, for reference, the balanced logs' own signs without ranks): per-bit bias median |P(1) - 0.5|, the
 * expected exact-substring candidates per value at 6M banked values (2 per picture at 3M pictures; 11 substrings,
 * the collision rate of each substring x 6M), the distance between unrelated regions, and the distance a region
 * keeps when moved by 6% of its side (an off-centre crop) or scaled by 4% (a rescaled re-post).
 * Run: node --import tsx bench/robust/learn-magnitude-centre.ts [--check]  (--check: compare only, write nothing)
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { simHashWords } from '../../src/core/picture/coarse-hash.js';
import { balancedMagnitudes, lowMagnitudes, MAGNITUDE_DIMS as D, MAGNITUDE_PLANES } from '../../src/core/picture/magnitude-hash.js';
import { areaTable, regionGrid64, type Rect } from '../../src/core/picture/region-grid.js';
import { substring, substringLayout } from '../../src/core/index/multi-index-tables.js';
import { popcount32 } from '../../src/core/signals/pdq/pdq-hex.js';
import { scenePlane } from '../../test/support/luma-planes.js';
import { forEachRealRegion, samplePlanes, xorshift } from './region-pool.js';
import { jacobi } from './jacobi.js';

const PER_PHOTO = Number(process.env.BENCH_POOL_PER_PHOTO ?? 400);
const SCENES = Number(process.env.BENCH_POOL_SCENES ?? 150);
const check = process.argv.includes('--check');
/** Directions of largest variance shrunk to the next one's size. */
const DOMINANT = Number(process.env.MAGNITUDE_DOMINANT ?? 3);

// 1. Learn (seed 7).
const sum = new Float64Array(D);
const sq = new Float64Array(D);
let n = 0;
const photos = await forEachRealRegion(PER_PHOTO, SCENES, 7, (g) => {
  const l = lowMagnitudes(g);
  let level = 0;
  for (let k = 0; k < D; k++) level += l[k] / D;
  for (let k = 0; k < D; k++) {
    const x = l[k] - level;
    sum[k] += x;
    sq[k] += x * x;
  }
  n++;
});
const centre = Array.from(sum, (s) => s / n);
const spread = Array.from(sq, (s, k) => Math.sqrt(s / n - centre[k] ** 2));
// The balanced logs' covariance on the same regions (centre and spread applied), its leading eigenvectors.
const C = new Float64Array(D * D);
await forEachRealRegion(PER_PHOTO, SCENES, 7, (g) => {
  const l = lowMagnitudes(g);
  let level = 0;
  for (let k = 0; k < D; k++) level += l[k] / D;
  const z = Array.from(l, (x, k) => (x - level - centre[k]) / spread[k]);
  for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) C[i * D + j] += (z[i] * z[j]) / n;
});
const { values: eig, vectors: V } = jacobi(C, D);
const byEig = Array.from(eig.keys()).sort((a, b) => eig[b] - eig[a]);
const floor = eig[byEig[DOMINANT]];
const dominant = byEig.slice(0, DOMINANT).flatMap((e) => {
  // Sign fixed (largest entry positive) so that the file does not flip between runs.
  const v = Array.from({ length: D }, (_, i) => V[i * D + e]);
  const big = v.reduce((a, x) => (Math.abs(x) > Math.abs(a) ? x : a), 0);
  return v.map((x) => (big < 0 ? -x : x));
});
const deflate = byEig.slice(0, DOMINANT).map((e) => 1 - Math.sqrt(floor / eig[e]));
const fmt = (xs: number[]) => {
  const rows: string[] = [];
  for (let i = 0; i < xs.length; i += 8) rows.push(`  ${xs.slice(i, i + 8).map((x) => x.toFixed(6)).join(', ')},`);
  return rows.join('\n');
};
if (!check) {
  const out = resolve(import.meta.dirname, '../../src/core/picture/magnitude-centre.ts');
  writeFileSync(out, `/**
 * region_mag's balancing constants (magnitude-hash.ts, balancedMagnitudes), per kept frequency in FREQS order:
 * the population mean (MAGNITUDE_CENTRE) and standard deviation (MAGNITUDE_SPREAD) of a region's log magnitude
 * minus the region's own mean log magnitude; then the ${DOMINANT} leading eigenvectors of the covariance of the results
 * (MAGNITUDE_DOMINANT, ${DOMINANT} x 40; eigenvalues ${byEig.slice(0, DOMINANT).map((e) => eig[e].toFixed(2)).join(', ')} of a total of 40) and how much of each to take out
 * (MAGNITUDE_DEFLATE: 1 - sqrt(${floor.toFixed(2)} / eigenvalue), which leaves each as large as the next one, ${floor.toFixed(2)}).
 * Learnt by bench/robust/learn-magnitude-centre.ts from ${n} real regions (random regions, 20-100% of each side, of
 * ${photos} PDQ sample photos x ${PER_PHOTO} and of ${SCENES} synthetic scenes x 20), rounded to 6 decimals (the rounded values are
 * the definition). Storage-relevant: changing any of them changes every region_mag value (a migration, and banks
 * banked again from their pictures).
 */

export const MAGNITUDE_CENTRE: readonly number[] = [
${fmt(centre)}
];

export const MAGNITUDE_SPREAD: readonly number[] = [
${fmt(spread)}
];

export const MAGNITUDE_DOMINANT: readonly number[] = [
${fmt(dominant)}
];

export const MAGNITUDE_DEFLATE: readonly number[] = [${deflate.map((x) => x.toFixed(6)).join(', ')}];
`);
  console.log(`wrote ${out} from ${n} regions (${photos} photos); eigenvalues ${byEig.map((e) => eig[e].toFixed(2)).join(' ')}; re-run with --check to compare`);
  process.exit(0);
}

// 2. Compare, on regions of another seed.
type Variant = { name: string; words: (logs: Float64Array) => Uint32Array };
const variants: Variant[] = [
  { name: 'before: ranks of the raw logs', words: (l) => simHashWords(l, MAGNITUDE_PLANES, new Uint32Array(8)) },
  { name: 'after: ranks of the balanced logs', words: (l) => simHashWords(balancedMagnitudes(l), MAGNITUDE_PLANES, new Uint32Array(8)) },
  {
    name: 'reference: balanced logs, no ranks', words: (l) => {
      const x = balancedMagnitudes(l);
      const w = new Uint32Array(8);
      for (let k = 0; k < 256; k++) {
        let s = 0;
        for (let j = 0; j < D; j++) s += MAGNITUDE_PLANES[k * D + j] * x[j];
        if (s > 0) w[k >>> 5] |= 1 << (k & 31);
      }
      return w;
    },
  },
];
const logs: Float64Array[] = [];
await forEachRealRegion(PER_PHOTO, SCENES, 8, (g) => logs.push(lowMagnitudes(g)));
// Groups: regions of one photo / scene (forEachRealRegion visits them in order).
const groupOf = (i: number) => (i < photos * PER_PHOTO ? Math.floor(i / PER_PHOTO) : photos + Math.floor((i - photos * PER_PHOTO) / 20));
// Moved and scaled regions of the sample photos and of 40 scenes.
const planes = [...(await samplePlanes()), ...Array.from({ length: 40 }, (_, i) => scenePlane(256, 192, 7000 + i))];
const pairs: { a: Float64Array; moved: Float64Array; scaled: Float64Array }[] = [];
const rnd = xorshift(11);
for (const p of planes) {
  const t = areaTable(p);
  for (let i = 0; i < 20; i++) {
    const s = 0.5 + 0.3 * (rnd() / 2 ** 32);
    const w = s * p.width, h = s * p.height;
    const x0 = (0.5 - s / 2) * p.width, y0 = (0.5 - s / 2) * p.height;
    const r: Rect = { x0, y0, x1: x0 + w, y1: y0 + h };
    const ang = (2 * Math.PI * rnd()) / 2 ** 32;
    const dx = 0.06 * w * Math.cos(ang), dy = 0.06 * h * Math.sin(ang);
    const k = 1.04;
    pairs.push({
      a: lowMagnitudes(regionGrid64(t, r)),
      moved: lowMagnitudes(regionGrid64(t, { x0: r.x0 + dx, y0: r.y0 + dy, x1: r.x1 + dx, y1: r.y1 + dy })),
      scaled: lowMagnitudes(regionGrid64(t, { x0: x0 + (w - w / k) / 2, y0: y0 + (h - h / k) / 2, x1: x0 + (w + w / k) / 2, y1: y0 + (h + h / k) / 2 })),
    });
  }
}
const dist = (a: Uint32Array, b: Uint32Array) => { let d = 0; for (let i = 0; i < 8; i++) d += popcount32(a[i] ^ b[i]); return d; };
const q = (xs: number[], f: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(f * xs.length))];
console.log(`learn-magnitude-centre --check  ${new Date().toISOString()}  load ${loadavg().map((l) => l.toFixed(1)).join(' ')}; ${logs.length} held-out regions, ${pairs.length} moved/scaled pairs`);
for (const v of variants) {
  const w = logs.map(v.words);
  const ones = new Float64Array(256);
  for (const x of w) for (let k = 0; k < 256; k++) if ((x[k >>> 5] >>> (k & 31)) & 1) ones[k]++;
  const bias = Array.from(ones, (o) => Math.abs(o / w.length - 0.5));
  const { starts, lens } = substringLayout(11);
  let cand = 0;
  const flat = new Uint32Array(w.length * 8);
  w.forEach((x, i) => flat.set(x, i * 8));
  // Pairs sharing a substring, less those of one photo or scene (its many regions overlap; a bank holds one picture once).
  const groups = new Map<number, number>();
  for (let i = 0; i < w.length; i++) groups.set(groupOf(i), (groups.get(groupOf(i)) ?? 0) + 1);
  let samePairs = 0;
  for (const c of groups.values()) samePairs += c * (c - 1);
  for (let t = 0; t < 11; t++) {
    const counts = new Map<number, number>();
    const within = new Map<string, number>();
    for (let i = 0; i < w.length; i++) {
      const key = substring(flat, i * 8, starts[t], lens[t]);
      counts.set(key, (counts.get(key) ?? 0) + 1);
      const kg = `${key}:${groupOf(i)}`;
      within.set(kg, (within.get(kg) ?? 0) + 1);
    }
    let same = 0;
    for (const c of counts.values()) same += c * (c - 1);
    for (const c of within.values()) same -= c * (c - 1);
    cand += (same / (w.length * (w.length - 1) - samePairs)) * 6e6;
  }
  const rr = xorshift(3);
  const un: number[] = [];
  while (un.length < 100_000) { const a = rr() % w.length, b = rr() % w.length; if (groupOf(a) !== groupOf(b)) un.push(dist(w[a], w[b])); }
  const moved = pairs.map((p) => dist(v.words(p.a), v.words(p.moved)));
  const scaled = pairs.map((p) => dist(v.words(p.a), v.words(p.scaled)));
  const within = (xs: number[], r: number) => `${((100 * xs.filter((x) => x <= r).length) / xs.length).toFixed(0)}%`;
  console.log(`${v.name}: bias median ${q(bias, 0.5).toFixed(3)}, p90 ${q(bias, 0.9).toFixed(3)}; exact-substring candidates per value at 6M values ~${cand.toFixed(0)};`
    + ` unrelated distance median ${q(un, 0.5)}, p0.1% ${q(un, 0.001)}, min ${q(un, 0)}; moved 6%: median ${q(moved, 0.5)}, <=18/22/26/30 ${[18, 22, 26, 30].map((r) => within(moved, r)).join(' ')}; scaled 4%: median ${q(scaled, 0.5)}, <=22/26/30 ${[22, 26, 30].map((r) => within(scaled, r)).join(' ')}`);
}
