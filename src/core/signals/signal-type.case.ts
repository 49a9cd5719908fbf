/**
 * The shared suite every signal type passes: a storage-key name, normalise is idempotent and canonical, invalid
 * values fail with a typed error naming the type's problem, compare of a value with itself is a match at
 * distance 0, the example near pairs have their stated distance, thresholds are in range, and values taken from
 * media belong to the type. Call describeSignalType(type) from the type's own test file.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InvalidSignalError } from '../errors.js';
import { isSignalTypeName, type SignalType } from './signal-type.js';
import { checkBitOrder } from '../index/bit-order.js';
import { buildHammingIndex, promisedRadius } from '../index/index-spec.js';
import { HASH_WORDS, MAX_RADIUS } from '../index/hamming-index.js';
import { bruteForce, flipBits, makeRandom } from '../index/hamming-index.case.js';
import { pdqHexToWords } from './pdq/pdq-hex.js';

export function describeSignalType(type: SignalType): void {
  describe(`signal type ${type.name} (shared suite)`, () => {
    it('has a storage-key name, content kinds, an index kind and a threshold in range', () => {
      expect(isSignalTypeName(type.name)).toBe(true);
      expect(type.contentKinds.length).toBeGreaterThan(0);
      expect(['exact', 'hamming-256', 'custom']).toContain(type.indexKind);
      expect(Number.isInteger(type.defaultThreshold) && type.defaultThreshold >= 0).toBe(true);
      expect(type.defaultThreshold).toBeLessThanOrEqual(type.maxThreshold);
      if (type.indexKind === 'exact') expect(type.maxThreshold).toBe(0);
      expect(type.examples.valid.length).toBeGreaterThan(0);
      expect(type.examples.invalid.length).toBeGreaterThan(0);
    });

    it.skipIf(!type.hammingIndex)('names an in-memory index only as a hamming-256 type, and its index finds the near examples at their distance', () => {
      expect(type.indexKind).toBe('hamming-256');
      if (type.hammingIndex?.bitOrder) checkBitOrder(type.hammingIndex.bitOrder);
      // An index answers radii up to MAX_RADIUS (PDQ's example of two opposite values, 256 bits apart, is past it).
      for (const { a, b, distance } of (type.examples.near ?? []).filter((p) => p.distance <= MAX_RADIUS)) {
        const index = buildHammingIndex(type.hammingIndex, new Uint32Array([7]), pdqHexToWords(type.normalise(a)));
        expect(index.query(pdqHexToWords(type.normalise(b)), distance)).toEqual([{ id: 7, distance }]);
        if (distance > 0) expect(index.query(pdqHexToWords(type.normalise(b)), distance - 1)).toEqual([]);
      }
    });

    it.skipIf(!type.hammingIndex)('its index finds every stored value within the radius it promises, at its distance, and nothing beyond the radius asked (property)', () => {
      // Stored: uniform values, then near-copies of them (a copy's source is found too: both are checked).
      const rnd = makeRandom(31);
      const n = 3000;
      const words = new Uint32Array(n * HASH_WORDS);
      for (let i = 0; i < words.length; i++) words[i] = rnd();
      const ids = Uint32Array.from({ length: n }, (_, i) => i + 1);
      // Probing even on this small set (a scan would be exact whatever the tables do).
      const index = buildHammingIndex(type.hammingIndex, ids, words.slice(), { substrings: 16, probeAlways: true });
      const promised = Math.min(promisedRadius(type.hammingIndex), type.defaultThreshold);
      fc.assert(fc.property(fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 0, max: promised }), fc.integer({ min: 1, max: 2 ** 31 }), (s, k, seed) => {
        const q = words.slice(s * HASH_WORDS, (s + 1) * HASH_WORDS);
        flipBits(q, 0, k, makeRandom(seed));
        const got = index.query(q, type.defaultThreshold);
        const exact = new Map(bruteForce(ids, words, q, type.defaultThreshold).map((h) => [h.id, h.distance]));
        expect(got).toContainEqual({ id: s + 1, distance: k });
        for (const h of got) expect(exact.get(h.id), `hit ${h.id}`).toBe(h.distance);
        for (const [id, d] of exact) if (d <= promised) expect(got).toContainEqual({ id, distance: d });
      }), { numRuns: 150 });
    });

    it('normalises every valid example to a canonical value that normalises to itself', () => {
      for (const v of type.examples.valid) {
        const n = type.normalise(v);
        expect(type.normalise(n)).toBe(n);
        expect(typeof type.format(n)).toBe('string');
      }
    });

    it('refuses every invalid example with a typed error', () => {
      for (const v of type.examples.invalid) {
        expect(() => type.normalise(v), JSON.stringify(v)).toThrow(InvalidSignalError);
      }
    });

    it('refuses arbitrary text with a typed error or yields a canonical value (never anything else)', () => {
      fc.assert(fc.property(fc.string({ maxLength: 200 }), (s) => {
        let n: string;
        try {
          n = type.normalise(s);
        } catch (err) {
          return err instanceof InvalidSignalError;
        }
        return type.normalise(n) === n;
      }), { numRuns: 300 });
    });

    it('matches a value with itself at distance 0 under the default threshold', () => {
      for (const v of type.examples.valid) {
        const n = type.normalise(v);
        expect(type.compare(n, n, type.defaultThreshold)).toMatchObject({ distance: 0, match: true });
      }
    });

    it('gives the example near pairs their distance, matching exactly when within the threshold', () => {
      for (const { a, b, distance } of type.examples.near ?? []) {
        const c = type.compare(type.normalise(a), type.normalise(b), type.defaultThreshold);
        expect(c.distance).toBe(distance);
        expect(c.match).toBe(distance <= type.defaultThreshold);
      }
    });

    it('tells two different valid values apart', () => {
      const values = [...new Set(type.examples.valid.map((v) => type.normalise(v)))];
      if (values.length < 2) return;
      expect(type.compare(values[0], values[1], 0).match).toBe(false);
    });
  });
}
