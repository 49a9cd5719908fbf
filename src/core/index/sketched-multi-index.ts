/**
 * SketchedMultiIndex: multi-index hashing (see multi-index-hashing.ts) whose tables keep, next to each slot, a
 * 96-bit sketch of the hash: three of its words that share no bit with the table's substring. A probe then reads
 * its bucket as one run of memory and drops every candidate whose substring flips plus sketch distance already
 * exceed the radius (those bits are disjoint, so the sum is a lower bound of the distance: still exact); only
 * the few survivors are checked against the full hash, one random memory access each. Built for hashes with
 * correlated bits (region_dct), whose buckets hold tens of thousands of candidates per lookup at 10M pictures: the
 * plain index pays a cache miss for each. Costs 12 more bytes per hash per table. Optional bit order as there.
 */
import { checkBitOrder, permuteAll, permuteWords, type BitOrder } from './bit-order.js';
import { checkId, checkRadius, distanceAt, HASH_WORDS, popcount, type HammingHit, type HammingIndex } from './hamming-index.js';
import { LinearIndex } from './linear-index.js';
import { binomialSum, buildTable, defaultSubstrings, substring, substringLayout } from './multi-index-tables.js';
import type { QueryCost } from './multi-index-hashing.js';

/** Words per table entry: the slot, then three sketch words. */
const STRIDE = 4;

export interface SketchedIndexOptions {
  substrings?: number;
  deltaLimit?: number;
  probeAlways?: boolean;
  bitOrder?: BitOrder;
  /** Approximate mode, as MultiIndexOptions.guaranteedRadius (unset: exact). */
  guaranteedRadius?: number;
}

interface Tables {
  count: number;
  ids: Uint32Array;
  words: Uint32Array;
  dead: Uint8Array;
  offsets: Uint32Array[];
  /** Per table, STRIDE words per hash in bucket order: slot, sketch words. */
  entries: Uint32Array[];
}

/** The three words of a hash outside the words that substring [start, start+len) touches, for table sketches. */
export function sketchWords(start: number, len: number): number[] {
  const first = start >>> 5;
  const last = (start + len - 1) >>> 5;
  const out: number[] = [];
  for (let w = (last + 1) % HASH_WORDS; out.length < 3; w = (w + 1) % HASH_WORDS) if (w < first || w > last) out.push(w);
  return out;
}

export class SketchedMultiIndex implements HammingIndex {
  readonly kind = 'multi-index-sketched';
  private m: number;
  private starts: number[];
  private lens: number[];
  private sketch: number[][];
  private t: Tables;
  private deadCount = 0;
  private delta = new LinearIndex();
  private readonly q = new Uint32Array(HASH_WORDS);
  private radii: number[] = [];
  private keys = new Uint32Array(4096);
  private tabs = new Uint8Array(4096);
  private flips = new Uint8Array(4096);
  private nKeys = 0;
  private surv = new Uint32Array(4096);
  private survTab = new Uint8Array(4096);
  readonly lastCost: QueryCost & { survivors: number } = { probes: 0, candidates: 0, survivors: 0 };
  sink = 0;

  private constructor(t: Tables, m: number, private readonly options: SketchedIndexOptions) {
    this.m = m;
    ({ starts: this.starts, lens: this.lens } = substringLayout(m));
    this.sketch = this.starts.map((s, i) => sketchWords(s, this.lens[i]));
    this.t = t;
  }

  /**
   * Builds the tables; the arrays are taken over (with a bit order, `words` is permuted in place).
   * @example SketchedMultiIndex.build(ids, words, { bitOrder: REGION_DCT_BIT_ORDER }).query(q, 32)
   */
  static build(ids: Uint32Array, words: Uint32Array, opts: SketchedIndexOptions = {}): SketchedMultiIndex {
    const n = ids.length;
    for (let i = 0; i < n; i++) checkId(ids[i]);
    if (words.length < n * HASH_WORDS) throw new RangeError(`need ${n * HASH_WORDS} words for ${n} hashes, got ${words.length}`);
    if (opts.bitOrder) {
      checkBitOrder(opts.bitOrder);
      permuteAll(words, n, opts.bitOrder);
    }
    return SketchedMultiIndex.buildPermuted(ids, words, opts);
  }

  private static buildPermuted(ids: Uint32Array, words: Uint32Array, opts: SketchedIndexOptions): SketchedMultiIndex {
    const n = ids.length;
    const m = opts.substrings ?? defaultSubstrings(n);
    if (!Number.isInteger(m) || m < 8 || m > 64) throw new RangeError(`substrings must be an integer 8..64, got ${m}`);
    const { starts, lens } = substringLayout(m);
    const keys = new Uint32Array(n);
    const slots = new Uint32Array(n);
    const offsets: Uint32Array[] = [];
    const entries: Uint32Array[] = [];
    for (let t = 0; t < m; t++) {
      const off = new Uint32Array(2 ** lens[t] + 1);
      buildTable(words, n, starts[t], lens[t], off, slots, keys);
      const sw = sketchWords(starts[t], lens[t]);
      const e = new Uint32Array(n * STRIDE);
      for (let i = 0; i < n; i++) {
        const s = slots[i];
        e[i * STRIDE] = s;
        e[i * STRIDE + 1] = words[s * HASH_WORDS + sw[0]];
        e[i * STRIDE + 2] = words[s * HASH_WORDS + sw[1]];
        e[i * STRIDE + 3] = words[s * HASH_WORDS + sw[2]];
      }
      offsets.push(off);
      entries.push(e);
    }
    return new SketchedMultiIndex({ count: n, ids, words, dead: new Uint8Array((n + 7) >>> 3), offsets, entries }, m, opts);
  }

  get size(): number {
    return this.t.count - this.deadCount + this.delta.size;
  }

  get substrings(): number {
    return this.m;
  }

  add(id: number, words: ArrayLike<number>): void {
    checkId(id);
    this.delta.add(id, this.inOrder(words));
    if (this.delta.size > (this.options.deltaLimit ?? Math.max(4096, this.t.count >>> 10))) this.rebuild();
  }

  remove(id: number, written: ArrayLike<number>): boolean {
    const words = this.inOrder(written);
    if (this.delta.remove(id, words)) return true;
    const p = this.t;
    const key = substring(words, 0, this.starts[0], this.lens[0]);
    const e = p.entries[0];
    for (let i = p.offsets[0][key], end = p.offsets[0][key + 1]; i < end; i++) {
      const s = e[i * STRIDE];
      if (p.ids[s] !== id || this.isDead(s) || distanceAt(words, p.words, s * HASH_WORDS, 0) !== 0) continue;
      p.dead[s >>> 3] |= 1 << (s & 7);
      p.words.fill(0, s * HASH_WORDS, (s + 1) * HASH_WORDS);
      for (let t = 0; t < this.m; t++) this.zeroSketch(t, s, words);
      this.deadCount++;
      if (this.deadCount * 4 > p.count) this.rebuild();
      return true;
    }
    return false;
  }

  query(written: ArrayLike<number>, maxDistance: number): HammingHit[] {
    checkRadius(maxDistance);
    const q = this.q;
    const src = this.inOrder(written);
    for (let i = 0; i < HASH_WORDS; i++) q[i] = src[i];
    this.lastCost.probes = this.lastCost.candidates = this.lastCost.survivors = 0;
    const hits = this.delta.query(q, maxDistance);
    const p = this.t;
    if (p.count === 0) return hits;
    const probeR = Math.min(maxDistance, this.options.guaranteedRadius ?? maxDistance);
    if (!this.worthProbing(probeR)) return this.scan(maxDistance, hits);
    const m = this.m;
    const r1 = Math.floor(probeR / m);
    const a = probeR - m * r1;
    this.radii = this.lens.map((_, t) => (t <= a ? r1 : r1 - 1));
    this.nKeys = 0;
    for (let t = 0; t < m; t++) if (this.radii[t] >= 0) this.enumerate(t, substring(q, 0, this.starts[t], this.lens[t]), this.radii[t], 0, 0);
    const nk = this.nKeys;
    let sink = 0;
    for (let i = 0; i < nk; i++) sink ^= p.offsets[this.tabs[i]][this.keys[i]];
    let ns = 0;
    let nc = 0;
    for (let i = 0; i < nk; i++) {
      const t = this.tabs[i];
      const off = p.offsets[t];
      const from = off[this.keys[i]];
      const to = off[this.keys[i] + 1];
      if (from === to) continue;
      nc += to - from;
      const e = p.entries[t];
      const sw = this.sketch[t];
      const s0 = q[sw[0]] | 0, s1 = q[sw[1]] | 0, s2 = q[sw[2]] | 0;
      const budget = maxDistance - this.flips[i];
      for (let o = from * STRIDE, end = to * STRIDE; o < end; o += STRIDE) {
        if (pc(s0 ^ e[o + 1]) + pc(s1 ^ e[o + 2]) + pc(s2 ^ e[o + 3]) > budget) continue;
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
    return hits;
  }

  bytesUsed(): number {
    const p = this.t;
    let bytes = p.ids.byteLength + p.words.byteLength + p.dead.byteLength + this.delta.bytesUsed();
    for (const o of p.offsets) bytes += o.byteLength;
    for (const e of p.entries) bytes += e.byteLength;
    return bytes;
  }

  /** Compacts: drops dead hashes, folds the delta in, rebuilds the tables and swaps them in at once. */
  rebuild(): void {
    const p = this.t;
    const live = p.count - this.deadCount + this.delta.size;
    const ids = new Uint32Array(live);
    const words = new Uint32Array(live * HASH_WORDS);
    let n = 0;
    for (let s = 0; s < p.count; s++) {
      if (this.isDead(s)) continue;
      ids[n] = p.ids[s];
      words.set(p.words.subarray(s * HASH_WORDS, (s + 1) * HASH_WORDS), n * HASH_WORDS);
      n++;
    }
    const d = this.delta.arrays();
    ids.set(d.ids, n);
    words.set(d.words, n * HASH_WORDS);
    const next = SketchedMultiIndex.buildPermuted(ids, words, this.options);
    p.words.fill(0);
    for (const e of p.entries) e.fill(0);
    this.delta.clear();
    this.m = next.m;
    this.starts = next.starts;
    this.lens = next.lens;
    this.sketch = next.sketch;
    this.deadCount = 0;
    this.t = next.t;
  }

  private inOrder(words: ArrayLike<number>): ArrayLike<number> {
    if (!this.options.bitOrder) return words;
    const out = new Uint32Array(HASH_WORDS);
    permuteWords(words, this.options.bitOrder, out);
    return out;
  }

  private isDead(s: number): boolean {
    return (this.t.dead[s >>> 3] & (1 << (s & 7))) !== 0;
  }

  /** Zeroes the sketch of slot s in table t (a removed hash leaves nothing behind). */
  private zeroSketch(t: number, s: number, words: ArrayLike<number>): void {
    const key = substring(words, 0, this.starts[t], this.lens[t]);
    const e = this.t.entries[t];
    for (let i = this.t.offsets[t][key], end = this.t.offsets[t][key + 1]; i < end; i++) {
      if (e[i * STRIDE] === s) e.fill(0, i * STRIDE + 1, (i + 1) * STRIDE);
    }
  }

  private worthProbing(r: number): boolean {
    if (this.options.probeAlways) return true;
    const r1 = Math.floor(r / this.m);
    const a = r - this.m * r1;
    let cost = 0;
    for (let t = 0; t < this.m; t++) {
      const rt = t <= a ? r1 : r1 - 1;
      if (rt < 0) continue;
      const b = binomialSum(this.lens[t], rt);
      cost += b + (b * this.t.count) / 2 ** this.lens[t] / 4;
    }
    return cost < this.t.count / 4;
  }

  private enumerate(t: number, key: number, left: number, fromBit: number, flipped: number): void {
    if (this.nKeys === this.keys.length) this.growKeys();
    this.keys[this.nKeys] = key;
    this.tabs[this.nKeys] = t;
    this.flips[this.nKeys++] = flipped;
    if (left === 0) return;
    for (let b = fromBit; b < this.lens[t]; b++) this.enumerate(t, (key ^ (1 << b)) >>> 0, left - 1, b + 1, flipped + 1);
  }

  private growKeys(): void {
    const grow = <T extends Uint32Array | Uint8Array>(a: T, make: (n: number) => T): T => { const b = make(a.length * 2); b.set(a); return b; };
    this.keys = grow(this.keys, (n) => new Uint32Array(n));
    this.tabs = grow(this.tabs, (n) => new Uint8Array(n));
    this.flips = grow(this.flips, (n) => new Uint8Array(n));
  }

  private growSurvivors(): void {
    const s = new Uint32Array(this.surv.length * 2);
    s.set(this.surv);
    const t = new Uint8Array(this.surv.length * 2);
    t.set(this.survTab);
    this.surv = s;
    this.survTab = t;
  }

  /** True when an earlier table also probes this slot's bucket, so the hit is reported there, not twice. */
  private foundEarlier(t: number, s: number): boolean {
    const w = this.t.words;
    for (let i = 0; i < t; i++) {
      const rt = this.radii[i];
      if (rt < 0) continue;
      const x = substring(w, s * HASH_WORDS, this.starts[i], this.lens[i]) ^ substring(this.q, 0, this.starts[i], this.lens[i]);
      if (popcount(x) <= rt) return true;
    }
    return false;
  }

  private scan(r: number, hits: HammingHit[]): HammingHit[] {
    const p = this.t;
    for (let s = 0; s < p.count; s++) {
      const d = distanceAt(this.q, p.words, s * HASH_WORDS, r);
      if (d <= r && !this.isDead(s)) hits.push({ id: p.ids[s], distance: d });
    }
    return hits;
  }
}

/** Inlined popcount (kept local so the filter loop stays monomorphic). */
function pc(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}
