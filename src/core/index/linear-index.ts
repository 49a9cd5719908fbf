/**
 * LinearIndex: every hash in one flat Uint32Array (8 words each), queried by a popcount scan with an early exit
 * after the first 128 bits. Exact by construction; O(N) per query. It is the reference the other indexes are
 * checked against, the right choice below a few tens of thousands of hashes, and the delta of MultiIndexHashing.
 */
import { checkId, checkRadius, distanceAt, HASH_WORDS, type HammingHit, type HammingIndex } from './hamming-index.js';
import { inIdRanges, type IdRange } from './id-ranges.js';

const INITIAL_CAPACITY = 1024;

export class LinearIndex implements HammingIndex {
  readonly kind = 'linear';
  private words: Uint32Array;
  private ids: Uint32Array;
  private count = 0;

  constructor(capacity = INITIAL_CAPACITY) {
    const cap = Math.max(16, capacity);
    this.words = new Uint32Array(cap * HASH_WORDS);
    this.ids = new Uint32Array(cap);
  }

  /**
   * An index over n hashes given as flat words (8 per hash) and their ids; the arrays are copied.
   * @example LinearIndex.fromArrays(new Uint32Array([7]), pdqHexToWords(hex))
   */
  static fromArrays(ids: Uint32Array, words: Uint32Array): LinearIndex {
    const index = new LinearIndex(ids.length);
    index.ids.set(ids);
    index.words.set(words.subarray(0, ids.length * HASH_WORDS));
    index.count = ids.length;
    return index;
  }

  get size(): number {
    return this.count;
  }

  add(id: number, words: ArrayLike<number>): void {
    checkId(id);
    if (this.count === this.ids.length) this.grow();
    const off = this.count * HASH_WORDS;
    for (let i = 0; i < HASH_WORDS; i++) this.words[off + i] = words[i];
    this.ids[this.count++] = id;
  }

  remove(id: number, words: ArrayLike<number>): boolean {
    for (let slot = 0; slot < this.count; slot++) {
      if (this.ids[slot] !== id || distanceAt(words, this.words, slot * HASH_WORDS, 0) !== 0) continue;
      // Move the last hash into the hole, then zero the last slot: the removed value is gone from memory.
      const last = this.count - 1;
      this.words.copyWithin(slot * HASH_WORDS, last * HASH_WORDS, (last + 1) * HASH_WORDS);
      this.ids[slot] = this.ids[last];
      this.words.fill(0, last * HASH_WORDS, (last + 1) * HASH_WORDS);
      this.ids[last] = 0;
      this.count = last;
      return true;
    }
    return false;
  }

  /** Removes every hash whose id is in the sorted, merged ranges (the change log names removed entries by id only). */
  removeIdRanges(ranges: readonly IdRange[]): number {
    let removed = 0;
    for (let slot = 0; slot < this.count;) {
      if (!inIdRanges(ranges, this.ids[slot])) {
        slot++;
        continue;
      }
      const last = this.count - 1;
      this.words.copyWithin(slot * HASH_WORDS, last * HASH_WORDS, (last + 1) * HASH_WORDS);
      this.ids[slot] = this.ids[last];
      this.words.fill(0, last * HASH_WORDS, (last + 1) * HASH_WORDS);
      this.ids[last] = 0;
      this.count = last;
      removed++;
    }
    return removed;
  }

  query(q: ArrayLike<number>, maxDistance: number): HammingHit[] {
    checkRadius(maxDistance);
    const hits: HammingHit[] = [];
    const w = this.words;
    const q0 = q[0] | 0, q1 = q[1] | 0, q2 = q[2] | 0, q3 = q[3] | 0;
    const q4 = q[4] | 0, q5 = q[5] | 0, q6 = q[6] | 0, q7 = q[7] | 0;
    for (let slot = 0, off = 0; slot < this.count; slot++, off += HASH_WORDS) {
      let d = pc(q0 ^ w[off]) + pc(q1 ^ w[off + 1]) + pc(q2 ^ w[off + 2]) + pc(q3 ^ w[off + 3]);
      if (d > maxDistance) continue;
      d += pc(q4 ^ w[off + 4]) + pc(q5 ^ w[off + 5]) + pc(q6 ^ w[off + 6]) + pc(q7 ^ w[off + 7]);
      if (d <= maxDistance) hits.push({ id: this.ids[slot], distance: d });
    }
    return hits;
  }

  bytesUsed(): number {
    return this.words.byteLength + this.ids.byteLength;
  }

  /** The live ids and words (views, valid until the next mutation). */
  arrays(): { ids: Uint32Array; words: Uint32Array } {
    return { ids: this.ids.subarray(0, this.count), words: this.words.subarray(0, this.count * HASH_WORDS) };
  }

  /** Drops every hash and zeroes the memory that held them. */
  clear(): void {
    this.words.fill(0);
    this.ids.fill(0);
    this.count = 0;
  }

  private grow(): void {
    const cap = this.ids.length * 2;
    const words = new Uint32Array(cap * HASH_WORDS);
    words.set(this.words);
    const ids = new Uint32Array(cap);
    ids.set(this.ids);
    this.words.fill(0);
    this.words = words;
    this.ids = ids;
  }
}

/** Inlined popcount (kept local so the scan loop stays monomorphic). */
function pc(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}
