/**
 * SketchedMultiIndex: multi-index hashing (see multi-index-hashing.ts) whose tables keep, next to each slot, a
 * 96-bit sketch of the hash: three of its words that share no bit with the table's substring. A probe then reads
 * its bucket as one run of memory and drops every candidate whose substring flips plus sketch distance already
 * exceed the radius (those bits are disjoint, so the sum is a lower bound of the distance: still exact); only
 * the few survivors are checked against the full hash, one random memory access each. Built for hashes with
 * correlated bits (region_dct), whose buckets hold tens of thousands of candidates per lookup at 10M pictures: the
 * plain index pays a cache miss for each. Costs 12 more bytes per hash per table. Optional bit order as there.
 */
import { HASH_WORDS, distanceAt, type HammingHit } from './hamming-index.js';
import { MultiIndexBase, pc, prepareBuild, type MultiIndexOptions, type StoredHashes } from './multi-index-base.js';
import { buildTable, substring, substringLayout } from './multi-index-tables.js';

/** Words per table entry: the slot, then three sketch words. */
const STRIDE = 4;

/** Options as MultiIndexOptions (approximate mode included; unset: exact). */
export type SketchedIndexOptions = MultiIndexOptions;

interface Tables extends StoredHashes {
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

export class SketchedMultiIndex extends MultiIndexBase<Tables> {
  readonly kind = 'multi-index-sketched';
  protected readonly candidateCost = 0.25;
  private sketch: number[][];
  private surv = new Uint32Array(4096);
  private survTab = new Uint8Array(4096);
  sink = 0;

  private constructor(t: Tables, m: number, options: SketchedIndexOptions) {
    super(t, m, options);
    this.sketch = sketchLayout(m);
  }

  /**
   * Builds the tables; the arrays are taken over (with a bit order, `words` is permuted in place).
   * @example SketchedMultiIndex.build(ids, words, { bitOrder: REGION_DCT_BIT_ORDER }).query(q, 32)
   */
  static build(ids: Uint32Array, words: Uint32Array, opts: SketchedIndexOptions = {}): SketchedMultiIndex {
    const m = prepareBuild(ids, words, opts);
    return new SketchedMultiIndex(sketchedTables(ids, words, m), m, opts);
  }

  protected buildParts(ids: Uint32Array, words: Uint32Array, m: number): Tables {
    this.sketch = sketchLayout(m);
    return sketchedTables(ids, words, m);
  }

  protected offsetsOf(t: number): Uint32Array {
    return this.parts.offsets[t];
  }

  protected slotAt(t: number, i: number): number {
    return this.parts.entries[t][i * STRIDE];
  }

  /** Zeroes the sketches of slot s in every table (a removed hash leaves nothing behind). */
  protected forgetTables(s: number): void {
    const p = this.parts;
    for (let t = 0; t < this.m; t++) {
      const key = substring(p.words, s * HASH_WORDS, this.starts[t], this.lens[t]);
      const e = p.entries[t];
      for (let i = p.offsets[t][key], end = p.offsets[t][key + 1]; i < end; i++) {
        if (e[i * STRIDE] === s) e.fill(0, i * STRIDE + 1, (i + 1) * STRIDE);
      }
    }
  }

  protected clearTables(old: Tables): void {
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
    const nk = this.nKeys;
    const keys = this.keys;
    const tabs = this.tabs;
    let sink = 0;
    for (let i = 0; i < nk; i++) sink ^= p.offsets[tabs[i]][keys[i]];
    let ns = 0;
    let nc = 0;
    for (let i = 0; i < nk; i++) {
      const t = tabs[i];
      const off = p.offsets[t];
      const from = off[keys[i]];
      const to = off[keys[i] + 1];
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

/** Per table of an m-substring layout, the words its sketch keeps. */
function sketchLayout(m: number): number[][] {
  const { starts, lens } = substringLayout(m);
  return starts.map((s, t) => sketchWords(s, lens[t]));
}

/** Builds the m sketched tables over n hashes. */
function sketchedTables(ids: Uint32Array, words: Uint32Array, m: number): Tables {
  const n = ids.length;
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
  return { count: n, ids, words, dead: new Uint8Array((n + 7) >>> 3), offsets, entries };
}
