/** mayJoinByBand: the row-by-row filter of band hits keeps exactly the photos that join by the near-copy rule. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { joinsCluster, mayJoinByBand, type ClusterItem } from './cluster-keys.js';

const hexOf = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');

function flip(hex: string, bits: number[]): string {
  const b = Uint8Array.from(hex.match(/../g)!.map((x) => parseInt(x, 16)));
  for (const i of bits) b[i >> 3] ^= 1 << (i & 7);
  return hexOf(b);
}

const photo = (id: number, pdq: string, quality: number): ClusterItem => ({ id, mediaClass: 'photo', clusterId: null, pdq, quality, md5: null, vpdq: null });

describe('mayJoinByBand', () => {
  it('keeps a photo hit exactly when the two photos join (distance and quality)', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uniqueArray(fc.integer({ min: 0, max: 255 }), { maxLength: 60 }),
      fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }), (bytes, bits, qa, qb) => {
        const a = photo(1, hexOf(bytes), qa);
        const b = photo(2, flip(a.pdq!, bits), qb);
        expect(mayJoinByBand(a, { id: 2, pdq: b.pdq, quality: b.quality })).toBe(joinsCluster(a, b));
      }), { numRuns: 500 });
  });

  it('drops a video hit for a photo, and keeps it for a video (checked on its vPDQ afterwards)', () => {
    const p = photo(1, 'a'.repeat(64), 90);
    const video: ClusterItem = { id: 3, mediaClass: 'video', clusterId: null, pdq: null, quality: null, md5: null, vpdq: '[]' };
    expect(mayJoinByBand(p, { id: 3, pdq: null, quality: null })).toBe(false);
    expect(mayJoinByBand(video, { id: 4, pdq: null, quality: null })).toBe(true);
    expect(mayJoinByBand(video, { id: 1, pdq: p.pdq, quality: 90 })).toBe(false);
  });
});
