/**
 * What both multi-indexes (multi-index-hashing.ts, sketched-multi-index.ts) share: the stored hashes with their ids
 * and dead bits, the delta of recent adds, removal (by hash or by id ranges), the rebuild that compacts and swaps
 * in new tables, the bit order, the probe plan (which bucket keys each table probes for a radius, by the refined
 * pigeonhole of Norouzi, Punjani & Fleet), the duplicate check between tables and the scan fallback. A subclass
 * only lays out its tables, probes them, and says how to find a slot in table 0 and forget a slot's table data.
 */
import { checkBitOrder, permuteAll, permuteWords, type BitOrder } from './bit-order.js';
import { checkId, checkRadius, distanceAt, HASH_WORDS, popcount, type HammingHit, type HammingIndex } from './hamming-index.js';
import { inIdRanges, type IdRange } from './id-ranges.js';
import { LinearIndex } from './linear-index.js';
import { binomialSum, defaultSubstrings, substring, substringLayout } from './multi-index-tables.js';

export interface MultiIndexOptions {
  /** Number of substrings m; default from the size (about 256 / log2 N, between 8 and 16; see bucketBits). */
  substrings?: number;
  /** With the default substring count, substrings this many bits shorter: buckets of ~2^bucketBits hashes (default 0). */
  bucketBits?: number;
  /** Adds kept in the delta before the tables are rebuilt; default max(4096, N / 1024). */
  deltaLimit?: number;
  /** Always probe, never fall back to a scan (tests use it to exercise probing on small sets). */
  probeAlways?: boolean;
  /** A permutation of the 256 bits applied to every hash (learnBitOrder); the tables hold permuted hashes. */
  bitOrder?: BitOrder;
  /**
   * Approximate mode: probe as for this radius when a query asks for more. Hits within it are all found; hits
   * between it and the query's radius are found with high probability (bench:robust-lookup measures how often).
   * Unset (the default): exact at every radius.
   */
  guaranteedRadius?: number;
}

/** What the last query cost: bucket keys probed, candidates read from buckets, and hashes verified (for figures). */
export interface QueryCost {
  probes: number;
  candidates: number;
  survivors: number;
}

/** The stored hashes every multi-index keeps beside its tables. */
export interface StoredHashes {
  count: number;
  ids: Uint32Array;
  words: Uint32Array;
  dead: Uint8Array;
}

/** Checks ids and words and applies the bit order in place; returns the substring count to build with. */
export function prepareBuild(ids: Uint32Array, words: Uint32Array, opts: MultiIndexOptions): number {
  const n = ids.length;
  for (let i = 0; i < n; i++) checkId(ids[i]);
  if (words.length < n * HASH_WORDS) throw new RangeError(`need ${n * HASH_WORDS} words for ${n} hashes, got ${words.length}`);
  if (opts.bitOrder) {
    checkBitOrder(opts.bitOrder);
    permuteAll(words, n, opts.bitOrder);
  }
  return checkSubstrings(opts.substrings ?? defaultSubstrings(n, opts.bucketBits));
}

export function checkSubstrings(m: number): number {
  if (!Number.isInteger(m) || m < 8 || m > 64) throw new RangeError(`substrings must be an integer 8..64, got ${m}`);
  return m;
}

export abstract class MultiIndexBase<P extends StoredHashes> implements HammingIndex {
  abstract readonly kind: string;
  protected m: number;
  protected starts: number[];
  protected lens: number[];
  protected parts: P;
  protected deadCount = 0;
  protected readonly delta = new LinearIndex();
  protected readonly options: MultiIndexOptions;
  // Per-query state, set by query() (one JS thread: a query runs to its end before anything else).
  /** The query in the index's bit order. */
  protected readonly q = new Uint32Array(HASH_WORDS);
  /** Per table, the substring radius probed (negative: not probed). */
  protected radii: number[] = [];
  /** Bucket keys to probe: key, table, and bits flipped from the query's substring. */
  protected keys = new Uint32Array(4096);
  protected tabs = new Uint8Array(4096);
  protected flips = new Uint8Array(4096);
  protected nKeys = 0;
  private readonly permuted = new Uint32Array(HASH_WORDS);
  /** Probes, candidates and verified hashes of the last query (all 0 when it scanned or the tables are empty). */
  readonly lastCost: QueryCost = { probes: 0, candidates: 0, survivors: 0 };

  protected constructor(parts: P, m: number, options: MultiIndexOptions) {
    this.m = m;
    ({ starts: this.starts, lens: this.lens } = substringLayout(m));
    this.parts = parts;
    this.options = options;
    for (let s = 0; s < parts.count; s++) if (this.isDead(s)) this.deadCount++;
  }

  /** Builds the tables of this kind over hashes already in the index's bit order (taken over). */
  protected abstract buildParts(ids: Uint32Array, words: Uint32Array, m: number): P;
  /** The slot stored at position i of table t (bucket order). */
  protected abstract slotAt(t: number, i: number): number;
  /** Zeroes what the tables keep of slot s besides its slot number (its words are still there when called). */
  protected abstract forgetTables(s: number): void;
  /** Zeroes every table array (after a rebuild swapped in new ones). */
  protected abstract clearTables(old: P): void;
  /** Probes the buckets in keys/tabs/flips and appends the hits (not yet found in an earlier table) to hits. */
  protected abstract probe(maxDistance: number, hits: HammingHit[]): void;
  /** Bytes of the tables (offsets and slot/sketch arrays). */
  protected abstract tableBytes(): number;
  /** Cost of reading one candidate from a bucket, relative to one probe (for the scan-or-probe choice). */
  protected abstract readonly candidateCost: number;

  get size(): number {
    return this.parts.count - this.deadCount + this.delta.size;
  }

  /** Number of substrings (tables). */
  get substrings(): number {
    return this.m;
  }

  add(id: number, words: ArrayLike<number>): void {
    checkId(id);
    this.delta.add(id, this.inOrder(words));
    if (this.delta.size > (this.options.deltaLimit ?? Math.max(4096, this.parts.count >>> 10))) this.rebuild();
  }

  remove(id: number, written: ArrayLike<number>): boolean {
    const words = this.inOrder(written);
    if (this.delta.remove(id, words)) return true;
    const p = this.parts;
    const off = this.offsetsOf(0);
    const key = substring(words, 0, this.starts[0], this.lens[0]);
    for (let i = off[key], end = off[key + 1]; i < end; i++) {
      const s = this.slotAt(0, i);
      if (p.ids[s] !== id || this.isDead(s) || distanceAt(words, p.words, s * HASH_WORDS, 0) !== 0) continue;
      this.kill(s);
      if (this.deadCount * 4 > p.count) this.rebuild();
      return true;
    }
    return false;
  }

  /**
   * Removes every hash whose id is in the sorted, merged ranges, without knowing the hashes (the change log names
   * removed entries by id only): one pass over the ids, O(N) per call, so callers batch removals.
   */
  removeIdRanges(ranges: readonly IdRange[]): number {
    if (ranges.length === 0) return 0;
    let removed = this.delta.removeIdRanges(ranges);
    const p = this.parts;
    for (let s = 0; s < p.count; s++) {
      if (this.isDead(s) || !inIdRanges(ranges, p.ids[s])) continue;
      this.kill(s);
      removed++;
    }
    if (this.deadCount * 4 > p.count) this.rebuild();
    return removed;
  }

  query(written: ArrayLike<number>, maxDistance: number): HammingHit[] {
    checkRadius(maxDistance);
    const q = this.q;
    const src = this.inOrder(written);
    for (let i = 0; i < HASH_WORDS; i++) q[i] = src[i];
    this.lastCost.probes = this.lastCost.candidates = this.lastCost.survivors = 0;
    const hits = this.delta.query(q, maxDistance);
    if (this.parts.count === 0) return hits;
    const probeR = Math.min(maxDistance, this.options.guaranteedRadius ?? maxDistance);
    this.radii = this.radiiFor(probeR);
    if (!this.options.probeAlways && !this.worthProbing()) return this.scan(maxDistance, hits);
    this.nKeys = 0;
    for (let t = 0; t < this.m; t++) {
      if (this.radii[t] >= 0) this.enumerate(t, substring(q, 0, this.starts[t], this.lens[t]), this.radii[t], 0, 0);
    }
    this.probe(maxDistance, hits);
    return hits;
  }

  bytesUsed(): number {
    const p = this.parts;
    return p.ids.byteLength + p.words.byteLength + p.dead.byteLength + this.delta.bytesUsed() + this.tableBytes();
  }

  /** Compacts: drops dead slots, folds the delta in, rebuilds the tables, and swaps them in at once. */
  rebuild(): void {
    const p = this.parts;
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
    const m = checkSubstrings(this.options.substrings ?? defaultSubstrings(live, this.options.bucketBits));
    const next = this.buildParts(ids, words, m);
    p.words.fill(0);
    this.clearTables(p);
    this.delta.clear();
    this.m = m;
    ({ starts: this.starts, lens: this.lens } = substringLayout(m));
    this.deadCount = 0;
    this.parts = next;
  }

  /** The offsets array of table t (bucket k is positions offsets[k]..offsets[k+1]). */
  protected abstract offsetsOf(t: number): Uint32Array;

  protected isDead(s: number): boolean {
    return (this.parts.dead[s >>> 3] & (1 << (s & 7))) !== 0;
  }

  /** True when an earlier table also probes this slot's bucket, so the hit is reported there, not twice. */
  protected foundEarlier(t: number, s: number): boolean {
    const w = this.parts.words;
    for (let i = 0; i < t; i++) {
      const rt = this.radii[i];
      if (rt < 0) continue;
      const x = substring(w, s * HASH_WORDS, this.starts[i], this.lens[i]) ^ substring(this.q, 0, this.starts[i], this.lens[i]);
      if (popcount(x) <= rt) return true;
    }
    return false;
  }

  /** Marks slot s dead and zeroes everything stored of it. */
  private kill(s: number): void {
    const p = this.parts;
    this.forgetTables(s);
    p.dead[s >>> 3] |= 1 << (s & 7);
    p.words.fill(0, s * HASH_WORDS, (s + 1) * HASH_WORDS);
    this.deadCount++;
  }

  /** The hash in the index's bit order (a scratch array, valid until the next call). */
  private inOrder(words: ArrayLike<number>): ArrayLike<number> {
    if (!this.options.bitOrder) return words;
    permuteWords(words, this.options.bitOrder, this.permuted);
    return this.permuted;
  }

  /** Refined pigeonhole: r = m*r1 + a; tables 0..a probe r1 bits, the rest r1-1, and a hit differs by <= r_t in one. */
  private radiiFor(r: number): number[] {
    const r1 = Math.floor(r / this.m);
    const a = r - this.m * r1;
    return this.lens.map((_, t) => (t <= a ? r1 : r1 - 1));
  }

  /** Probing pays while the expected buckets plus candidates stay well below a full scan. */
  private worthProbing(): boolean {
    let cost = 0;
    for (let t = 0; t < this.m; t++) {
      const rt = this.radii[t];
      if (rt < 0) continue;
      const b = binomialSum(this.lens[t], rt);
      cost += b + (this.candidateCost * b * this.parts.count) / 2 ** this.lens[t];
    }
    return cost < this.parts.count / 4;
  }

  /** Appends the keys within `left` more flips of key (bits fromBit.. only, so each key comes once) for table t. */
  private enumerate(t: number, key: number, left: number, fromBit: number, flipped: number): void {
    if (this.nKeys === this.keys.length) this.growKeys();
    this.keys[this.nKeys] = key;
    this.tabs[this.nKeys] = t;
    this.flips[this.nKeys++] = flipped;
    if (left === 0) return;
    for (let b = fromBit; b < this.lens[t]; b++) this.enumerate(t, (key ^ (1 << b)) >>> 0, left - 1, b + 1, flipped + 1);
  }

  private growKeys(): void {
    const n = this.keys.length * 2;
    const keys = new Uint32Array(n);
    keys.set(this.keys);
    const tabs = new Uint8Array(n);
    tabs.set(this.tabs);
    const flips = new Uint8Array(n);
    flips.set(this.flips);
    this.keys = keys;
    this.tabs = tabs;
    this.flips = flips;
  }

  private scan(r: number, hits: HammingHit[]): HammingHit[] {
    const p = this.parts;
    for (let s = 0; s < p.count; s++) {
      const d = distanceAt(this.q, p.words, s * HASH_WORDS, r);
      if (d <= r && !this.isDead(s)) hits.push({ id: p.ids[s], distance: d });
    }
    return hits;
  }
}

/** Inlined popcount (kept local so the verify loops stay monomorphic). */
export function pc(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}
