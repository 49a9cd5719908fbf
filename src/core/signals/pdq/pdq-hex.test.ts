import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parsePdqHex, pdqDistance, pdqHexToWords, pdqWordsToHex, popcount32 } from './pdq-hex.js';

const hexArb = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(''));

describe('PDQ hex', () => {
  it('round-trips any 256-bit value through words and back', () => {
    fc.assert(fc.property(hexArb, (h) => pdqWordsToHex(pdqHexToWords(h)) === h));
  });

  it('accepts upper case and returns lower case', () => {
    fc.assert(fc.property(hexArb, (h) => parsePdqHex(h.toUpperCase()) === h));
  });

  it('puts bit k of the hash at 2^k of the hex number', () => {
    // C++ test-bits: setting bit 0 gives ...0001, bit 255 gives 8000...
    const bit0 = pdqWordsToHex(Uint32Array.of(1, 0, 0, 0, 0, 0, 0, 0));
    expect(bit0).toBe('0'.repeat(63) + '1');
    const bit255 = pdqWordsToHex(Uint32Array.of(0, 0, 0, 0, 0, 0, 0, 0x80000000));
    expect(bit255).toBe('8' + '0'.repeat(63));
  });

  it('refuses anything that is not 64 hex digits, saying why', () => {
    expect(() => parsePdqHex('abc')).toThrow(/3 characters, not 64/);
    expect(() => parsePdqHex('g'.repeat(64))).toThrow(/not hex digits/);
    expect(() => parsePdqHex('0'.repeat(65))).toThrow(/65 characters/);
    expect(() => parsePdqHex('')).toThrow(/not a PDQ hash/);
    fc.assert(fc.property(fc.string(), (s) => {
      const valid = /^\s*[0-9a-fA-F]{64}\s*$/.test(s);
      try { parsePdqHex(s); return valid; } catch { return !valid; }
    }));
  });

  it('distance is a metric: zero to itself, symmetric, triangle inequality', () => {
    fc.assert(fc.property(hexArb, hexArb, hexArb, (a, b, c) => {
      expect(pdqDistance(a, a)).toBe(0);
      expect(pdqDistance(a, b)).toBe(pdqDistance(b, a));
      expect(pdqDistance(a, c)).toBeLessThanOrEqual(pdqDistance(a, b) + pdqDistance(b, c));
    }));
  });

  it('distance counts differing bits', () => {
    expect(pdqDistance('0'.repeat(64), 'f'.repeat(64))).toBe(256);
    expect(pdqDistance('0'.repeat(64), '0'.repeat(63) + '7')).toBe(3);
    fc.assert(fc.property(fc.integer(), (x) => popcount32(x >>> 0) === (x >>> 0).toString(2).split('').filter((c) => c === '1').length));
  });
});
