/**
 * npm run bench:robust-lookup — the cost of a region_dct (BENCH_LOOKUP_SIGNAL=region_mag: region_mag) lookup in the
 * multi-index at 10M banked pictures, one core. A real picture banks 7 region_dct values and 2 region_mag values and
 * looks up 8-11 and 4 (8 when tilted) + 16 off-centre region_mag values within REGION_MAG_SHIFTED_REACH:
 * BENCH_LOOKUP_PER_PICTURE=7 BENCH_LOOKUP_FORMS=10 for region_dct, BENCH_LOOKUP_SIGNAL=region_mag
 * BENCH_LOOKUP_PER_PICTURE=2 BENCH_LOOKUP_FORMS=4 BENCH_LOOKUP_SHIFTED=16 BENCH_LOOKUP_DATA=gauss for region_mag
 * (BENCH_LOOKUP_SHIFTED values per lookup queried within BENCH_LOOKUP_REACH, default REGION_MAG_SHIFTED_REACH, after
 * the BENCH_LOOKUP_FORMS ones within the radius); the production indexes are "ordered@10" (region_dct: its bit
 * order, exact to 10 bits) and "natural@N" (region_mag: exact to REGION_MAG_INDEX_EXACT_TO).
 * BENCH_LOOKUP_DATA=gauss (region_dct): a Gaussian model of region_dct's rank vectors (dct-model.ts: mean and
 * covariance of the 64 doubled centred ranks of 7,000 real regions, carried through the hyperplanes, sampled from
 * tables; ~8 us a value), validated against held-out real values by dct-model-check.ts (same bit bias and bulk of the
 * distances; less clustered in the far tail than real values, so "other pictures hit" is a floor).
 * BENCH_LOOKUP_DATA=gauss (region_mag): a Gaussian model of region_mag's 40 log magnitudes (region-pool.ts,
 * magnitudeModel: mean and covariance of the logs of 7,000 real regions of the PDQ sample photos and scenes, sampled
 * as mean + Cholesky factor x standard normals), each sample hashed like a real region (balanced, ranked, SimHash:
 * magnitudeWords), ~50 us a value on the loaded machine. It keeps the logs' means and correlations, hence the bits'
 * bias and correlations as far as a Gaussian carries them; the real logs' tails (a frequency cancelled out) are not
 * modelled, so "other pictures hit per lookup" (values within the radius from an unrelated model picture) is the
 * model's estimate, not a measured false-match rate (real unrelated regions: none within 34 bits of 100,000 pairs).
 * Data: BENCH_LOOKUP_PICTURES pictures (default 10,000,000) x BENCH_LOOKUP_PER_PICTURE values (default 3) with the
 * bit statistics of real region_dct values (region-pool.ts: moment-matched blends of real regions of the PDQ sample
 * photos and scenes; BENCH_LOOKUP_DATA=uniform for uniform random values instead). A lookup = BENCH_LOOKUP_FORMS
 * query values (default 5; region_dct looks up 4 to 6) of fresh synthetic values; the first 500 lookups each have a
 * planted near-copy of their first value in the bank, 0..radius bits away (uniform random flips).
 * Per index kind (BENCH_LOOKUP_KINDS, default "natural,ordered": the bits as they come / in region_dct's learnt bit
 * order; "sketched": SketchedMultiIndex in that order, "sketchedW" with W sketch words (3..6); each optionally ":m" for m substrings and "@g" (or "@g1/g2") for the
 * approximate mode exact up to g bits only): build time, index bytes per banked picture, CPU time per lookup (p50, p99)
 * and per value, probes and candidates per value, planted recall, and for the first BENCH_LOOKUP_CHECK lookups
 * (default 20) the hits compared with a linear scan of every value.
 * BENCH_LOOKUP_CACHE=/tmp/x keeps the generated values in /tmp/x-...bin for the next run (without the planted copies).
 * Run: npm run bench:robust-lookup
 * Measured 2026-12-01 03:00 UTC, region_mag after balancing (gauss data), 3M pictures x 2 values, radius 32, lookup of
 * 4 values within 32 + 16 within 28, load average 2.8-3.8 on 2 cores (CPU time): natural@8 p50 0.47 ms, p99 1.00 ms,
 * 9 probes and 377 candidates per value; natural@10 0.59 ms, p99 0.86 ms (11, 483); natural@12 1.51 ms, p99 2.35 ms
 * (34, 1,210); 213 bytes per picture, built in 5 s; equal to the scan 3/3; other pictures hit per lookup 0.05-0.08.
 * (Before balancing: natural@8 p50 8.24 ms for 4 values only, 21,153 candidates per value, below.)
 * Measured 2026-12-01 03:3x UTC, same model at 10M pictures x 2 values (20M values, made in 1,523 s at load 1-6;
 * cached with BENCH_LOOKUP_CACHE), load average 1.1-2.9 on 2 cores (CPU time): natural@8 p50 1.06 ms, p99 2.25 ms,
 * 9 probes and 609 candidates per value; natural@10 0.99 ms, p99 1.72 ms (11, 726); natural@12 4.76 ms, p99 9.91 ms
 * (59, 2,451); 207 bytes per picture, built in 29 s; equal to the scan 1/1; other pictures hit per lookup 0.15-0.26
 * (the model's estimate; see above).
 * Measured 2026-12-01 05:42-06:30 UTC, region_dct on the Gaussian model (BENCH_LOOKUP_DATA=gauss), 10M pictures x 7
 * values (70M, made in 2,169 s wall at load 4-10, ~9 min of CPU; cached with BENCH_LOOKUP_CACHE), 10 values a lookup
 * within 32, load average 5.3-7.2 on 2 cores (CPU time): ordered@10 p50 0.49 ms, p99 4.29 ms, 11 probes and 222
 * candidates per value; ordered@8 p50 0.37 ms, p99 0.76 ms (9, 177); ordered@12 p50 2.04 ms, p99 6.10 ms (59, 706);
 * 608 bytes per picture, built in 499 s (under load); equal to the scan 1/1; other pictures hit per lookup 0 (the
 * model's far tail is thinner than real values': a floor). Exact to 8 or even 5 finds the same real edits as exact
 * to 10 (index-recall.ts: 635/666 = 95.3% each). Run: BENCH_LOOKUP_PICTURES=10000000 BENCH_LOOKUP_PER_PICTURE=7
 * BENCH_LOOKUP_FORMS=10 BENCH_LOOKUP_DATA=gauss BENCH_LOOKUP_KINDS=ordered@10/8/12 BENCH_LOOKUP_CHECK=1
 * BENCH_LOOKUP_CACHE=/tmp/lookup10m npm run bench:robust-lookup (~9 GB resident at 10M).
 * Measured 2026-11-30, 10M pictures x 3 values, radius 32, 5 values per lookup, load average 15-20 on 2 cores (CPU time):
 * natural 37.0 ms p50, 287 bytes/picture; ordered 24.8 ms, 287; sketched 8.85 ms, 683 (all exact, equal to the scan);
 * sketched@24 3.0 ms (planted 499/500); sketched@21 1.3 ms (planted 497/500).
 * Measured 2026-11-30 19:2x-19:50 UTC, same data, load average 7-25 on 2 cores (CPU time inflated ~2x by the load):
 * sketched (11 x 3 words) 18.4 ms p50, p99 133 ms, 683 bytes/picture, per value 3119 probes, 24284 candidates, 4992
 * verified; sketched6:13 12.3 ms p50, p99 67 ms, 1205 bytes/picture, 1599 probes, 99212 candidates, 640 verified,
 * built in 1705 s (wall, under load); both exact (planted 500/500, equal to the scan).
 * Measured 2026-11-30 22:1x-23:1x UTC, 3M pictures x 7 region_dct values (21M), 10 values per lookup, load average
 * 11-24 on 2 cores (CPU time inflated by the load, up to ~2x): ordered@16 p50 1.97 ms (152 probes, 1163 candidates
 * per value), ordered@13 1.10 ms (83, 545), ordered@11 0.65 ms (35, 287), ordered@10 0.97 ms at load 24 (11, 170),
 * ordered@8 0.44 ms (9, 134); 717 bytes per picture (7 values); build 165 s at load 13. At 23:29 UTC, load 3:
 * ordered@10 p50 0.33 ms, p99 2.67 ms, built in 45 s. 2026-12-01 04:10-04:25 UTC, 10M pictures x 7 region_dct values (70M, made
 * in 751 s), 10 values a lookup, load 1.1-2.0: ordered@10 p50 1.23 ms, p99 7.58 ms, 608 bytes per picture, 11 probes and
 * 566 candidates per value, built in 150 s; these blended values are far more clustered than real ones (483.8 other
 * pictures within 32 bits per lookup; real unrelated region_dct values are at 33+ bits, bench:robust), so pessimistic. region_mag (3M pictures x 2 values, 4 per lookup, radius 22,
 * load 3): natural@8 p50 8.24 ms, p99 47.8 ms, 9 probes but 21,153 candidates per value, 213 bytes per picture;
 * ordered@8 (REGION_MAG_BIT_ORDER) 10.3 ms at load 17 vs natural 22.9 ms at load 20 (10,580 candidates), but it
 * finds fewer real edits (90.7% vs 91.0%, index-recall.ts). Candidates grow with the
 * bank (x3.3 at 10M pictures). The synthetic values are more clustered in the far tail than real ones (pairs within
 * 32 bits: 1.4e-6 of synthetic pairs; none of 2.4M real unrelated pairs, nearest 53), so the planted-recall and
 * neighbour counts here are pessimistic; bench/robust/index-recall.ts gives the recall on real edits.
 */
import { closeSync, existsSync, openSync, readSync, statSync, writeSync } from 'node:fs';
import { loadavg } from 'node:os';
import { HASH_WORDS, popcount } from '../../src/core/index/hamming-index.js';
import { MultiIndexHashing } from '../../src/core/index/multi-index-hashing.js';
import { SketchedMultiIndex } from '../../src/core/index/sketched-multi-index.js';
import { REGION_DCT_BIT_ORDER } from '../../src/core/signals/region_dct/region-dct-bit-order.js';
import { REGION_MAG_BIT_ORDER } from '../../src/core/signals/region_mag/region-mag-bit-order.js';
import { REGION_DCT_THRESHOLD } from '../../src/core/signals/region_dct/region-dct.js';
import { REGION_MAG_SHIFTED_REACH, REGION_MAG_THRESHOLD } from '../../src/core/signals/region_mag/region-mag.js';
import { dctModel } from './dct-model.js';
import { magnitudeModel, realPool, syntheticValues, xorshift } from './region-pool.js';

const PICTURES = Number(process.env.BENCH_LOOKUP_PICTURES ?? 10_000_000);
const PER = Number(process.env.BENCH_LOOKUP_PER_PICTURE ?? 3);
/** region_dct (default) or region_mag: whose real values the synthetic ones imitate, and the default radius. */
const SIGNAL = process.env.BENCH_LOOKUP_SIGNAL === 'region_mag' ? 'region_mag' : 'region_dct';
const R = Number(process.env.BENCH_LOOKUP_RADIUS ?? (SIGNAL === 'region_mag' ? REGION_MAG_THRESHOLD : REGION_DCT_THRESHOLD));
/** Values a lookup queries within R, then values queried within REACH only (region_mag's off-centre forms). */
const CENTRED = Number(process.env.BENCH_LOOKUP_FORMS ?? 5);
const SHIFTED = Number(process.env.BENCH_LOOKUP_SHIFTED ?? 0);
const REACH = Math.min(R, Number(process.env.BENCH_LOOKUP_REACH ?? REGION_MAG_SHIFTED_REACH));
const FORMS = CENTRED + SHIFTED;
const radiusOf = (f: number) => (f < CENTRED ? R : REACH);
const DATA = process.env.BENCH_LOOKUP_DATA ?? 'real';
const KINDS = (process.env.BENCH_LOOKUP_KINDS ?? 'natural,ordered,sketched').split(',');
const LOOKUPS = Number(process.env.BENCH_LOOKUP_LOOKUPS ?? 1000);
const CHECK = Number(process.env.BENCH_LOOKUP_CHECK ?? 20);
const PLANTED = Math.min(500, LOOKUPS);
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');
const secs = (t0: number) => ((performance.now() - t0) / 1000).toFixed(0);
const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const log = (s: string) => console.log(s);

/** Flips k distinct random bits of the value at words[off..off+8). */
function flipBits(w: Uint32Array, off: number, k: number, next: () => number): void {
  const chosen = new Set<number>();
  while (chosen.size < k) chosen.add(next() & 255);
  for (const b of chosen) w[off + (b >>> 5)] ^= 1 << (b & 31);
}

/** One read or write moves at most 2 GiB: 10M pictures x 7 values is 2.24 GB, so the cache is moved in 1 GiB parts. */
const PART = 1 << 30;
function readAll(fd: number, into: Uint8Array, at: number): void {
  for (let o = 0; o < into.length; o += PART) readSync(fd, into, o, Math.min(PART, into.length - o), at + o);
}
function writeAll(fd: number, from: Uint8Array): void {
  for (let o = 0; o < from.length; o += PART) writeSync(fd, from.subarray(o, Math.min(from.length, o + PART)));
}

const N = PICTURES * PER;
let t0 = performance.now();
const words = new Uint32Array(N * HASH_WORDS);
const queries = new Uint32Array(LOOKUPS * FORMS * HASH_WORDS);
const CACHE = process.env.BENCH_LOOKUP_CACHE;
const cacheFile = CACHE && `${CACHE}-${DATA}-${SIGNAL}-${N}-${LOOKUPS * FORMS}.bin`;
// A cache of the wrong size (a run stopped while writing it) is made again.
const cached = !!cacheFile && existsSync(cacheFile) && statSync(cacheFile).size === words.byteLength + queries.byteLength;
if (cacheFile && cached) {
  const fd = openSync(cacheFile, 'r');
  readAll(fd, new Uint8Array(words.buffer), 0);
  readAll(fd, new Uint8Array(queries.buffer), words.byteLength);
  closeSync(fd);
  log(`values read from ${cacheFile}`);
} else if (DATA === 'uniform') {
  const rnd = xorshift(11);
  for (let i = 0; i < words.length; i++) words[i] = rnd();
  for (let i = 0; i < queries.length; i++) queries[i] = rnd();
} else if (DATA === 'gauss' && SIGNAL === 'region_dct') {
  const model = await dctModel(Number(process.env.BENCH_POOL_PER_PHOTO ?? 400), Number(process.env.BENCH_POOL_SCENES ?? 150));
  log(`Gaussian model of region_dct's rank vectors from ${model.count} real regions in ${secs(t0)} s`);
  const rnd = xorshift(1000);
  for (let i = 0; i < N; i++) {
    model.sample(rnd, words, i);
    if (i % 10_000_000 === 9_999_999) log(`  ${(i + 1).toLocaleString('en')} values made (${secs(t0)} s)`);
  }
  const qr = xorshift(7);
  for (let i = 0; i < LOOKUPS * FORMS; i++) model.sample(qr, queries, i);
} else if (DATA === 'gauss') {
  const model = await magnitudeModel(Number(process.env.BENCH_POOL_PER_PHOTO ?? 400), Number(process.env.BENCH_POOL_SCENES ?? 150));
  log(`Gaussian model of region_mag's log magnitudes from ${model.count} real regions in ${secs(t0)} s`);
  const rnd = xorshift(1000);
  for (let i = 0; i < N; i++) {
    model.sample(rnd, words, i);
    if (i % 5_000_000 === 4_999_999) log(`  ${(i + 1).toLocaleString('en')} values made (${secs(t0)} s)`);
  }
  const qr = xorshift(7);
  for (let i = 0; i < LOOKUPS * FORMS; i++) model.sample(qr, queries, i);
} else {
  const pool = await realPool(Number(process.env.BENCH_POOL_PER_PHOTO ?? 200), Number(process.env.BENCH_POOL_SCENES ?? 50), 7, SIGNAL);
  log(`pool of ${pool.count} real region values in ${secs(t0)} s`);
  const step = 1_000_000;
  for (let from = 0; from < N; from += step) {
    syntheticValues(pool, Math.min(step, N - from), words, from, 1000 + from / step);
    if ((from / step) % 10 === 9) log(`  ${(from + step).toLocaleString('en')} values made (${secs(t0)} s)`);
  }
  syntheticValues(pool, LOOKUPS * FORMS, queries, 0, 7);
}
if (cacheFile && !cached) {
  const fd = openSync(cacheFile, 'w');
  writeAll(fd, new Uint8Array(words.buffer));
  writeAll(fd, new Uint8Array(queries.buffer));
  closeSync(fd);
}
// Planted: lookup i's first form, k = i mod (R + 1) bits away, replaces the first value of picture i * 7919 mod P.
const rnd = xorshift(3);
const plantedAt = new Int32Array(PLANTED);
for (let i = 0; i < PLANTED; i++) {
  const pic = (i * 7919) % PICTURES;
  plantedAt[i] = pic;
  const dst = pic * PER * HASH_WORDS;
  words.set(queries.subarray(i * FORMS * HASH_WORDS, (i * FORMS + 1) * HASH_WORDS), dst);
  flipBits(words, dst, i % (R + 1), rnd);
}
log(`${PICTURES.toLocaleString('en')} pictures x ${PER} ${DATA} ${SIGNAL} values = ${N.toLocaleString('en')} values in ${secs(t0)} s; ${LOOKUPS} lookups of ${CENTRED} values within ${R}${SHIFTED ? ` + ${SHIFTED} within ${REACH}` : ''}; load ${load()}`);

/** One lookup's hits as "id:distance" (best distance per picture), sorted. */
function hitsOf(query: (q: Uint32Array, r: number) => { id: number; distance: number }[], i: number): string[] {
  const best = new Map<number, number>();
  for (let f = 0; f < FORMS; f++) {
    for (const h of query(queries.subarray((i * FORMS + f) * HASH_WORDS, (i * FORMS + f + 1) * HASH_WORDS), radiusOf(f))) {
      if (!best.has(h.id) || h.distance < best.get(h.id)!) best.set(h.id, h.distance);
    }
  }
  return [...best].map(([id, d]) => `${id}:${d}`).sort();
}

t0 = performance.now();
const scanned: string[][] = [];
for (let i = 0; i < CHECK; i++) {
  scanned.push(hitsOf((q, r) => {
    const hits: { id: number; distance: number }[] = [];
    for (let s = 0; s < N; s++) {
      const o = s * HASH_WORDS;
      let d = 0;
      for (let j = 0; j < HASH_WORDS && d <= r; j++) d += popcount(q[j] ^ words[o + j]);
      if (d <= r) hits.push({ id: Math.floor(s / PER) + 1, distance: d });
    }
    return hits;
  }, i));
}
log(`linear scan of the first ${CHECK} lookups: ${secs(t0)} s, ${scanned.reduce((a, h) => a + h.length, 0)} hits`);

const ids = Uint32Array.from({ length: N }, (_, s) => Math.floor(s / PER) + 1);
for (const spec of KINDS) {
  const [shape, guarantees] = spec.split('@');
  const [kind, m] = shape.split(':');
  // One build per shape; "@24/21" measures the approximate mode at 24 then 21 on it (the index reads its options).
  const sketched = /^sketched(\d)?$/.exec(kind);
  const opts: { substrings?: number; bitOrder?: Uint8Array; guaranteedRadius?: number; sketchWords?: number } = {
    substrings: m ? Number(m) : undefined, bitOrder: kind === 'natural' ? undefined : SIGNAL === 'region_mag' ? REGION_MAG_BIT_ORDER : REGION_DCT_BIT_ORDER,
    sketchWords: sketched?.[1] ? Number(sketched[1]) : undefined,
  };
  t0 = performance.now();
  let index: MultiIndexHashing | SketchedMultiIndex | undefined = sketched
    ? SketchedMultiIndex.build(ids, words.slice(), opts) : MultiIndexHashing.build(ids, words.slice(), opts);
  const built = secs(t0);
  for (const guaranteed of guarantees ? guarantees.split('/') : [undefined]) {
    opts.guaranteedRadius = guaranteed === undefined ? undefined : Number(guaranteed);
    measure(`${shape}${guaranteed ? `@${guaranteed}` : ''}`, index, built, guaranteed);
  }
  index = undefined;
  (globalThis as { gc?: () => void }).gc?.();
}

function measure(spec: string, index: MultiIndexHashing | SketchedMultiIndex, built: string, guaranteed: string | undefined): void {
  const query = (q: Uint32Array, r: number) => index.query(q, r);
  for (let i = LOOKUPS - 200; i < LOOKUPS; i++) hitsOf(query, i); // warm-up (JIT)
  const times: number[] = [];
  let probes = 0;
  let candidates = 0;
  let survivors = 0;
  let found = 0;
  let beyond = 0;
  let foundBeyond = 0;
  let equal = 0;
  let strangers = 0;
  for (let i = 0; i < LOOKUPS; i++) {
    const c0 = cpuMs();
    const hits = hitsOf((q, r) => {
      const h = index.query(q, r);
      probes += index.lastCost.probes;
      candidates += index.lastCost.candidates;
      survivors += index.lastCost.survivors;
      return h;
    }, i);
    times.push(cpuMs() - c0);
    const hit = i < PLANTED && hits.some((h) => h.startsWith(`${plantedAt[i] + 1}:`));
    if (hit) found++;
    strangers += hits.length - (hit ? 1 : 0);
    if (i < PLANTED && guaranteed && i % (R + 1) > Number(guaranteed)) {
      beyond++;
      if (hit) foundBeyond++;
    }
    if (i < CHECK && hits.join() === scanned[i].join()) equal++;
  }
  times.sort((a, b) => a - b);
  const p = (q: number) => times[Math.floor(q * (times.length - 1))].toFixed(2);
  const nv = LOOKUPS * FORMS;
  log(`${spec} (${index.substrings} substrings): built in ${built} s; ${(index.bytesUsed() / PICTURES).toFixed(0)} bytes per picture;`
    + ` lookup (${CENTRED}${SHIFTED ? ` + ${SHIFTED}` : ''} values) CPU p50 ${p(0.5)} ms, p99 ${p(0.99)} ms, per value ~${(Number(p(0.5)) / FORMS).toFixed(2)} ms;`
    + ` per value ${(probes / nv).toFixed(0)} probes, ${(candidates / nv).toFixed(0)} candidates, ${(survivors / nv).toFixed(0)} verified;`
    + ` other pictures hit per lookup ${(strangers / LOOKUPS).toFixed(3)}; planted found ${found}/${PLANTED}${guaranteed ? ` (${foundBeyond}/${beyond} of those planted ${Number(guaranteed) + 1}..${R} bits away)` : ''}; equal to the scan ${equal}/${CHECK}; load ${load()}`);
}
