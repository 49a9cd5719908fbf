/**
 * SketchedMultiIndex: multi-index hashing (see multi-index-hashing.ts) whose tables keep, next to each slot, a
 * sketch of the hash: 3 to 6 of its words (sketchWords) that share no bit with the table's substring. A probe then reads
 * its bucket as one run of memory and drops every candidate whose substring flips plus sketch distance already
 * exceed the radius (those bits are disjoint, so the sum is a lower bound of the distance: still exact); only
 * the few survivors are checked against the full hash, one random memory access each. Built for hashes with
 * correlated bits (region_dct), whose buckets hold tens of thousands of candidates per lookup at 10M pictures: the
 * plain index pays a cache miss for each. Costs 4 bytes per sketch word per hash per table. Optional bit order as there.
 * Slot bookkeeping (dead slots, delta, removal by hash or id ranges, rebuild) is MultiIndexBase's.
 */
import { HASH_WORDS, distanceAt, type HammingHit } from './hamming-index.js';
import { checkBitOrder } from './bit-order.js';
import { MultiIndexBase, pc, prepareBuild, type MultiIndexOptions, type StoredHashes } from './multi-index-base.js';
import { buildTable, substring, substringLayout } from './multi-index-tables.js';

/** Sketch words a table entry keeps unless told otherwise. */
export const DEFAULT_SKETCH_WORDS = 3;

/** Options as MultiIndexOptions (approximate mode included; unset: exact), and the sketch width. */
export interface SketchedIndexOptions extends MultiIndexOptions {
  /**
   * Words of the hash each table entry keeps (3..6; default 3): wider sketches drop more candidates inside the
   * buckets, so fewer hashes are verified by a random memory read, at 4 more bytes per hash per table each.
   */
  sketchWords?: number;
}

/** The arrays behind a built sketched index, e.g. to hand them to worker threads on SharedArrayBuffers. */
export interface SketchedIndexParts extends StoredHashes {
  substrings: number;
  /** Words per table entry: the slot, then the sketch words. */
  stride: number;
  offsets: Uint32Array[];
  /** Per table, `stride` words per hash in bucket order: slot, sketch words. */
  entries: Uint32Array[];
}

/** `count` words of a hash outside the words that substring [start, start+len) touches (at most 2), for table sketches. */
export function sketchWords(start: number, len: number, count = 3): number[] {
  const first = start >>> 5;
  const last = (start + len - 1) >>> 5;
  const out: number[] = [];
  for (let w = (last + 1) % HASH_WORDS; out.length < count; w = (w + 1) % HASH_WORDS) if (w < first || w > last) out.push(w);
  return out;
}

export class SketchedMultiIndex extends MultiIndexBase<SketchedIndexParts> {
  readonly kind = 'multi-index-sketched';
  protected readonly candidateCost = 0.25;
  private sketch: number[][];
  private surv = new Uint32Array(4096);
  private survTab = new Uint8Array(4096);
  private ranges = new Uint32Array(8192);
  sink = 0;

  private constructor(t: SketchedIndexParts, m: number, options: SketchedIndexOptions) {
    super(t, m, options);
    this.sketch = sketchLayout(m, t.stride - 1);
  }

  /**
   * Builds the tables; the arrays are taken over (with a bit order, `words` is permuted in place).
   * @example SketchedMultiIndex.build(ids, words, { bitOrder: REGION_DCT_BIT_ORDER }).query(q, 32)
   */
  static build(ids: Uint32Array, words: Uint32Array, opts: SketchedIndexOptions = {}): SketchedMultiIndex {
    const width = checkSketchWords(opts.sketchWords ?? DEFAULT_SKETCH_WORDS);
    const m = prepareBuild(ids, words, opts);
    return new SketchedMultiIndex(sketchedTables(ids, words, m, width), m, opts);
  }

  /**
   * An index over tables built elsewhere (by buildSketchedTable on other threads, or shared with a worker thread).
   * Several threads may query shared parts; only one may change them.
   */
  static fromParts(parts: SketchedIndexParts, opts: MultiIndexOptions = {}): SketchedMultiIndex {
    const { lens } = substringLayout(parts.substrings);
    checkSketchWords(parts.stride - 1);
    if (parts.offsets.length !== parts.substrings || parts.entries.length !== parts.substrings) throw new RangeError(`need ${parts.substrings} tables`);
    lens.forEach((len, t) => {
      if (parts.offsets[t].length !== 2 ** len + 1 || parts.entries[t].length < parts.count * parts.stride) throw new RangeError(`table ${t} has the wrong size`);
    });
    if (opts.bitOrder) checkBitOrder(opts.bitOrder);
    return new SketchedMultiIndex(parts, parts.substrings, opts);
  }

  /** The arrays behind the built tables, hashes in the index's bit order (recent adds are folded in first). */
  toParts(): SketchedIndexParts {
    if (this.delta.size > 0) this.rebuild();
    return this.parts;
  }

  protected buildParts(ids: Uint32Array, words: Uint32Array, m: number): SketchedIndexParts {
    const width = this.parts.stride - 1;
    this.sketch = sketchLayout(m, width);
    return sketchedTables(ids, words, m, width);
  }

  protected offsetsOf(t: number): Uint32Array {
    return this.parts.offsets[t];
  }

  protected slotAt(t: number, i: number): number {
    return this.parts.entries[t][i * this.parts.stride];
  }

  /** Zeroes the sketches of slot s in every table (a removed hash leaves nothing behind). */
  protected forgetTables(s: number): void {
    const p = this.parts;
    for (let t = 0; t < this.m; t++) {
      const key = substring(p.words, s * HASH_WORDS, this.starts[t], this.lens[t]);
      const e = p.entries[t];
      const stride = p.stride;
      for (let i = p.offsets[t][key], end = p.offsets[t][key + 1]; i < end; i++) {
        if (e[i * stride] === s) e.fill(0, i * stride + 1, (i + 1) * stride);
      }
    }
  }

  protected clearTables(old: SketchedIndexParts): void {
    for (const e of old.entries) e.fill(0);
  }

  protected tableBytes(): number {
    let bytes = 0;
    for (const o of this.parts.offsets) bytes += o.byteLength;
    for (const e of this.parts.entries) bytes += e.byteLength;
    return bytes;
  }

  protected probe(maxDistance: number, hits: HammingHit[]): void {
    const q = this.q;
    const p = this.parts;
    const stride = p.stride;
    const width = stride - 1;
    const nk = this.nKeys;
    const keys = this.keys;
    const tabs = this.tabs;
    const ranges = this.ensureRanges(nk);
    // Touch passes (as in MultiIndexHashing): loops that only load let the CPU have many cache and TLB misses in
    // flight at once — first the bucket offsets, then each bucket's first entry — so the filter loop finds them cached.
    let sink = 0;
    for (let i = 0; i < nk; i++) sink ^= p.offsets[tabs[i]][keys[i]];
    for (let i = 0; i < nk; i++) {
      const off = p.offsets[tabs[i]];
      ranges[2 * i] = off[keys[i]];
      ranges[2 * i + 1] = off[keys[i] + 1];
    }
    for (let i = 0; i < nk; i++) if (ranges[2 * i] !== ranges[2 * i + 1]) sink ^= p.entries[tabs[i]][ranges[2 * i] * stride];
    let ns = 0;
    let nc = 0;
    for (let i = 0; i < nk; i++) {
      const from = ranges[2 * i];
      const to = ranges[2 * i + 1];
      if (from === to) continue;
      nc += to - from;
      const t = tabs[i];
      const e = p.entries[t];
      const sw = this.sketch[t];
      const s0 = q[sw[0]] | 0, s1 = q[sw[1]] | 0, s2 = q[sw[2]] | 0;
      const budget = maxDistance - this.flips[i];
      for (let o = from * stride, end = to * stride; o < end; o += stride) {
        let d = pc3(s0 ^ e[o + 1], s1 ^ e[o + 2], s2 ^ e[o + 3]);
        for (let k = 3; k < width && d <= budget; k++) d += pc(q[sw[k]] ^ e[o + 1 + k]);
        if (d > budget) continue;
        if (ns === this.surv.length) this.growSurvivors();
        this.surv[ns] = e[o];
        this.survTab[ns++] = t;
      }
    }
    const w = p.words;
    for (let i = 0; i < ns; i++) sink ^= w[this.surv[i] * HASH_WORDS];
    this.sink = sink;
    for (let i = 0; i < ns; i++) {
      const s = this.surv[i];
      const d = distanceAt(q, w, s * HASH_WORDS, maxDistance);
      if (d > maxDistance || this.isDead(s) || this.foundEarlier(this.survTab[i], s)) continue;
      hits.push({ id: p.ids[s], distance: d });
    }
    this.lastCost.probes = nk;
    this.lastCost.candidates = nc;
    this.lastCost.survivors = ns;
  }

  private ensureRanges(n: number): Uint32Array {
    if (this.ranges.length < 2 * n) this.ranges = new Uint32Array(2 * n);
    return this.ranges;
  }

  private growSurvivors(): void {
    const s = new Uint32Array(this.surv.length * 2);
    s.set(this.surv);
    const t = new Uint8Array(this.surv.length * 2);
    t.set(this.survTab);
    this.surv = s;
    this.survTab = t;
  }
}

/** The sketch width (words of the hash a table entry keeps), checked: an integer 3..6. */
function checkSketchWords(width: number): number {
  if (!Number.isInteger(width) || width < 3 || width > 6) throw new RangeError(`sketchWords must be an integer 3..6, got ${width}`);
  return width;
}

/** Per table of an m-substring layout, the words its sketch keeps. */
function sketchLayout(m: number, width: number): number[][] {
  const { starts, lens } = substringLayout(m);
  return starts.map((s, t) => sketchWords(s, lens[t], width));
}

/** Builds the m sketched tables over n hashes. */
function sketchedTables(ids: Uint32Array, words: Uint32Array, m: number, width: number): SketchedIndexParts {
  const stride = width + 1;
  const n = ids.length;
  const { starts, lens } = substringLayout(m);
  const keys = new Uint32Array(n);
  const slots = new Uint32Array(n);
  const scratch = new Uint32Array(n * width);
  const offsets: Uint32Array[] = [];
  const entries: Uint32Array[] = [];
  for (let t = 0; t < m; t++) {
    const off = new Uint32Array(2 ** lens[t] + 1);
    const e = new Uint32Array(n * stride);
    buildSketchedTable(words, n, starts[t], lens[t], width, off, e, slots, keys, scratch);
    offsets.push(off);
    entries.push(e);
  }
  return { substrings: m, count: n, ids, words, dead: new Uint8Array((n + 7) >>> 3), stride, offsets, entries };
}

/**
 * Builds one sketched table: the offsets (2^len + 1 entries) and the entries (n x (width + 1) words: each slot in
 * bucket order, then its sketch words); slots and keys are scratch space of n entries, `scratch` of n x width.
 * Tables are independent, so callers may build them on several threads.
 */
export function buildSketchedTable(words: Uint32Array, n: number, start: number, len: number, width: number,
  offsets: Uint32Array, entries: Uint32Array, slots: Uint32Array, keys: Uint32Array, scratch = new Uint32Array(n * width)): void {
  buildTable(words, n, start, len, offsets, slots, keys, { words: sketchWords(start, len, width), entries, scratch });
}

/**
 * popcount(a) + popcount(b) + popcount(c) in one reduction: each word's 2-bit and 4-bit steps alone, then the three
 * sums of 4-bit fields (at most 12 each) added and reduced together. The filter loop's hot spot (~22,000 candidate
 * entries a PDQ lookup at 10M): a fifth fewer operations than three separate counts.
 * @example pc3(1, 3, 7) // 6
 */
export function pc3(a: number, b: number, c: number): number {
  a = a - ((a >>> 1) & 0x55555555);
  a = (a & 0x33333333) + ((a >>> 2) & 0x33333333);
  b = b - ((b >>> 1) & 0x55555555);
  b = (b & 0x33333333) + ((b >>> 2) & 0x33333333);
  c = c - ((c >>> 1) & 0x55555555);
  c = (c & 0x33333333) + ((c >>> 2) & 0x33333333);
  let x = a + b + c;
  x = (x & 0x0f0f0f0f) + ((x >>> 4) & 0x0f0f0f0f);
  return Math.imul(x, 0x01010101) >>> 24;
}
