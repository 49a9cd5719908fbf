/**
 * npm run bench:picture-lookup — the CPU time of one whole picture's lookup at 10M banked pictures, one core: its
 * PDQ value in the PDQ index (plain multi-index, radius 31, uniform random values as bench:match's uniform set), its
 * BENCH_PICTURE_DCT_FORMS (10) region_dct values within REGION_DCT_THRESHOLD in region_dct's production index
 * (ordered, exact to REGION_DCT_INDEX_EXACT_TO) and its 4 region_mag values within REGION_MAG_THRESHOLD + 16
 * off-centre ones within REGION_MAG_SHIFTED_REACH in region_mag's (natural, exact to REGION_MAG_INDEX_EXACT_TO), all
 * three indexes in memory at once (buildHammingIndex over each signal's own spec). Banked: 1 PDQ, 7 region_dct and 2
 * region_mag values a picture, region_dct and region_mag from their Gaussian models (dct-model.ts; region-pool.ts
 * magnitudeModel), read from the caches bench:robust-lookup writes with BENCH_LOOKUP_CACHE (the same file names;
 * made here when absent, on BENCH_PICTURE_THREADS (2) worker threads: region_dct ~8 us and region_mag ~55 us of CPU a value).
 * Prints p50/p99 of the whole picture and of each signal's part (timed inside the same lookups), the queries'
 * probes and candidates, and the other pictures hit. Env: BENCH_PICTURES (10,000,000), BENCH_LOOKUP_CACHE
 * (/tmp/lookup10m), BENCH_PICTURE_LOOKUPS (1000), BENCH_PICTURE_ROUNDS (3: the lookups are timed this many times,
 * rounds interleaved, the p50 is over all), BENCH_PICTURE_MAKE_ONLY=region_mag (only make region_mag's cache, e.g. while
 * another run is using the memory; =caches makes both and stops), BENCH_PICTURE_PARTS (default
 * "pdq,region_dct,region_mag": build and look up only these, e.g. one part alone), BENCH_PICTURE_PDQ_INDEX=sketched
 * (PDQ in the sketched multi-index instead of its registry spec, the matcher's plain multi-index), BENCH_PICTURE_MAG_INDEX=plain
 * (region_mag in the plain multi-index instead of its registry spec, the sketched one; same guaranteed radius). Besides each
 * part's time inside the whole lookups it prints each part's p50 with its lookups run in a row (one index touched
 * meanwhile), and how much of the process is on transparent huge pages. `npm run bench:picture-lookup` sets
 * GLIBC_TUNABLES=glibc.malloc.hugetlb=1 as the Docker image does (GLIBC_TUNABLES= to run on 4 KiB pages).
 * Measured 2026-12-01 10:57-11:05 UTC at 10M pictures on a new machine (2 cores, AMD EPYC VM, THP "madvise", no
 * hardware counters for perf), two runs one after the other, 3 rounds of 1,000 lookups (CPU time), 9.0 GiB resident:
 *   huge pages (8.7 GiB of it on 2 MiB pages), load 2.9-4.1: whole picture p50 1.93 ms, p99 2.68 ms; PDQ 0.65 ms
 *   (in a row 0.59), region_dct 0.22 ms (0.20), region_mag 1.05 ms (0.94);
 *   4 KiB pages (GLIBC_TUNABLES=), load 2.5-3.4: whole p50 2.69 ms, p99 4.12 ms; PDQ 0.90 ms (0.80), region_dct
 *   0.30 ms (0.27), region_mag 1.46 ms (1.27).
 * Per value the same 2,866 probes / 2,878 candidates (PDQ), 9 / 177 (region_dct), 9 / 609 (region_mag) in both.
 * Each part alone (BENCH_PICTURE_PARTS=one of them, 10:33-10:46 UTC, load 5-7): PDQ 0.63 ms on huge pages, 0.80 ms
 * on 4 KiB pages; region_mag 1.18 and 1.50 ms; PDQ + region_mag 2.04 ms on huge pages (PDQ 0.71, region_mag 1.27).
 * What this says: PDQ here is bench:match's index and query (registry spec: plain multi-index, 11 substrings of
 * 23-24 bits at 10M, uniform random values and queries): 2,866 probes is exactly radius 31's plan (3 tables of 24 bits
 * x 301 keys + 7 of 23 x 277 + 1 x 24) and bench:match makes the same; its 0.44 ms was another machine, quiet. The
 * "2x together" of the run below set figures of different runs side by side: on this machine a part costs
 * 1.1-1.15x its lookups in a row (likely the other indexes evicting its lines) and about its run alone (within the
 * load's noise). What costs is the page size: every probe and
 * candidate is a random read in 9 GiB, on 4 KiB pages each also walks page tables (18 MB of them, past the caches),
 * on 2 MiB pages it mostly does not: 2.69 -> 1.93 ms. Of what is left, about half is memory, half compute: a PDQ
 * value looked up again at once (all in cache) costs 0.27 ms against 0.53 ms cold; a region_mag value 0.017 against
 * 0.054 ms (means). Sketched PDQ (BENCH_PICTURE_PDQ_INDEX=sketched, 259 instead of 127 bytes a picture): alone 0.48
 * against 0.63 ms on huge pages; together (11:05-11:09 UTC, load 2.2-2.9, 10.2 GiB resident) whole picture p50
 * 1.73 ms, p99 2.49 ms (PDQ 0.48, region_dct 0.21, region_mag 1.00 ms).
 * Measured 2026-12-01 14:26-14:30 UTC (lead, afternoon machine: a random read ~270-320 ns one after another; quiet, load
 * 1.0-1.5), 10M pictures, PDQ and region_mag in the sketched index (registry), 13.6 GiB resident on huge pages: whole
 * picture p50 1.60 ms, p99 2.54 ms; PDQ 0.55 ms (954 probes, 21,819 candidates filtered in the buckets), region_dct
 * 0.27 ms, region_mag 0.76 ms; 262 + 608 + 471 bytes a picture; index builds 19 / 113 / 30 s. Earlier that afternoon,
 * plain PDQ beside sketched region_mag at load 2.6: whole p50 2.06 ms (PDQ 0.92 ms); region_mag alone (load 3.5-4.0)
 * plain 1.41 ms, sketched 0.86 ms.
 * Measured 2026-12-01 11:13-11:15 UTC (lead, quiet machine, load 1.1-1.3, nothing else running), 10M pictures, huge pages
 * (GLIBC_TUNABLES=glibc.malloc.hugetlb=1, 8.7 of 8.9 GiB on huge pages): whole picture p50 1.76 ms, p99 2.40 ms; PDQ 0.60 ms
 * (2,866 probes, 2,878 candidates a value), region_dct 0.21 ms (177 candidates), region_mag 0.94 ms (609 candidates, 0.14
 * other pictures hit a lookup); each part's lookups in a row 0.56 / 0.17 / 0.91 ms; index builds 5 / 66 / 8 s.
 * Measured 2026-12-01 07:24-07:34 UTC at 10M pictures (lead, region_mag's cache made first on one thread in 1,251 s),
 * load 1.0-1.3, 3 rounds of 1,000 lookups (CPU time), 9.0 GiB resident: whole picture p50 3.56 ms, p99 6.51 ms;
 * PDQ p50 1.15 ms (2,866 probes and 2,878 candidates a value; bench:match alone gave 0.44 ms), region_dct 0.38 ms
 * (177 candidates a value), region_mag 1.96 ms (609 candidates, 0.15 other pictures hit a lookup); index builds: PDQ
 * 32 s, region_dct 235 s, region_mag 40 s.
 * Measured 2026-12-01 06:30-06:37 UTC at 2M pictures only (BENCH_PICTURES=2000000
 * BENCH_PICTURE_VARIANTS="production;region_dct@8"; the 10M caches take ~40 min of CPU to make, more than was left),
 * load 2.1-5.7 on 2 cores, 3 interleaved rounds of 1,000 lookups (CPU time): whole picture p50 1.80 ms, p99 3.39 ms
 * with region_dct exact to 10 (PDQ 0.83 ms: at 2M its tables are 13 of ~20 bits and radius 31 costs 1,409 probes;
 * bench:match gives 0.44 ms at 10M; region_dct 0.16 ms, 44 candidates a value; region_mag 0.76 ms, 252 candidates);
 * region_dct exact to 8: 1.89 ms whole (region_dct 0.14 ms, 35 candidates; the whole's difference is noise from
 * PDQ's part). 2.7 GiB resident; at 10M expect ~10 GiB (608 + 207 + ~100 bytes a picture and the values).
 */
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync, writeSync } from 'node:fs';
import { loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';
import { HASH_WORDS, type HammingHit, type HammingIndex } from '../../src/core/index/hamming-index.js';
import { buildHammingIndex, PLAIN_MULTI_INDEX, type HammingIndexSpec } from '../../src/core/index/index-spec.js';
import { pdqSignal } from '../../src/core/signals/pdq/pdq-signal.js';
import { REGION_DCT_THRESHOLD } from '../../src/core/signals/region_dct/region-dct.js';
import { regionDctSignal } from '../../src/core/signals/region_dct/region-dct-signal.js';
import { REGION_MAG_SHIFTED_REACH, REGION_MAG_THRESHOLD } from '../../src/core/signals/region_mag/region-mag.js';
import { regionMagSignal } from '../../src/core/signals/region_mag/region-mag-signal.js';
import { dctModel } from './dct-model.js';
import type { ModelJob } from './model-worker.js';
// @ts-expect-error: a plain .mjs helper shared with the other benchmarks
import { memoryLatencyLine } from '../support/memory-latency.mjs';
import { magnitudeModel, xorshift } from './region-pool.js';

const PICTURES = Number(process.env.BENCH_PICTURES ?? 10_000_000);
const CACHE = process.env.BENCH_LOOKUP_CACHE ?? '/tmp/lookup10m';
const LOOKUPS = Number(process.env.BENCH_PICTURE_LOOKUPS ?? 1000);
const ROUNDS = Number(process.env.BENCH_PICTURE_ROUNDS ?? 3);
const THREADS = Number(process.env.BENCH_PICTURE_THREADS ?? 2);
const DCT_FORMS = Number(process.env.BENCH_PICTURE_DCT_FORMS ?? 10);
const PDQ_RADIUS = 31;
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');
const secs = (t0: number) => ((performance.now() - t0) / 1000).toFixed(0);
const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const log = (s: string) => console.log(s);
/** How much of the process is on transparent huge pages, and the kernel's THP mode (Linux; '' elsewhere). */
function hugePages(): string {
  try {
    const kib = Number(/AnonHugePages:\s+(\d+)/.exec(readFileSync('/proc/self/smaps_rollup', 'utf8'))?.[1] ?? 0);
    const mode = /\[(\w+)\]/.exec(readFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8'))?.[1];
    return `, ${(kib / 2 ** 20).toFixed(1)} GiB of it on huge pages (THP ${mode}, GLIBC_TUNABLES=${process.env.GLIBC_TUNABLES ?? ''})`;
  } catch {
    return '';
  }
}

/** A worker thread does not inherit tsx's loader (Node 20): it registers it, then loads model-worker.ts. */
const WORKER = `import('tsx/esm/api').then((t) => { t.register(); return import(${JSON.stringify(new URL('./model-worker.ts', import.meta.url).href)}); })`;

/** One read or write moves at most 2 GiB. */
const PART = 1 << 30;

/**
 * Banked values and query values of one signal, from bench:robust-lookup's cache file of this shape (made and
 * written when absent). The file holds the banked words, then the query words.
 */
async function valuesOf(signal: 'region_dct' | 'region_mag', per: number, forms: number, make: () => Promise<(rnd: () => number, w: Uint32Array, at: number) => void>): Promise<{ words: Uint32Array; queries: Uint32Array }> {
  const n = PICTURES * per;
  const file = `${CACHE}-gauss-${signal}-${n}-${LOOKUPS * forms}.bin`;
  const cached = existsSync(file) && statSync(file).size === (n + LOOKUPS * forms) * HASH_WORDS * 4;
  // Made here: shared with the worker threads that make them.
  const words = new Uint32Array(cached ? new ArrayBuffer(n * HASH_WORDS * 4) : new SharedArrayBuffer(n * HASH_WORDS * 4));
  const queries = new Uint32Array(LOOKUPS * forms * HASH_WORDS);
  const t0 = performance.now();
  if (cached) {
    const fd = openSync(file, 'r');
    for (const [a, at] of [[words, 0], [queries, words.byteLength]] as const) {
      const b = new Uint8Array(a.buffer);
      for (let o = 0; o < b.length; o += PART) readSync(fd, b, o, Math.min(PART, b.length - o), at + o);
    }
    closeSync(fd);
    log(`${signal}: ${n.toLocaleString('en')} values read from ${file} in ${secs(t0)} s`);
    return { words, queries };
  }
  // The banked values on BENCH_PICTURE_THREADS worker threads (model-worker.ts), each its own share and stream.
  await Promise.all(Array.from({ length: THREADS }, (_, w) => new Promise((done, fail) => {
    const job: ModelJob = { signal, buffer: words.buffer as SharedArrayBuffer, from: Math.floor((n * w) / THREADS), to: Math.floor((n * (w + 1)) / THREADS), seed: 1000 + w };
    new Worker(WORKER, { eval: true, workerData: job }).on('message', done).on('error', fail);
  })));
  const sample = await make();
  const qr = xorshift(7);
  for (let i = 0; i < LOOKUPS * forms; i++) sample(qr, queries, i);
  const fd = openSync(file, 'w');
  for (const a of [words, queries]) {
    const b = new Uint8Array(a.buffer);
    for (let o = 0; o < b.length; o += PART) writeSync(fd, b.subarray(o, Math.min(b.length, o + PART)));
  }
  closeSync(fd);
  log(`${signal}: ${n.toLocaleString('en')} values made in ${secs(t0)} s (load ${load()}), written to ${file}`);
  return { words, queries };
}

/** One signal's index and its part of every lookup: query values with their radii. */
interface Part { name: string; index: HammingIndex & { lastCost: { probes: number; candidates: number } }; queries: Uint32Array; radii: number[] }

function build(name: string, spec: Parameters<typeof buildHammingIndex>[0], per: number, words: Uint32Array, queries: Uint32Array, radii: number[]): Part {
  const n = PICTURES * per;
  const ids = Uint32Array.from({ length: n }, (_, s) => Math.floor(s / per) + 1);
  const t0 = performance.now();
  const index = buildHammingIndex(spec, ids, words) as Part['index'];
  log(`${name}: index built in ${secs(t0)} s, ${(index.bytesUsed() / PICTURES).toFixed(0)} bytes a picture; load ${load()}`);
  return { name, index, queries, radii };
}

const pdqWords = new Uint32Array(PICTURES * HASH_WORDS);
const pdqQueries = new Uint32Array(LOOKUPS * HASH_WORDS);
{
  const rnd = xorshift(11);
  for (let i = 0; i < pdqWords.length; i++) pdqWords[i] = rnd();
  for (let i = 0; i < pdqQueries.length; i++) pdqQueries[i] = rnd();
}
const MAKE_ONLY = process.env.BENCH_PICTURE_MAKE_ONLY;
/** The parts built and looked up (BENCH_PICTURE_PARTS, default all three): one alone measures its index alone. */
const PARTS = (process.env.BENCH_PICTURE_PARTS ?? 'pdq,region_dct,region_mag').split(',');
const mag = PARTS.includes('region_mag') || MAKE_ONLY ? await valuesOf('region_mag', 2, 20, async () => (await magnitudeModel(400, 150)).sample) : undefined;
if (MAKE_ONLY === 'region_mag') process.exit(0);
const dct = PARTS.includes('region_dct') || MAKE_ONLY ? await valuesOf('region_dct', 7, DCT_FORMS, async () => (await dctModel(400, 150)).sample) : undefined;
if (MAKE_ONLY === 'caches') process.exit(0);
/** PDQ's index: the registry's spec for PDQ (the matcher's), or BENCH_PICTURE_PDQ_INDEX=sketched to compare. */
const PDQ_INDEX: HammingIndexSpec = process.env.BENCH_PICTURE_PDQ_INDEX === 'sketched' ? { kind: 'multi-index-sketched' } : pdqSignal.hammingIndex ?? PLAIN_MULTI_INDEX;
/** region_mag's index: the registry's (sketched), or BENCH_PICTURE_MAG_INDEX=plain for the plain multi-index (same guaranteed radius). */
const MAG_INDEX: HammingIndexSpec = process.env.BENCH_PICTURE_MAG_INDEX === 'plain' ? { ...regionMagSignal.hammingIndex, kind: 'multi-index' } : regionMagSignal.hammingIndex ?? PLAIN_MULTI_INDEX;
const parts: Part[] = [
  ...(PARTS.includes('pdq') ? [build('pdq', PDQ_INDEX, 1, pdqWords, pdqQueries, [PDQ_RADIUS])] : []),
  ...(dct ? [build('region_dct', regionDctSignal.hammingIndex, 7, dct.words, dct.queries, Array(DCT_FORMS).fill(REGION_DCT_THRESHOLD))] : []),
  ...(mag ? [build('region_mag', MAG_INDEX, 2, mag.words, mag.queries, [...Array(4).fill(REGION_MAG_THRESHOLD), ...Array(16).fill(REGION_MAG_SHIFTED_REACH)])] : []),
];
log(memoryLatencyLine(1024));
log(`${PICTURES.toLocaleString('en')} pictures in ${parts.map((p) => p.name).join(', ')}; ${LOOKUPS} lookups x ${ROUNDS} rounds; heap+buffers ${(process.memoryUsage().rss / 2 ** 30).toFixed(1)} GiB rss${hugePages()}; load ${load()}`);

/**
 * Variants (BENCH_PICTURE_VARIANTS, ";"-separated, default "production"): each sets the radius up to which an index
 * is exact ("region_dct@8,region_mag@8"; "production" keeps the signals' specs), on the same built indexes (an index
 * reads that option at each query); variants are timed in interleaved rounds, so load changes hit all alike.
 */
const VARIANTS = (process.env.BENCH_PICTURE_VARIANTS ?? 'production').split(';');
const production = parts.map((p) => (p.index as unknown as { options: { guaranteedRadius?: number } }).options.guaranteedRadius);
function apply(variant: string): void {
  parts.forEach((p, k) => {
    const opts = (p.index as unknown as { options: { guaranteedRadius?: number } }).options;
    opts.guaranteedRadius = production[k];
    for (const s of variant.split(',')) {
      const [name, g] = s.split('@');
      if (name === p.name) opts.guaranteedRadius = Number(g);
    }
  });
}

interface Cost { ms: number[]; probes: number; candidates: number; hits: number }
const costs = VARIANTS.map(() => parts.map((): Cost => ({ ms: [], probes: 0, candidates: 0, hits: 0 })));
const wholes = VARIANTS.map(() => [] as number[]);
/** The same parts timed part-major: each part's lookups in a row, so only that part's index is touched meanwhile. */
const inRow = VARIANTS.map(() => parts.map(() => [] as number[]));
/** One signal's part of lookup i: its values queried, hits merged by picture (best distance); returns its CPU ms. */
function lookupPart(k: number, i: number, cost?: Cost): number {
  const p = parts[k];
  const t = cpuMs();
  const best = new Map<number, number>();
  p.radii.forEach((r, f) => {
    const at = (i * p.radii.length + f) * HASH_WORDS;
    for (const h of p.index.query(p.queries.subarray(at, at + HASH_WORDS), r) as HammingHit[]) {
      if (!(best.get(h.id)! <= h.distance)) best.set(h.id, h.distance);
    }
    if (cost) { cost.probes += p.index.lastCost.probes; cost.candidates += p.index.lastCost.candidates; }
  });
  const ms = cpuMs() - t;
  if (cost) { cost.ms.push(ms); cost.hits += best.size; }
  return ms;
}
/** One picture's lookup: every value of every signal. */
function lookup(i: number, cost?: Cost[], whole?: number[]): void {
  const t0 = cpuMs();
  parts.forEach((_, k) => lookupPart(k, i, cost?.[k]));
  whole?.push(cpuMs() - t0);
}
for (const v of VARIANTS) { apply(v); for (let i = 0; i < Math.min(200, LOOKUPS); i++) lookup(i); } // warm-up (JIT)
for (let round = 0; round < ROUNDS; round++) {
  VARIANTS.forEach((v, x) => {
    apply(v);
    for (let i = 0; i < LOOKUPS; i++) lookup(i, costs[x], wholes[x]);
    parts.forEach((_, k) => { for (let i = 0; i < LOOKUPS; i++) inRow[x][k].push(lookupPart(k, i)); });
  });
}
const q = (a: number[], x: number) => [...a].sort((p, r) => p - r)[Math.floor(x * (a.length - 1))].toFixed(2);
const timed = LOOKUPS * ROUNDS;
VARIANTS.forEach((v, x) => {
  log(`${v}: whole picture (${parts.map((p) => p.radii.length).join(' + ')} values): CPU p50 ${q(wholes[x], 0.5)} ms, p99 ${q(wholes[x], 0.99)} ms; load ${load()}`);
  parts.forEach((p, k) => {
    const c = costs[x][k];
    const nv = timed * p.radii.length;
    log(`  ${p.name} (${p.radii.length} values): p50 ${q(c.ms, 0.5)} ms, p99 ${q(c.ms, 0.99)} ms; per value ${(c.probes / nv).toFixed(0)} probes,`
      + ` ${(c.candidates / nv).toFixed(0)} candidates; other pictures hit per lookup ${(c.hits / timed).toFixed(2)};`
      + ` each part's lookups in a row: p50 ${q(inRow[x][k], 0.5)} ms`);
  });
});
