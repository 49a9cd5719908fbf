import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { hypot2 } from './magnitude-hash.js';

describe('hypot2', () => {
  it('gives Math.hypot(a, b) bit for bit (region_mag values stay as they were), zeros, signs, subnormals, extremes, NaN and infinities included', () => {
    const special = fc.constantFrom(0, -0, 1, -1, 5e-324, -5e-324, 2.2250738585072014e-308, 1e-300, 1e300, Number.MAX_VALUE, -Number.MAX_VALUE, Infinity, -Infinity, NaN, 3, 4);
    const value = fc.oneof(special, fc.double(), fc.double({ min: -1e4, max: 1e4, noNaN: true }));
    fc.assert(fc.property(value, value, (a, b) => {
      expect(Object.is(hypot2(a, b), Math.hypot(a, b))).toBe(true);
    }), { numRuns: 20000 });
  });
});
