/**
 * Exploration (issue 12, off-centre crops): region_mag looked up at several offset centres, lookup side only (the
 * bank keeps its 2 values, so banks already made stay valid). An off-centre crop dropping share s of each side at
 * split (sx, sy) holds the original's central region at centre 0.5 + s (0.5 - sx) / (1 - s) of the crop (up to
 * ±0.17 for s = 0.25), at share a / (1 - s) for a banked share a: the centred lookup regions meet it only for small
 * shifts. Variants add, per query, regions of region_mag's ladder (0.8 r^k) centred on a grid of offsets, each
 * moved inward to stay inside the content box. For every edit of bench:robust's sources: found by its own family's
 * banked values (PDQ <= 31, region_dct, region_mag) per edit class; false matches: queries with any value within
 * threshold of another family's banked values (originals, edits, unrelated scenes), as bench:robust counts them
 * among its real pictures; and the lookup-side cost (regions hashed per query, and the offset regions' CPU time
 * over PDQ alone's on the same pictures: the WebAssembly kernels, the content box and table already made).
 * Each variant's offset values are also tried at lower thresholds than region_mag's (T_EXTRA, default 16,18,20,22).
 * Run: node --expose-gc --max-old-space-size=4000 --import tsx bench/robust/offset-grid-explore.ts  (env SCENES
 * default 8, UNRELATED default 150, T_MAG default region_mag's threshold)
 */
import { loadavg } from 'node:os';
import { PICTURE_EDITS } from '../../test/support/picture-edits.js';
import { syntheticImage } from '../../test/support/synthetic-images.js';
import { isOrientation, orientPlane } from '../../src/core/picture/luma-plane.js';
import { decodeImageShrunkOnLoad } from '../../src/io/image/decode-image.js';
import { decoderShrink } from '../../src/core/signals/pdq/scaled-windows.js';
import { RegionContext } from '../../src/core/picture/region-context.js';
import { subRect, type RegionHash } from '../../src/core/picture/region-hash.js';
import type { Rect } from '../../src/core/picture/region-grid.js';
import { MIN_ROBUST_QUALITY } from '../../src/core/picture/picture-signals.js';
import { hexToWordsInto } from '../../src/core/index/hash-words.js';
import { popcount32 } from '../../src/core/signals/pdq/pdq-hex.js';
import { bankRegionDct, queryRegionDct, LADDER_STEP, REGION_DCT_THRESHOLD } from '../../src/core/signals/region_dct/region-dct.js';
import { bankRegionMag, queryRegionMag, MAGNITUDE_SHARE, REGION_MAG_THRESHOLD } from '../../src/core/signals/region_mag/region-mag.js';
import { hashPhotoBytes } from '../../src/services/hash-photo.js';
import { pictureKernels } from '../../src/services/picture-kernels-default.js';
import { loadSources } from './robust-data.js';

const T_MAG = Number(process.env.T_MAG ?? REGION_MAG_THRESHOLD);
const T_PDQ = 31;
const kernels = await pictureKernels();
const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };

/** A lookup variant: extra region_mag regions (rungs x centre offsets) on top of today's lookup values. */
interface Variant { name: string; rungs: number[]; offsets: [number, number][] }
const grid = (o: number): [number, number][] => [-o, 0, o].flatMap((dx) => [-o, 0, o].map((dy): [number, number] => [dx, dy]));
const corners = (o: number): [number, number][] => [[-o, -o], [o, -o], [-o, o], [o, o]];
const VARIANTS: Variant[] = [
  { name: 'today', rungs: [], offsets: [] },
  { name: 'rungs 0..-3 x 4 corners ±0.06', rungs: [0, -1, -2, -3], offsets: corners(0.06) },
  { name: 'rungs 0..-3 x 4 corners ±0.10', rungs: [0, -1, -2, -3], offsets: corners(0.1) },
  { name: 'rungs 0..-3 x 8 neighbours ±0.08', rungs: [0, -1, -2, -3], offsets: grid(0.08).filter(([x, y]) => x || y) },
  { name: 'rungs 0..-1 x 4 corners ±0.08', rungs: [0, -1], offsets: corners(0.08) },
];

/** `share` of the box's sides centred at (0.5 + dx, 0.5 + dy), moved inward to stay inside the box. */
function insideRect(box: Rect, share: number, dx: number, dy: number): Rect {
  const s = Math.min(share, 1);
  const half = s / 2;
  const cx = Math.min(Math.max(0.5 + dx, half), 1 - half);
  const cy = Math.min(Math.max(0.5 + dy, half), 1 - half);
  return subRect(box, s, cx, cy);
}

const words = (hex: string) => { const w = new Uint32Array(8); hexToWordsInto(hex, w, 0); return w; };
function near(a: Uint32Array[], b: Uint32Array[], t: number): boolean {
  for (const x of a) for (const y of b) {
    let d = 0;
    for (let i = 0; i < 8 && d <= t; i++) d += popcount32(x[i] ^ y[i]);
    if (d <= t) return true;
  }
  return false;
}
const kept = (hs: RegionHash[]) => [...new Set(hs.filter((h) => h.quality >= MIN_ROBUST_QUALITY).map((h) => h.hash))].map(words);

interface Pic { family: number; kind: string; quality: number; pdqMs: number; extraMs: number[]; pdq: Uint32Array; bankDct: Uint32Array[]; bankMag: Uint32Array[]; queryDct: Uint32Array[]; queryMag: Uint32Array[]; extraMag: Uint32Array[][]; regions: number[] }

async function hashPic(bytes: Buffer, family: number, kind: string): Promise<Pic> {
  // The plane hashPhotoBytes' fast pipeline (scans, match, bench:robust) hashes the robust signals on.
  const { pixels, header } = await decodeImageShrunkOnLoad(bytes, (h) => decoderShrink(h.width, h.height));
  const stored = kernels.lumaPlane(pixels);
  const plane = isOrientation(header.orientation) ? orientPlane(stored, header.orientation) : stored;
  const ctx = new RegionContext(plane, kernels);
  const t0 = cpuMs();
  const { hash: pdq, quality } = await hashPhotoBytes(bytes, 'fast');
  const pdqMs = cpuMs() - t0;
  const extraMs: number[] = [];
  const base = queryRegionMag(plane, ctx);
  const extraMag: Uint32Array[][] = [];
  const regions: number[] = [];
  for (const v of VARIANTS) {
    const t1 = cpuMs();
    const extra = v.rungs.flatMap((k) => v.offsets.map(([dx, dy]) => ctx.hashMagnitudes(ctx.table, insideRect(ctx.embedded, MAGNITUDE_SHARE * LADDER_STEP ** k, dx, dy))));
    extraMs.push(cpuMs() - t1);
    extraMag.push(kept(extra));
    regions.push(base.length + extra.length);
  }
  return { family, kind, quality, pdqMs, extraMs, pdq: words(pdq), bankDct: kept(bankRegionDct(plane, ctx)), bankMag: kept(bankRegionMag(plane, ctx)), queryDct: kept(queryRegionDct(plane, ctx)), queryMag: kept(base), extraMag, regions };
}

const sources = await loadSources(Number(process.env.SCENES ?? 8));
const originals: Pic[] = [];
const banked: Pic[] = [];
for (const [f, s] of sources.entries()) {
  originals.push(await hashPic(s.bytes, f, 'original'));
  for (const e of PICTURE_EDITS) banked.push(await hashPic(await e.apply(s.bytes, 17 + f), f, e.kind));
  process.stderr.write(`${s.name} `);
}
// As bench:robust: a source under PDQ quality 50 is not looked up (Meta's rule), its pictures stay in the bank.
const edits = banked.filter((e) => originals[e.family].quality >= 50);
const unrelated: Pic[] = [];
const sizes = [[800, 600], [600, 800], [720, 720], [960, 540]];
for (let i = 0; i < Number(process.env.UNRELATED ?? 150); i++) {
  const [w, h] = sizes[i % sizes.length];
  unrelated.push(await hashPic(await syntheticImage(w, h, 50_000 + i, 'jpeg', 85), -1, 'unrelated'));
}
process.stderr.write('\n');

const pdqNear = (a: Uint32Array, b: Uint32Array) => near([a], [b], T_PDQ);
/** region_mag: today's lookup values at its threshold, the variant's offset values at `tx`. */
const magNear = (q: Pic, v: number, b: Pic, tx: number) => near(q.queryMag, b.bankMag, T_MAG) || near(q.extraMag[v], b.bankMag, tx);
/** Found by its own original: PDQ, region_dct, or region_mag with the variant's lookup values. */
const foundBy = (q: Pic, v: number, b: Pic, tx: number) => pdqNear(q.pdq, b.pdq) || near(q.queryDct, b.bankDct, REGION_DCT_THRESHOLD) || magNear(q, v, b, tx);
const kinds = [...new Set(edits.map((e) => e.kind))];
console.log(`# region_mag at offset centres (lookup side): ${edits.length} queries (${sources.length} sources x ${PICTURE_EDITS.length} edits, sources under PDQ quality 50 left out); thresholds PDQ ${T_PDQ}, region_dct ${REGION_DCT_THRESHOLD}, region_mag ${T_MAG}`);
const EXTRA_T = (process.env.T_EXTRA ?? '16,18,20,22').split(',').map(Number);
console.log(`| variant | offset values' threshold | region_mag regions per query | offset values' CPU per query / PDQ alone's | ${kinds.join(' | ')} | all | queries with a false match (mag only / any signal) |`);
console.log(`|---|---|---|---|${kinds.map(() => '---|').join('')}---|---|`);
const others = [...originals, ...banked, ...unrelated];
for (const [v, variant] of VARIANTS.entries()) {
  for (const tx of v === 0 ? [T_MAG] : EXTRA_T) {
    const per = kinds.map((k) => {
      const qs = edits.filter((e) => e.kind === k);
      return `${qs.filter((q) => foundBy(q, v, originals[q.family], tx)).length}/${qs.length}`;
    });
    const all = edits.filter((q) => foundBy(q, v, originals[q.family], tx)).length;
    let magFalse = 0;
    let anyFalse = 0;
    for (const q of edits) {
      const strangers = others.filter((b) => b.family !== q.family);
      if (strangers.some((b) => magNear(q, v, b, tx))) magFalse++;
      if (strangers.some((b) => pdqNear(q.pdq, b.pdq) || near(q.queryDct, b.bankDct, REGION_DCT_THRESHOLD) || magNear(q, v, b, tx))) anyFalse++;
    }
    const regions = edits.reduce((n, e) => n + e.regions[v], 0) / edits.length;
    const cost = edits.reduce((n, e) => n + e.extraMs[v], 0) / edits.reduce((n, e) => n + e.pdqMs, 0);
    console.log(`| ${variant.name} | ${v === 0 ? '—' : tx} | ${regions.toFixed(1)} | ${v === 0 ? '—' : `${cost.toFixed(2)}x`} | ${per.join(' | ')} | ${(100 * all / edits.length).toFixed(1)}% | ${magFalse} / ${anyFalse} of ${edits.length} |`);
  }
}
console.log(`[load ${loadavg().map((x) => x.toFixed(2)).join(' ')}]`);
