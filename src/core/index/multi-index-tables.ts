/**
 * The tables of MultiIndexHashing: how the 256 bits are cut into substrings, how one table is built (counting
 * sort into an offsets array and a slot array), and the sizing rule. Kept apart so loader threads can build
 * tables without the index class.
 */
import { HASH_BITS, HASH_WORDS } from './hamming-index.js';

/**
 * The substring count for n hashes: substrings of about log2(n) bits keep buckets near one hash each, which
 * measured best at 1M-10M for the plain index (fewer probes than shorter substrings, fewer candidates than longer
 * ones). `bucketBits` shortens the substrings by that many bits, so that a bucket holds ~2^bucketBits hashes: for the
 * sketched index, which reads a bucket as one run of memory, fewer probes of larger buckets pay.
 * @example defaultSubstrings(10_000_000) // 11
 * @example defaultSubstrings(10_000_000, 5) // 14 (buckets of ~38 hashes)
 * @example defaultSubstrings(100_000_000, 5) // 12 (substrings of 21-22 bits: buckets of ~48)
 */
export function defaultSubstrings(n: number, bucketBits = 0): number {
  const bits = Math.min(24, Math.max(16, Math.floor(Math.log2(Math.max(2, n))) - bucketBits));
  return Math.min(16, Math.max(8, Math.round(HASH_BITS / bits)));
}

/**
 * Where each of the m substrings starts and how long it is: 256 / m bits each, the first 256 mod m one bit longer.
 * @example substringLayout(11).lens // [24, 24, 24, 23, 23, 23, 23, 23, 23, 23, 23]
 */
export function substringLayout(m: number): { starts: number[]; lens: number[] } {
  const starts: number[] = [];
  const lens: number[] = [];
  const base = Math.floor(HASH_BITS / m);
  const extra = HASH_BITS - base * m;
  for (let t = 0, s = 0; t < m; t++) {
    const len = base + (t < extra ? 1 : 0);
    starts.push(s);
    lens.push(len);
    s += len;
  }
  return { starts, lens };
}

/** Key bits the second pass of buildTable sorts by: its counters (4 bytes each) stay in a core's cache. */
const LOW_BITS = 14;

/**
 * Builds one table by counting sort: offsets (2^len + 1 entries) and slots (n entries) are filled in; keys is
 * scratch space of n entries. Tables are independent, so callers may build them on several threads.
 * A key longer than LOW_BITS is sorted in two passes (issue 11): by its high bits into buckets, then within each
 * bucket by the rest, so both passes write near where they wrote last instead of at random across 2^len counters
 * and n slots (at 10M hashes and 23-24 bit keys that was ~2 s a table, nearly all of it waiting for memory).
 * The result is the same: each key's slots in ascending order.
 * @example buildTable(words, n, 0, 24, new Uint32Array(2 ** 24 + 1), new Uint32Array(n), new Uint32Array(n))
 */
export function buildTable(words: Uint32Array, n: number, start: number, len: number, offsets: Uint32Array, slots: Uint32Array, keys: Uint32Array, sketch?: TableSketch): void {
  const size = 2 ** len;
  offsets.fill(0);
  if (len <= LOW_BITS) {
    for (let s = 0; s < n; s++) {
      const k = substring(words, s * HASH_WORDS, start, len);
      keys[s] = k;
      offsets[k + 1]++;
    }
    for (let k = 0; k < size; k++) offsets[k + 1] += offsets[k];
    const pos = offsets.slice(0, size);
    for (let s = 0; s < n; s++) slots[pos[keys[s]]++] = s;
    if (sketch) fillSketches(words, n, slots, sketch);
    return;
  }
  const lowBits = LOW_BITS;
  const lowMask = 2 ** lowBits - 1;
  const buckets = 2 ** (len - lowBits);
  // Pass 1: each slot (in ascending order) into its bucket of high bits, its low bits beside it in keys.
  const bucketStart = new Uint32Array(buckets + 1);
  for (let s = 0; s < n; s++) bucketStart[(substring(words, s * HASH_WORDS, start, len) >>> lowBits) + 1]++;
  for (let b = 0; b < buckets; b++) bucketStart[b + 1] += bucketStart[b];
  const next = bucketStart.slice(0, buckets);
  let largest = 0;
  for (let b = 0; b < buckets; b++) largest = Math.max(largest, bucketStart[b + 1] - bucketStart[b]);
  const carried = sketch?.words.length ?? 0;
  const carry = sketch?.scratch;
  for (let s = 0; s < n; s++) {
    const k = substring(words, s * HASH_WORDS, start, len);
    const at = next[k >>> lowBits]++;
    slots[at] = s;
    keys[at] = k & lowMask;
    // A sketched table's words travel with their slot, read here in order rather than at random once sorted.
    if (carry) for (let i = 0; i < carried; i++) carry[at * carried + i] = words[s * HASH_WORDS + sketch.words[i]];
  }
  // Pass 2: within each bucket, by the low bits (a counting sort over 2^lowBits counters, stable).
  const count = new Uint32Array(lowMask + 2);
  const held = new Uint32Array(largest);
  for (let b = 0; b < buckets; b++) {
    const from = bucketStart[b];
    const to = bucketStart[b + 1];
    const base = b * (lowMask + 1);
    count.fill(0);
    for (let j = from; j < to; j++) count[keys[j] + 1]++;
    for (let k = 0; k <= lowMask; k++) {
      count[k + 1] += count[k];
      offsets[base + k + 1] = from + count[k + 1];
    }
    held.set(slots.subarray(from, to));
    if (!sketch || !carry) {
      for (let j = from; j < to; j++) slots[from + count[keys[j]]++] = held[j - from];
      continue;
    }
    const e = sketch.entries;
    const stride = carried + 1;
    for (let j = from; j < to; j++) {
      const at = from + count[keys[j]]++;
      slots[at] = held[j - from];
      e[at * stride] = held[j - from];
      for (let i = 0; i < carried; i++) e[at * stride + 1 + i] = carry[j * carried + i];
    }
  }
}

/**
 * What a sketched table keeps beside each slot: which words of the hash (`words`), written into `entries` (slot, then
 * those words, per hash in bucket order); `scratch` holds n x words.length words while the table is sorted.
 */
export interface TableSketch {
  words: readonly number[];
  entries: Uint32Array;
  scratch: Uint32Array;
}

/** Writes each sorted slot and its sketch words into the entries (for tables too small to need the carry). */
function fillSketches(words: Uint32Array, n: number, slots: Uint32Array, sketch: TableSketch): void {
  const width = sketch.words.length;
  const stride = width + 1;
  const e = sketch.entries;
  for (let i = 0; i < n; i++) {
    const s = slots[i];
    e[i * stride] = s;
    for (let k = 0; k < width; k++) e[i * stride + 1 + k] = words[s * HASH_WORDS + sketch.words[k]];
  }
}

/** Bits [start, start+len) of the hash at words[off..], len <= 30. */
export function substring(words: ArrayLike<number>, off: number, start: number, len: number): number {
  const w = start >>> 5;
  const b = start & 31;
  let v = words[off + w] >>> b;
  if (b + len > 32) v |= words[off + w + 1] << (32 - b);
  return (v & ((1 << len) - 1)) >>> 0;
}

export function binomialSum(n: number, k: number): number {
  let sum = 0;
  let c = 1;
  for (let i = 0; i <= k; i++) {
    sum += c;
    c = (c * (n - i)) / (i + 1);
  }
  return sum;
}

