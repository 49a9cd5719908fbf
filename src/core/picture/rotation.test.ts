import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { estimateTilt, MAX_TILT_DEGREES, MIN_TILT_DEGREES, tiltFromEdges } from './rotation.js';
import type { LumaPlane } from './luma-plane.js';

/** estimateTilt's edges as first written (a per-pixel test through closures): the definition the loops must match. */
function referenceTilt(p: LumaPlane): number {
  if (p.width < 16 || p.height < 16) return 0;
  const { width: w, height: h, data } = p;
  const corners = [data[0], data[w - 1], data[(h - 1) * w], data[h * w - 1]];
  const fill = corners.slice().sort((a, b) => a - b)[1];
  if (corners.filter((c) => Math.abs(c - fill) <= 7).length < 3) return 0;
  const differs = (x: number, y: number) => Math.abs(data[y * w + x] - fill) > 14;
  const edge = (n: number, len: number, at: (i: number, k: number) => boolean) => {
    const out = new Float64Array(n).fill(-1);
    for (let i = 0; i < n; i++) for (let k = 0; k < len / 2; k++) if (at(i, k)) { out[i] = k; break; }
    return out;
  };
  const sides = [
    { v: edge(h, w, (y, k) => differs(k, y)), sign: 1 },
    { v: edge(h, w, (y, k) => differs(w - 1 - k, y)), sign: -1 },
    { v: edge(w, h, (x, k) => differs(x, k)), sign: -1 },
    { v: edge(w, h, (x, k) => differs(x, h - 1 - k)), sign: 1 },
  ];
  const t = tiltFromEdges(sides, w, h);
  if (t === null) return 0;
  return Math.abs(t) < MIN_TILT_DEGREES || Math.abs(t) > MAX_TILT_DEGREES ? 0 : t;
}

/** Content turned by `degrees` on a flat fill (a tilted re-post), or noise / flat / extreme planes. */
function plane(w: number, h: number, kind: string, degrees: number, fill: number, seed: number): LumaPlane {
  const data = new Float32Array(w * h);
  let r = seed >>> 0 || 1;
  const t = (degrees * Math.PI) / 180;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      r = (r * 1664525 + 1013904223) >>> 0;
      const dx = x + 0.5 - w / 2;
      const dy = y + 0.5 - h / 2;
      const u = Math.cos(t) * dx - Math.sin(t) * dy;
      const v = Math.sin(t) * dx + Math.cos(t) * dy;
      const inside = Math.abs(u) < w * 0.4 && Math.abs(v) < h * 0.4;
      const content = kind === 'extreme' ? (r >>> 31 ? 255 : 0) : kind === 'near' ? fill + ((r >>> 24) % 29) - 14 : (r >>> 24);
      data[y * w + x] = kind === 'flat' ? fill : inside ? content : fill;
    }
  }
  return { width: w, height: h, data };
}

describe('estimateTilt', () => {
  it('reads the tilt the per-pixel definition reads, on tilted, flat, tiny and extreme planes', () => {
    fc.assert(fc.property(fc.integer({ min: 10, max: 90 }), fc.integer({ min: 10, max: 90 }), fc.constantFrom('noise', 'extreme', 'near', 'flat'),
      fc.constantFrom(0, 0.5, 3, -5, 9, -11, 14), fc.constantFrom(0, 128, 255), fc.integer(), (w, h, kind, degrees, fill, seed) => {
        const p = plane(w, h, kind, degrees, fill, seed);
        expect(estimateTilt(p)).toBe(referenceTilt(p));
      }), { numRuns: 400 });
  });
  it('finds a tilt on a tilted plane (the comparison above is not only of zeros)', () => {
    const t = estimateTilt(plane(120, 90, 'noise', 5, 0, 7));
    expect(Math.abs(Math.abs(t) - 5)).toBeLessThan(1);
  });
});
