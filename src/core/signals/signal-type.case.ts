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
import { buildHammingIndex } from '../index/index-spec.js';
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
      for (const { a, b, distance } of type.examples.near ?? []) {
        const index = buildHammingIndex(type.hammingIndex, new Uint32Array([7]), pdqHexToWords(type.normalise(a)));
        expect(index.query(pdqHexToWords(type.normalise(b)), distance)).toEqual([{ id: 7, distance }]);
        if (distance > 0) expect(index.query(pdqHexToWords(type.normalise(b)), distance - 1)).toEqual([]);
      }
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
