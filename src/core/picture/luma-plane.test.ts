import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isOrientation, lumaPlaneFromPixels, orientPlane, type Orientation } from './luma-plane.js';
import { scenePlane } from '../../../test/support/luma-planes.js';

describe('lumaPlaneFromPixels', () => {
  it('averages down to at most 256 a side and keeps the aspect ratio', () => {
    const data = new Uint8Array(1600 * 1000 * 3).fill(200);
    const p = lumaPlaneFromPixels({ data, width: 1600, height: 1000, channels: 3 });
    expect([p.width, p.height]).toEqual([256, 160]);
    expect(p.data.every((v) => Math.abs(v - 200) < 1e-3)).toBe(true);
  });
  it('uses the grey sample itself for grey pictures and PDQ weights for colour', () => {
    expect(lumaPlaneFromPixels({ data: Uint8Array.of(10, 255, 20, 255), width: 2, height: 1, channels: 2 }).data).toEqual(Float32Array.of(10, 20));
    expect(lumaPlaneFromPixels({ data: Uint8Array.of(255, 0, 0), width: 1, height: 1, channels: 3 }).data[0]).toBeCloseTo(0.299 * 255, 3);
  });
});

describe('orientPlane', () => {
  const p = scenePlane(7, 5, 3);
  const at = (q: { width: number; data: Float32Array }, x: number, y: number) => q.data[y * q.width + x];
  it('puts the stored top-left pixel where EXIF says it is shown', () => {
    // Shown position of the stored (0,0) pixel for each orientation, in the shown picture's size.
    const corner: Record<Orientation, (w: number, h: number) => [number, number]> = {
      1: () => [0, 0], 2: (w) => [w - 1, 0], 3: (w, h) => [w - 1, h - 1], 4: (_, h) => [0, h - 1],
      5: () => [0, 0], 6: (w) => [w - 1, 0], 7: (w, h) => [w - 1, h - 1], 8: (_, h) => [0, h - 1],
    };
    for (const o of [1, 2, 3, 4, 5, 6, 7, 8] as const) {
      const q = orientPlane(p, o);
      expect([q.width, q.height]).toEqual(o >= 5 ? [5, 7] : [7, 5]);
      const [x, y] = corner[o](q.width, q.height);
      expect(at(q, x, y)).toBe(at(p, 0, 0));
    }
  });
  it('6 then 8 (a quarter turn each way) and 3 twice give the stored plane back', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 12 }), fc.integer(), (w, h, seed) => {
      const q = scenePlane(w, h, seed);
      expect(orientPlane(orientPlane(q, 6), 8).data).toEqual(q.data);
      expect(orientPlane(orientPlane(q, 3), 3).data).toEqual(q.data);
      expect(orientPlane(orientPlane(q, 5), 5).data).toEqual(q.data);
    }), { numRuns: 30 });
  });
  it('accepts only the EXIF values 1..8', () => {
    expect([0, 1, 8, 9, 6.5, '6', undefined].map(isOrientation)).toEqual([false, true, true, false, false, false, false]);
  });
});
