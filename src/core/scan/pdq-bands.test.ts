/** pdqBands / bandProbes: every hash within 31 bits shares a probed band value (property test). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pdqDistance } from '../signals/pdq/pdq-hex.js';
import { bandProbes, pdqBands } from './pdq-bands.js';

const hexOf = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');

function flip(hex: string, bits: number[]): string {
  const b = Uint8Array.from(hex.match(/../g)!.map((x) => parseInt(x, 16)));
  for (const i of bits) b[i >> 3] ^= 1 << (i & 7);
  return hexOf(b);
}

describe('PDQ bands', () => {
  it('cuts a hash into 16 values of 16 bits', () => {
    expect(pdqBands(`ffff${'0'.repeat(60)}`)).toEqual([65535, ...Array(15).fill(0)]);
  });

  it('probes reach every hash within 31 bits', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uniqueArray(fc.integer({ min: 0, max: 255 }), { maxLength: 31 }), (bytes, bits) => {
      const a = hexOf(bytes);
      const b = flip(a, bits);
      expect(pdqDistance(a, b)).toBe(bits.length);
      const probes = bandProbes(a);
      return pdqBands(b).some((v, band) => probes[band].includes(v));
    }), { numRuns: 500 });
  });
});
