/** Bit orders: the multi-index with one passes the conformance suite, equals a scan on correlated data, keeps distances. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hammingDistanceWords } from '../signals/pdq/pdq-hex.js';
import { checkBitOrder, learnBitOrder, permuteWords } from './bit-order.js';
import { bruteForce, describeHammingIndex, flipBits, makeRandom } from './hamming-index.case.js';
import { HASH_WORDS } from './hamming-index.js';
import { MultiIndexHashing } from './multi-index-hashing.js';
import { substringLayout } from './multi-index-tables.js';

function shuffled(seed: number): Uint8Array {
  const rnd = makeRandom(seed);
  const order = Uint8Array.from({ length: 256 }, (_, i) => i);
  for (let i = 255; i > 0; i--) {
    const j = rnd() % (i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

/** Hashes whose bit 2k+1 copies bit 2k (flipped with probability 1/16): strongly correlated pairs of neighbours. */
function correlated(n: number, seed: number): Uint32Array {
  const rnd = makeRandom(seed);
  const words = new Uint32Array(n * HASH_WORDS);
  for (let s = 0; s < n; s++) {
    for (let w = 0; w < HASH_WORDS; w++) {
      let v = 0;
      for (let b = 0; b < 32; b += 2) {
        const bit = rnd() & 1;
        v |= bit << b;
        v |= (rnd() % 16 === 0 ? bit ^ 1 : bit) << (b + 1);
      }
      words[s * HASH_WORDS + w] = v >>> 0;
    }
  }
  return words;
}

// The suite hands its arrays over; build() permutes them in place, so each index gets its own copy.
describeHammingIndex('MultiIndexHashing with a shuffled bit order, probing', (ids, words) =>
  MultiIndexHashing.build(ids, words.slice(), { substrings: 16, probeAlways: true, deltaLimit: 25, bitOrder: shuffled(3) }));
const learnt = learnBitOrder(correlated(400, 9), 400, 11);
describeHammingIndex('MultiIndexHashing with a learnt bit order, default shape', (ids, words) =>
  MultiIndexHashing.build(ids, words.slice(), { bitOrder: learnt }));

describe('bit orders', () => {
  it('keep every Hamming distance', () => {
    fc.assert(fc.property(fc.uint32Array({ minLength: 8, maxLength: 8 }), fc.uint32Array({ minLength: 8, maxLength: 8 }), fc.integer({ min: 1, max: 1000 }), (a, b, seed) => {
      const order = shuffled(seed);
      const pa = new Uint32Array(8);
      const pb = new Uint32Array(8);
      permuteWords(a, order, pa);
      permuteWords(b, order, pb);
      expect(hammingDistanceWords(pa, pb, 0, 0)).toBe(hammingDistanceWords(a, b, 0, 0));
    }));
  });

  it('learnt from correlated bits, put the two bits of a correlated pair in different substrings', () => {
    const m = 11;
    const order = learnBitOrder(correlated(600, 5), 600, m);
    const { starts, lens } = substringLayout(m);
    const substringOf = new Int32Array(256);
    lens.forEach((len, t) => { for (let i = 0; i < len; i++) substringOf[order[starts[t] + i]] = t; });
    for (let b = 0; b < 256; b += 2) expect(substringOf[b], `bits ${b} and ${b + 1}`).not.toBe(substringOf[b + 1]);
  });

  it('reject anything but a permutation of 0..255', () => {
    expect(() => checkBitOrder(new Uint8Array(255))).toThrow(/256 entries/);
    const twice = Uint8Array.from({ length: 256 }, (_, i) => i);
    twice[7] = 6;
    expect(() => checkBitOrder(twice)).toThrow(/entry 7/);
    expect(() => MultiIndexHashing.build(new Uint32Array(0), new Uint32Array(0), { bitOrder: twice })).toThrow(/bit order/);
  });

  const learnt16 = learnBitOrder(correlated(300, 4), 300, 16);
  it('give the same hits as a scan on correlated data, near-copies planted at 0..40 bits, any radius (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 0, max: 48 }), (seed, r) => {
      const rnd = makeRandom(seed);
      const n = 600;
      const words = correlated(n, seed);
      for (let s = 300; s < n; s++) {
        words.copyWithin(s * HASH_WORDS, (s - 300) * HASH_WORDS, (s - 299) * HASH_WORDS);
        flipBits(words, s * HASH_WORDS, rnd() % 41, rnd);
      }
      const ids = Uint32Array.from({ length: n }, (_, i) => 5 + 2 * i);
      const index = MultiIndexHashing.build(ids.slice(), words.slice(), { substrings: 16, probeAlways: true, bitOrder: seed % 2 ? learnt16 : shuffled(seed) });
      for (let s = 0; s < 300; s += 23) {
        const q = words.subarray(s * HASH_WORDS, (s + 1) * HASH_WORDS);
        expect(index.query(q, r).sort((a, b) => a.id - b.id || a.distance - b.distance)).toEqual(bruteForce(ids, words, q, r));
      }
    }), { numRuns: 15 });
  });
});
