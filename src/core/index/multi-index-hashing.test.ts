/** MultiIndexHashing runs the shared conformance suite in several shapes, plus its own rebuild and sizing checks. */
import { describe, expect, it } from 'vitest';
import { describeHammingIndex, makeDataSet, bruteForce } from './hamming-index.case.js';
import { HASH_WORDS } from './hamming-index.js';
import { buildTable, defaultSubstrings, MultiIndexHashing, substringLayout } from './multi-index-hashing.js';

describeHammingIndex('MultiIndexHashing, 16 substrings, probing', (ids, words) =>
  MultiIndexHashing.build(ids, words, { substrings: 16, probeAlways: true, deltaLimit: 25 }));
describeHammingIndex('MultiIndexHashing, 14 uneven substrings, probing', (ids, words) =>
  MultiIndexHashing.build(ids, words, { substrings: 14, probeAlways: true, deltaLimit: 10 }));
describeHammingIndex('MultiIndexHashing, default shape', (ids, words) => MultiIndexHashing.build(ids, words));

describe('MultiIndexHashing', () => {
  it('chooses about log2(N)-bit substrings', () => {
    expect(defaultSubstrings(10_000_000)).toBe(11);
    expect(defaultSubstrings(1_000_000)).toBe(13);
    expect(defaultSubstrings(100)).toBe(16);
  });

  it('folds adds into the tables once the delta is full, and still equals brute force', () => {
    const { ids, words } = makeDataSet(4, 1000, 100, 100);
    const index = MultiIndexHashing.build(ids.slice(0, 600), words.slice(0, 600 * HASH_WORDS), { substrings: 12, probeAlways: true, deltaLimit: 50 });
    for (let s = 600; s < ids.length; s++) index.add(ids[s], words.subarray(s * HASH_WORDS, (s + 1) * HASH_WORDS));
    expect(index.size).toBe(ids.length);
    expect(index.toParts().count).toBe(ids.length);
    for (let s = 0; s < ids.length; s += 37) {
      const q = words.subarray(s * HASH_WORDS, (s + 1) * HASH_WORDS);
      expect(index.query(q, 31).sort((a, b) => a.id - b.id)).toEqual(bruteForce(ids, words, q, 31));
    }
  });

  it('answers the same from tables built one by one (as loader threads do) as from build()', () => {
    const { ids, words } = makeDataSet(8, 1500, 200, 300);
    const n = ids.length;
    const m = 13;
    const { starts, lens } = substringLayout(m);
    expect(lens.reduce((a, b) => a + b, 0)).toBe(256);
    const keys = new Uint32Array(n);
    const offsets = lens.map((len) => new Uint32Array(2 ** len + 1));
    const slots = lens.map(() => new Uint32Array(n));
    for (let t = m - 1; t >= 0; t--) buildTable(words, n, starts[t], lens[t], offsets[t], slots[t], keys);
    const parts = { substrings: m, count: n, ids, words, dead: new Uint8Array((n + 7) >> 3), offsets, slots };
    const fromParts = MultiIndexHashing.fromParts(parts, { probeAlways: true });
    for (let s = 0; s < n; s += 29) {
      const q = words.subarray(s * HASH_WORDS, (s + 1) * HASH_WORDS);
      expect(fromParts.query(q, 31).sort((a, b) => a.id - b.id)).toEqual(bruteForce(ids, words, q, 31));
    }
    expect(() => MultiIndexHashing.fromParts({ ...parts, offsets: offsets.slice(1) })).toThrow(/13 tables/);
  });

  it('builds a table as a plain counting sort does: each key\'s slots in ascending order, at every key length', () => {
    const n = 5000;
    const words = new Uint32Array(n * HASH_WORDS);
    let x = 12345;
    for (let i = 0; i < words.length; i++) words[i] = x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    // Repeats: the same substring in many hashes (a full bucket), and hashes that repeat whole.
    for (let s = 0; s < n; s += 3) words[s * HASH_WORDS] = 0xabcd;
    words.copyWithin(4000 * HASH_WORDS, 0, 500 * HASH_WORDS);
    const keys = new Uint32Array(n);
    for (const [start, len] of [[0, 8], [0, 14], [0, 15], [40, 20], [3, 24], [230, 26]]) {
      const offsets = new Uint32Array(2 ** len + 1);
      const slots = new Uint32Array(n);
      buildTable(words, n, start, len, offsets, slots, keys);
      const key = (s: number) => { let v = 0; for (let b = len - 1; b >= 0; b--) v = v * 2 + ((words[s * HASH_WORDS + ((start + b) >>> 5)] >>> ((start + b) & 31)) & 1); return v; };
      const bySlot = Array.from({ length: n }, (_, s) => s).sort((a, b) => key(a) - key(b) || a - b);
      expect([...slots]).toEqual(bySlot);
      for (let k = 0, j = 0; k < 2 ** len; k += len > 16 ? 997 : 1) {
        while (j < n && key(bySlot[j]) < k) j++;
        expect(offsets[k]).toBe(j);
      }
      expect(offsets[2 ** len]).toBe(n);
    }
  });

  it('rejects ids that do not fit a Uint32Array slot', () => {
    expect(() => MultiIndexHashing.build(new Uint32Array([0]), new Uint32Array(8)).add(-1, new Uint32Array(8))).toThrow(/id/);
  });
});
