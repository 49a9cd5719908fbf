/**
 * bench:robust helper — what recall the robust signals' index must give: for every edit of bench:robust, the
 * distances of its region_dct and region_mag true matches, and which edits an index configuration would still find
 * (per edit class, beside PDQ alone), with the false matches against the real pictures of bench:robust's bank.
 * An index finds a banked value from a query value when, in some table, the substring distance is within that
 * table's probe radius (refined pigeonhole, multi-index-base.ts); this script computes that test for each pair
 * directly, so a configuration's recall needs no 10M index (bench:robust-lookup measures its cost).
 * Configurations (BENCH_RECALL_CONFIGS, ";"-separated): "t=32" (exact at radius 32), "t=32,g=21" (approximate, exact
 * up to 21 bits), "t=32,g=16,m=11,order=none" (bit order none|learnt), and for region_mag "mt=22,mg=…" likewise;
 * region_mag's 16 off-centre lookup values match within "sr=" (default REGION_MAG_SHIFTED_REACH; sr=-1 leaves them
 * out) through the same index (exact up to mg only), as the matcher serves a value with a reach.
 * BENCH_ROBUST_CACHE=/tmp/x.json keeps the hashed pictures (they take minutes) for the next run.
 * Run: node --import tsx bench/robust/index-recall.ts
 * Measured 2026-12-01 02:50 UTC, load 3.8 (balanced region_mag): region_dct 32 exact to 10 with region_mag 32 and the
 * off-centre forms within 28: 643/666 = 96.5% by distance; region_mag exact to 8 635 (off-centre 75/90), to 10 636,
 * to 12 639, to 16 642; false matches 2/666 (PDQ's) up to region_mag 34 / reach 28, 3/666 at 36 / 30. Before the
 * balancing (threshold 22, reach 18): 630 by distance, 629 exact to 8 (off-centre 69 -> 68/90).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { permuteWords, type BitOrder } from '../../src/core/index/bit-order.js';
import { REGION_DCT_BIT_ORDER } from '../../src/core/signals/region_dct/region-dct-bit-order.js';
import { REGION_MAG_BIT_ORDER } from '../../src/core/signals/region_mag/region-mag-bit-order.js';
import { hashAll, hashUnrelated, loadSources, type HashedPicture } from './robust-data.js';
import { dist, prepare, type Prepared } from './prepared-values.js';
import { indexFinds, type IndexConfig } from './index-finds.js';
import { REGION_MAG_SHIFTED_REACH } from '../../src/core/signals/region_mag/region-mag.js';

const SCENES = Number(process.env.BENCH_ROBUST_SCENES ?? 10);
const UNRELATED = Number(process.env.BENCH_ROBUST_UNRELATED ?? 300);
const CACHE = process.env.BENCH_ROBUST_CACHE;
const PDQ_T = 31;
const log = (s: string) => console.log(s);

interface Data { originals: HashedPicture[]; edits: HashedPicture[]; unrelated: HashedPicture[] }
async function data(): Promise<Data> {
  if (CACHE && existsSync(CACHE)) return JSON.parse(readFileSync(CACHE, 'utf8')) as Data;
  const sources = await loadSources(SCENES);
  const { originals, edits } = await hashAll(sources, (n) => { if (n % 100 === 0) process.stderr.write(`  ${n} edits hashed\r`); });
  const unrelated = await hashUnrelated(UNRELATED);
  const d = { originals, edits, unrelated };
  if (CACHE) writeFileSync(CACHE, JSON.stringify(d));
  return d;
}


/** Values in a bit order (a scratch copy per value). */
function ordered(vs: Uint32Array[] | undefined, order: BitOrder | undefined): Uint32Array[] {
  if (!vs) return [];
  if (!order) return vs;
  return vs.map((v) => { const o = new Uint32Array(8); permuteWords(v, order, o); return o; });
}

interface Config { name: string; dct: IndexConfig; mag: IndexConfig; shifted: IndexConfig }
function parseConfig(s: string): Config {
  const kv = new Map(s.split(',').map((p) => p.split('=') as [string, string]));
  const num = (k: string, d: number) => (kv.has(k) ? Number(kv.get(k)) : d);
  const order = kv.get('order') === 'none' ? undefined : REGION_DCT_BIT_ORDER;
  const magOrder = kv.get('morder') === 'learnt' ? REGION_MAG_BIT_ORDER : undefined;
  const t = num('t', 32);
  const mt = num('mt', 22);
  return {
    name: s,
    dct: { t, g: num('g', 256), m: num('m', 11), order },
    mag: { t: mt, g: num('mg', 256), m: num('mm', 11), order: magOrder },
    shifted: { t: Math.min(mt, num('sr', REGION_MAG_SHIFTED_REACH)), g: num('mg', 256), m: num('mm', 11), order: magOrder },
  };
}

/** Whether an index of config c finds any pair (query value of q, banked value of b) of a type. */
function pairFound(c: IndexConfig, qs: Uint32Array[], bs: Uint32Array[]): boolean {
  for (const a of qs) for (const b of bs) if (indexFinds(c, a, b, dist(a, b))) return true;
  return false;
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const { originals, edits, unrelated } = await data();
  log(`index-recall  ${new Date().toISOString()}  load ${loadavg().map((x) => x.toFixed(1)).join(' ')}; data in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  const lowQuality = new Set(originals.filter((o) => o.quality < 50).map((o) => o.family));
  const O = originals.map(prepare);
  const E = edits.filter((e) => !lowQuality.has(e.family)).map(prepare);
  const bankPics = [...O, ...E, ...unrelated.map(prepare)];
  const classes = [...new Set(E.map((e) => e.pic.kind))];

  // Distances of the true matches: the nearest pair per type, and how the nearest region_dct distances spread.
  const near = (q: Prepared, b: Prepared, type: string) => {
    let best = 256;
    for (const x of q.query.get(type) ?? []) for (const y of b.bank.get(type) ?? []) best = Math.min(best, dist(x, y));
    return best;
  };
  const dPdq = E.map((q) => dist(q.pdq, O[q.pic.family].pdq));
  const dDct = E.map((q) => near(q, O[q.pic.family], 'region_dct'));
  const dMag = E.map((q) => near(q, O[q.pic.family], 'region_mag'));
  log(`\n## Nearest true-match distance per edit class (${E.length} edits): PDQ / region_dct / region_mag, median and share of edits within`);
  log('| edit class | edits | PDQ median | region_dct median | region_dct <= 16 / 21 / 24 / 28 / 32 | region_mag median | region_mag <= 16 / 20 / 22 | found only by region_dct in 29..32 |');
  log('|---|---|---|---|---|---|---|---|');
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  for (const k of [...classes, 'all']) {
    const idx = E.map((e, i) => (k === 'all' || e.pic.kind === k ? i : -1)).filter((i) => i >= 0);
    const within = (d: number[], r: number) => idx.filter((i) => d[i] <= r).length;
    const only = idx.filter((i) => dPdq[i] > PDQ_T && dMag[i] > 22 && dDct[i] > 28 && dDct[i] <= 32).length;
    log(`| ${k} | ${idx.length} | ${med(idx.map((i) => dPdq[i]))} | ${med(idx.map((i) => dDct[i]))} | ${[16, 21, 24, 28, 32].map((r) => within(dDct, r)).join(' / ')} | ${med(idx.map((i) => dMag[i]))} | ${[16, 20, 22].map((r) => within(dMag, r)).join(' / ')} | ${only} |`);
  }
  const hist = new Array<number>(40).fill(0);
  for (const d of dDct) if (d < 40) hist[d]++;
  log(`region_dct nearest true distance histogram 0..39: ${hist.join(' ')}`);

  const configs = (process.env.BENCH_RECALL_CONFIGS
    ?? 't=32;t=30;t=28;t=32,g=26;t=32,g=24;t=32,g=21;t=32,g=16;t=32,g=11;t=32,g=21,mg=11;t=32,g=16,mg=11').split(';').map(parseConfig);
  // Per picture, values in each config's bit orders (the two orders in use: learnt for region_dct, none for region_mag).
  type Vals = { dq: Uint32Array[]; db: Uint32Array[]; mq: Uint32Array[]; mb: Uint32Array[]; ms: Uint32Array[] };
  const cache = new Map<string, Map<Prepared, Vals>>();
  const valsOf = (p: Prepared, c: Config): Vals => {
    const key = `${c.dct.order ? 'o' : 'n'}${c.mag.order ? 'o' : 'n'}`;
    if (!cache.has(key)) cache.set(key, new Map());
    const m = cache.get(key)!;
    if (!m.has(p)) {
      m.set(p, { dq: ordered(p.query.get('region_dct'), c.dct.order), db: ordered(p.bank.get('region_dct'), c.dct.order),
        mq: ordered(p.query.get('region_mag'), c.mag.order), mb: ordered(p.bank.get('region_mag'), c.mag.order),
        ms: ordered(p.query.get('region_mag_shifted'), c.mag.order) });
    }
    return m.get(p)!;
  };
  const foundBy = (c: Config, q: Prepared, b: Prepared) => {
    if (dist(q.pdq, b.pdq) <= PDQ_T) return true;
    const vq = valsOf(q, c);
    const vb = valsOf(b, c);
    return pairFound(c.dct, vq.dq, vb.db) || pairFound(c.mag, vq.mq, vb.mb) || (c.shifted.t >= 0 && pairFound(c.shifted, vq.ms, vb.mb));
  };
  log(`\n## Found per edit class, PDQ alone and PDQ or robust signals through an index of each configuration; false matches: edited queries with any hit on a picture of another family (${bankPics.length} real pictures)`);
  log(`| configuration | ${classes.join(' | ')} | all | queries with a false match |`);
  log(`|---|${classes.map(() => '---|').join('')}---|---|`);
  const row = (name: string, ok: (i: number) => boolean, falseCount: number) => {
    const cells = [...classes, 'all'].map((k) => {
      const idx = E.map((e, i) => (k === 'all' || e.pic.kind === k ? i : -1)).filter((i) => i >= 0);
      const n = idx.filter(ok).length;
      return k === 'all' ? `${n}/${idx.length} = ${((100 * n) / idx.length).toFixed(1)}%` : `${n}/${idx.length}`;
    });
    log(`| ${name} | ${cells.join(' | ')} | ${falseCount}/${E.length} |`);
  };
  const pdqFalse = E.filter((q) => bankPics.some((b) => b.pic.family !== q.pic.family && dist(q.pdq, b.pdq) <= PDQ_T)).length;
  row('PDQ alone <= 31', (i) => dPdq[i] <= PDQ_T, pdqFalse);
  for (const c of configs) {
    const ok = E.map((q) => foundBy(c, q, O[q.pic.family]));
    const falseCount = E.filter((q) => bankPics.some((b) => b.pic.family !== q.pic.family && foundBy(c, q, b))).length;
    row(`region_dct ${c.dct.t}${c.dct.g < c.dct.t ? ` exact to ${c.dct.g}` : ''}${c.dct.order ? '' : ' no order'} m=${c.dct.m}; region_mag ${c.mag.t}${c.mag.g < c.mag.t ? ` exact to ${c.mag.g}` : ''}${c.mag.order ? ' learnt order' : ''}; off-centre ${c.shifted.t < 0 ? 'none' : `within ${c.shifted.t}`}`, (i) => ok[i], falseCount);
  }
}

await main();
