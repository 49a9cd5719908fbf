import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { lowDct, simHashHex } from './coarse-hash.js';
import { areaTable } from './region-grid.js';
import { hashRegion } from './region-hash.js';
import { pdqDistance } from '../signals/pdq/pdq-hex.js';
import { resizePlane, scenePlane } from '../../../test/support/luma-planes.js';

const grid = (seed: number) => {
  const p = scenePlane(64, 64, seed);
  return p.data;
};

describe('coarse hash', () => {
  it('does not change when brightness and contrast change (a*x + b, a > 0)', () => {
    fc.assert(fc.property(fc.integer(), fc.double({ min: 0.3, max: 3, noNaN: true }), fc.double({ min: -60, max: 60, noNaN: true }), (seed, a, b) => {
      const g = grid(seed);
      const h = Float32Array.from(g, (v) => a * v + b);
      expect(pdqDistance(simHashHex(lowDct(g)), simHashHex(lowDct(h)))).toBeLessThanOrEqual(2);
    }), { numRuns: 40 });
  });
  it('has balanced bits and puts unrelated pictures about half the bits apart', () => {
    const hashes = Array.from({ length: 40 }, (_, i) => simHashHex(lowDct(grid(i + 1))));
    const ones = hashes.map((h) => [...h].reduce((n, c) => n + (parseInt(c, 16).toString(2).split('1').length - 1), 0));
    expect(Math.min(...ones)).toBeGreaterThan(80);
    expect(Math.max(...ones)).toBeLessThan(176);
    const d: number[] = [];
    for (let i = 0; i < hashes.length; i++) for (let j = i + 1; j < hashes.length; j++) d.push(pdqDistance(hashes[i], hashes[j]));
    d.sort((x, y) => x - y);
    expect(d[d.length >> 1]).toBeGreaterThan(90);
  });
  it('a region and the same region resampled from a larger copy hash within a few bits', () => {
    const p = scenePlane(200, 150, 4);
    const big = resizePlane(p, 400, 300);
    const a = hashRegion(areaTable(p), { x0: 20, y0: 15, x1: 180, y1: 135 });
    const b = hashRegion(areaTable(big), { x0: 40, y0: 30, x1: 360, y1: 270 });
    expect(pdqDistance(a.hash, b.hash)).toBeLessThanOrEqual(8);
    expect(a.quality).toBeGreaterThan(50);
    const shifted = hashRegion(areaTable(p), { x0: 40, y0: 15, x1: 200, y1: 135 });
    expect(pdqDistance(a.hash, shifted.hash)).toBeGreaterThan(40);
  });
});
