/** Id ranges: property tests against plain sets. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countIdRanges, inIdRanges, mergeIdRanges, toIdRanges } from './id-ranges.js';

describe('id ranges', () => {
  it('hold exactly the ids they were made from', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: 300 }), { maxLength: 200 }), fc.integer({ min: 0, max: 310 }), (ids, probe) => {
      const ranges = toIdRanges(ids);
      expect(countIdRanges(ranges)).toBe(new Set(ids).size);
      expect(inIdRanges(ranges, probe)).toBe(ids.includes(probe));
      for (let i = 1; i < ranges.length; i++) expect(ranges[i][0]).toBeGreaterThan(ranges[i - 1][1] + 1);
    }));
  });

  it('merge overlapping and touching ranges in any order', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 100 }), fc.integer({ min: 0, max: 10 })), { maxLength: 30 }), (raw) => {
      const ranges = raw.map(([a, len]) => [a, a + len] as [number, number]);
      const merged = mergeIdRanges(ranges);
      for (let id = 0; id <= 112; id++) expect(inIdRanges(merged, id)).toBe(ranges.some((r) => id >= r[0] && id <= r[1]));
    }));
  });
});
