/**
 * MultiIndexHashing (Norouzi, Punjani & Fleet): the 256 bits are cut into m substrings; table t sorts every hash
 * by its t-th substring (counting sort: an offsets array of 2^bits + 1 and a slot array of N, all typed arrays).
 * By pigeonhole a hash within r of the query has, in some table, a substring within floor(r/m) of the query's,
 * so probing those buckets and verifying the full 256 bits finds every hit: exact by construction.
 * Updates: adds go to a small LinearIndex delta, removes zero the hash and set a dead bit; when the delta or the
 * dead share grows past a limit the tables are rebuilt and swapped in in one assignment.
 * When a radius is so large that probing would cost more than a scan, the query scans instead (still exact).
 * With a bit order (bit-order.ts) every hash is permuted on the way in, so correlated bits land in different
 * substrings; distances, hence results, are unchanged.
 */
import { checkId, checkRadius, distanceAt, HASH_WORDS, popcount, type HammingHit, type HammingIndex } from './hamming-index.js';
import { inIdRanges, type IdRange } from './id-ranges.js';
import { LinearIndex } from './linear-index.js';
import { checkBitOrder, permuteAll, permuteWords, type BitOrder } from './bit-order.js';
import { binomialSum, buildTable, defaultSubstrings, substring, substringLayout } from './multi-index-tables.js';

export { buildTable, defaultSubstrings, substringLayout } from './multi-index-tables.js';

export interface MultiIndexOptions {
  /** Number of substrings m; default from the size (about 256 / log2 N, between 8 and 16). */
  substrings?: number;
  /** Adds kept in the delta before the tables are rebuilt; default max(4096, N / 1024). */
  deltaLimit?: number;
  /** Always probe, never fall back to a scan (tests use it to exercise probing on small sets). */
  probeAlways?: boolean;
  /** A permutation of the 256 bits applied to every hash (learnBitOrder); parts hold permuted hashes. */
  bitOrder?: BitOrder;
  /**
   * Approximate mode: probe as for this radius when a query asks for more. Hits within it are all found; hits
   * between it and the query's radius are found with high probability (bench:robust-lookup measures how often).
   * Unset (the default): exact at every radius.
   */
  guaranteedRadius?: number;
}

/** What the last query cost: bucket keys probed and candidates verified (for figures). */
export interface QueryCost {
  probes: number;
  candidates: number;
}

/** The arrays behind a built index, e.g. to hand them to worker threads on SharedArrayBuffers. */
export interface MultiIndexParts {
  substrings: number;
  count: number;
  ids: Uint32Array;
  words: Uint32Array;
  dead: Uint8Array;
  offsets: Uint32Array[];
  slots: Uint32Array[];
}

export class MultiIndexHashing implements HammingIndex {
  readonly kind = 'multi-index-hashing';
  private m: number;
  private starts: number[];
  private lens: number[];
  private parts: MultiIndexParts;
  private deadCount = 0;
  private delta = new LinearIndex();
  private readonly options: MultiIndexOptions;
  // Per-query state, set by query() (one JS thread: a query runs to its end before anything else).
  private readonly q = new Uint32Array(HASH_WORDS);
  private sink = 0;
  private radii: number[] = [];
  private keyBuf = new Uint32Array(4096);
  private tabBuf = new Uint8Array(4096);
  private nKeys = 0;
  private rangeBuf = new Uint32Array(8192);
  private candBuf = new Uint32Array(16384);
  private candTab = new Uint8Array(16384);
  private readonly permuted = new Uint32Array(HASH_WORDS);
  /** Probes and candidates of the last query (0 and 0 when it scanned or the tables are empty). */
  readonly lastCost: QueryCost = { probes: 0, candidates: 0 };

  private constructor(parts: MultiIndexParts, options: MultiIndexOptions = {}) {
    this.m = parts.substrings;
    ({ starts: this.starts, lens: this.lens } = substringLayout(this.m));
    this.parts = parts;
    this.options = options;
    for (let s = 0; s < parts.count; s++) if (parts.dead[s >>> 3] & (1 << (s & 7))) this.deadCount++;
  }

  /**
   * Builds the tables over n hashes. The arrays are taken over (not copied): do not change them afterwards (with a
   * bit order, the hashes in `words` are permuted in place).
   * @example MultiIndexHashing.build(ids, words).query(pdqHexToWords(hex), 31)
   */
  static build(ids: Uint32Array, words: Uint32Array, opts: MultiIndexOptions = {}): MultiIndexHashing {
    const n = ids.length;
    for (let i = 0; i < n; i++) checkId(ids[i]);
    if (words.length < n * HASH_WORDS) throw new RangeError(`need ${n * HASH_WORDS} words for ${n} hashes, got ${words.length}`);
    if (opts.bitOrder) {
      checkBitOrder(opts.bitOrder);
      permuteAll(words, n, opts.bitOrder);
    }
    return MultiIndexHashing.buildPermuted(ids, words, opts);
  }

  /** Builds the tables over hashes already in the index's bit order. */
  private static buildPermuted(ids: Uint32Array, words: Uint32Array, opts: MultiIndexOptions): MultiIndexHashing {
    const n = ids.length;
    const m = opts.substrings ?? defaultSubstrings(n);
    if (!Number.isInteger(m) || m < 8 || m > 64) throw new RangeError(`substrings must be an integer 8..64, got ${m}`);
    const { starts, lens } = substringLayout(m);
    const offsets: Uint32Array[] = [];
    const slots: Uint32Array[] = [];
    const keys = new Uint32Array(n);
    for (let t = 0; t < m; t++) {
      const off = new Uint32Array(2 ** lens[t] + 1);
      const sl = new Uint32Array(n);
      buildTable(words, n, starts[t], lens[t], off, sl, keys);
      offsets.push(off);
      slots.push(sl);
    }
    const parts = { substrings: m, count: n, ids, words, dead: new Uint8Array((n + 7) >>> 3), offsets, slots };
    return new MultiIndexHashing(parts, opts);
  }

  /**
   * An index over arrays built elsewhere (by buildTable on other threads, or shared with a worker thread).
   * Several threads may query shared parts; only one may change them.
   */
  static fromParts(parts: MultiIndexParts, opts: MultiIndexOptions = {}): MultiIndexHashing {
    const { lens } = substringLayout(parts.substrings);
    if (parts.offsets.length !== parts.substrings || parts.slots.length !== parts.substrings) throw new RangeError(`need ${parts.substrings} tables`);
    lens.forEach((len, t) => {
      if (parts.offsets[t].length !== 2 ** len + 1 || parts.slots[t].length < parts.count) throw new RangeError(`table ${t} has the wrong size`);
    });
    if (opts.bitOrder) checkBitOrder(opts.bitOrder);
    return new MultiIndexHashing(parts, opts);
  }

  /** The arrays behind the built tables, hashes in the index's bit order (recent adds are folded in first). */
  toParts(): MultiIndexParts {
    if (this.delta.size > 0) this.rebuild();
    return this.parts;
  }

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
    if (this.delta.size > this.deltaLimit()) this.rebuild();
  }

  remove(id: number, written: ArrayLike<number>): boolean {
    const words = this.inOrder(written);
    if (this.delta.remove(id, words)) return true;
    const p = this.parts;
    const key = substring(words, 0, this.starts[0], this.lens[0]);
    for (let i = p.offsets[0][key], end = p.offsets[0][key + 1]; i < end; i++) {
      const s = p.slots[0][i];
      if (p.ids[s] !== id || this.isDead(s) || distanceAt(words, p.words, s * HASH_WORDS, 0) !== 0) continue;
      p.dead[s >>> 3] |= 1 << (s & 7);
      p.words.fill(0, s * HASH_WORDS, (s + 1) * HASH_WORDS);
      this.deadCount++;
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
      p.dead[s >>> 3] |= 1 << (s & 7);
      p.words.fill(0, s * HASH_WORDS, (s + 1) * HASH_WORDS);
      this.deadCount++;
      removed++;
    }
    if (this.deadCount * 4 > p.count) this.rebuild();
    return removed;
  }

  query(written: ArrayLike<number>, maxDistance: number): HammingHit[] {
    checkRadius(maxDistance);
    const q = this.inOrder(written);
    this.lastCost.probes = 0;
    this.lastCost.candidates = 0;
    const hits = this.delta.query(q, maxDistance);
    const p = this.parts;
    if (p.count === 0) return hits;
    const probeR = Math.min(maxDistance, this.options.guaranteedRadius ?? maxDistance);
    if (!this.worthProbing(probeR)) return this.scanBase(q, maxDistance, hits);
    const m = this.m;
    const r1 = Math.floor(probeR / m);
    const a = probeR - m * r1;
    const qw = this.q;
    for (let i = 0; i < HASH_WORDS; i++) qw[i] = q[i];
    this.radii = this.lens.map((_, t) => (t <= a ? r1 : r1 - 1));
    // Phase 1: every bucket key to probe. Phases 2-4 then touch memory in independent loads (offsets, then slots,
    // then hashes), so the CPU overlaps the cache misses instead of waiting on a chain of three per bucket.
    this.nKeys = 0;
    for (let t = 0; t < m; t++) {
      if (this.radii[t] >= 0) this.enumerate(t, substring(qw, 0, this.starts[t], this.lens[t]), this.radii[t], 0);
    }
    const nk = this.nKeys;
    const keys = this.keyBuf;
    const tabs = this.tabBuf;
    const ranges = this.ensureRanges(nk);
    // Touch passes: a loop that only loads lets the CPU have many cache misses in flight at once; the real pass
    // after it then finds the lines in cache. Measured at 10M: p50 0.73 -> 0.44 ms.
    let sink = 0;
    for (let i = 0; i < nk; i++) sink ^= p.offsets[tabs[i]][keys[i]];
    let nc = 0;
    for (let i = 0; i < nk; i++) {
      const off = p.offsets[tabs[i]];
      const k = keys[i];
      const from = off[k];
      const to = off[k + 1];
      ranges[2 * i] = from;
      ranges[2 * i + 1] = to;
      nc += to - from;
    }
    for (let i = 0; i < nk; i++) if (ranges[2 * i] !== ranges[2 * i + 1]) sink ^= p.slots[tabs[i]][ranges[2 * i]];
    this.lastCost.probes = nk;
    this.lastCost.candidates = nc;
    const cand = this.ensureCandidates(nc);
    const candTab = this.candTab;
    let c = 0;
    for (let i = 0; i < nk; i++) {
      const sl = p.slots[tabs[i]];
      for (let j = ranges[2 * i], end = ranges[2 * i + 1]; j < end; j++) {
        cand[c] = sl[j];
        candTab[c++] = tabs[i];
      }
    }
    const w = p.words;
    for (let i = 0; i < nc; i++) sink ^= w[cand[i] * HASH_WORDS];
    this.sink = sink; // kept, so the touch loads are not optimised away
    const q0 = qw[0] | 0, q1 = qw[1] | 0, q2 = qw[2] | 0, q3 = qw[3] | 0;
    const q4 = qw[4] | 0, q5 = qw[5] | 0, q6 = qw[6] | 0, q7 = qw[7] | 0;
    for (let i = 0; i < nc; i++) {
      const s = cand[i];
      const o = s * HASH_WORDS;
      let d = pc(q0 ^ w[o]) + pc(q1 ^ w[o + 1]) + pc(q2 ^ w[o + 2]) + pc(q3 ^ w[o + 3]);
      if (d > maxDistance) continue;
      d += pc(q4 ^ w[o + 4]) + pc(q5 ^ w[o + 5]) + pc(q6 ^ w[o + 6]) + pc(q7 ^ w[o + 7]);
      if (d > maxDistance || this.isDead(s) || this.foundEarlier(candTab[i], s)) continue;
      hits.push({ id: p.ids[s], distance: d });
    }
    return hits;
  }

  bytesUsed(): number {
    const p = this.parts;
    let bytes = p.ids.byteLength + p.words.byteLength + p.dead.byteLength + this.delta.bytesUsed();
    for (const o of p.offsets) bytes += o.byteLength;
    for (const s of p.slots) bytes += s.byteLength;
    return bytes;
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
    const next = MultiIndexHashing.buildPermuted(ids, words, this.options);
    p.words.fill(0);
    this.delta.clear();
    this.m = next.m;
    this.starts = next.starts;
    this.lens = next.lens;
    this.deadCount = 0;
    this.parts = next.parts;
  }

  /** The hash in the index's bit order (a scratch array, valid until the next call). */
  private inOrder(words: ArrayLike<number>): ArrayLike<number> {
    if (!this.options.bitOrder) return words;
    permuteWords(words, this.options.bitOrder, this.permuted);
    return this.permuted;
  }

  private deltaLimit(): number {
    return this.options.deltaLimit ?? Math.max(4096, this.parts.count >>> 10);
  }

  private isDead(s: number): boolean {
    return (this.parts.dead[s >>> 3] & (1 << (s & 7))) !== 0;
  }

  /** Probing pays while the expected buckets plus candidates stay well below a full scan. */
  private worthProbing(r: number): boolean {
    if (this.options.probeAlways) return true;
    const m = this.m;
    const r1 = Math.floor(r / m);
    const a = r - m * r1;
    let probes = 0;
    let candidates = 0;
    for (let t = 0; t < m; t++) {
      const rt = t <= a ? r1 : r1 - 1;
      if (rt < 0) continue;
      const b = binomialSum(this.lens[t], rt);
      probes += b;
      candidates += (b * this.parts.count) / 2 ** this.lens[t];
    }
    return probes + 2 * candidates < this.parts.count / 4;
  }

  /** Appends the keys within `flips` bits of key (bits fromBit.. only, so each key comes once) for table t. */
  private enumerate(t: number, key: number, flips: number, fromBit: number): void {
    if (this.nKeys === this.keyBuf.length) this.growKeys();
    this.keyBuf[this.nKeys] = key;
    this.tabBuf[this.nKeys++] = t;
    if (flips === 0) return;
    for (let b = fromBit; b < this.lens[t]; b++) this.enumerate(t, (key ^ (1 << b)) >>> 0, flips - 1, b + 1);
  }

  private growKeys(): void {
    const keys = new Uint32Array(this.keyBuf.length * 2);
    keys.set(this.keyBuf);
    const tabs = new Uint8Array(this.keyBuf.length * 2);
    tabs.set(this.tabBuf);
    this.keyBuf = keys;
    this.tabBuf = tabs;
  }

  private ensureRanges(n: number): Uint32Array {
    if (this.rangeBuf.length < 2 * n) this.rangeBuf = new Uint32Array(2 * n);
    return this.rangeBuf;
  }

  private ensureCandidates(n: number): Uint32Array {
    if (this.candBuf.length < n) {
      this.candBuf = new Uint32Array(n * 2);
      this.candTab = new Uint8Array(n * 2);
    }
    return this.candBuf;
  }

  /** True when an earlier table also probes this slot's bucket, so the hit is reported there, not twice. */
  private foundEarlier(t: number, s: number): boolean {
    const w = this.parts.words;
    for (let i = 0; i < t; i++) {
      const rt = this.radii[i];
      if (rt < 0) continue;
      const x = substring(w, s * HASH_WORDS, this.starts[i], this.lens[i]) ^ substring(this.q, 0, this.starts[i], this.lens[i]);
      if (popcount(x) <= rt) return true;
    }
    return false;
  }

  private scanBase(q: ArrayLike<number>, r: number, hits: HammingHit[]): HammingHit[] {
    const p = this.parts;
    for (let s = 0; s < p.count; s++) {
      const d = distanceAt(q, p.words, s * HASH_WORDS, r);
      if (d <= r && !this.isDead(s)) hits.push({ id: p.ids[s], distance: d });
    }
    return hits;
  }
}

/** Inlined popcount (kept local so the verify loop stays monomorphic). */
function pc(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}
