import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BACKGROUND_SHARE, BACKGROUND_TOLERANCE, columnsMostlyOther, FLAT_SPREAD, findContentBox, findContentBoxByEnds, isFlatLine, rankValue, trimFlatBorders } from './content-box.js';
import { framePlane, scenePlane } from '../../../test/support/luma-planes.js';
import type { LumaPlane } from './luma-plane.js';

/** A phone screenshot: flat background, a status bar and a toolbar of "text" blocks, the picture in between. */
function screenshotPlane(pic: LumaPlane, bg: number): { plane: LumaPlane; top: number } {
  const width = pic.width;
  const height = Math.round(pic.height * 2.2);
  const data = new Float32Array(width * height).fill(bg);
  const text = 255 - bg;
  for (let x = 8; x < 40; x += 5) for (let y = 4; y < 10; y++) for (let k = 0; k < 3; k++) data[y * width + x + k] = text;
  for (let x = 10; x < width / 2; x += 6) for (let y = 24; y < 32; y++) for (let k = 0; k < 4; k++) data[y * width + x + k] = text;
  const top = Math.round((height - pic.height) / 2);
  for (let y = 0; y < pic.height; y++) data.set(pic.data.subarray(y * width, (y + 1) * width), (y + top) * width);
  for (let x = 12; x < width - 12; x += 7) for (let y = height - 20; y < height - 12; y++) for (let k = 0; k < 4; k++) data[y * width + x + k] = text;
  return { plane: { width, height, data }, top };
}

describe('trimFlatBorders', () => {
  it('removes nested frames of different colours', () => {
    const pic = scenePlane(120, 90, 1);
    const framed = framePlane(framePlane(pic, 6, 250), 9, 20);
    expect(trimFlatBorders(framed)).toEqual({ x0: 15, y0: 15, x1: 135, y1: 105 });
  });
  it('leaves a picture without borders whole', () => {
    const pic = scenePlane(100, 80, 2);
    expect(trimFlatBorders(pic)).toEqual({ x0: 0, y0: 0, x1: 100, y1: 80 });
  });
});

describe('findContentBox', () => {
  it('finds the picture inside a screenshot, dark or light', () => {
    for (const bg of [0, 255]) {
      const pic = scenePlane(120, 90, 5);
      const { plane, top } = screenshotPlane(pic, bg);
      const box = findContentBox(plane);
      expect(box.x0).toBeLessThanOrEqual(1);
      expect(box.x1).toBeGreaterThanOrEqual(119);
      expect(Math.abs(box.y0 - top)).toBeLessThanOrEqual(1);
      expect(Math.abs(box.y1 - (top + 90))).toBeLessThanOrEqual(1);
    }
  });
  it('keeps a plain picture whole', () => {
    expect(findContentBox(scenePlane(100, 80, 9))).toEqual({ x0: 0, y0: 0, x1: 100, y1: 80 });
  });
});

describe('findContentBoxByEnds', () => {
  it('finds a tall picture fitted to the width of a light feed screenshot, which findContentBox takes for a photo', () => {
    const pic = scenePlane(80, 120, 7);
    const height = Math.round(pic.height * 1.5);
    const data = new Float32Array(80 * height).fill(255);
    for (let x = 8; x < 40; x += 5) for (let y = 4; y < 10; y++) for (let k = 0; k < 3; k++) data[y * 80 + x + k] = 0;
    const top = 30;
    data.set(pic.data, top * 80);
    for (let x = 6; x < 70; x += 7) for (let y = top + 124; y < top + 130; y++) for (let k = 0; k < 4; k++) data[y * 80 + x + k] = 0;
    const plane = { width: 80, height, data };
    expect(findContentBox(plane).y1 - findContentBox(plane).y0).toBeGreaterThan(140);
    const box = findContentBoxByEnds(plane);
    expect(box).not.toBeNull();
    expect(box!.x0).toBeLessThanOrEqual(1);
    expect(box!.x1).toBeGreaterThanOrEqual(79);
    expect(Math.abs(box!.y0 - top)).toBeLessThanOrEqual(1);
    expect(Math.abs(box!.y1 - (top + 120))).toBeLessThanOrEqual(1);
  });
  it('leaves a plain picture and a screenshot findContentBox handles alone', () => {
    expect(findContentBoxByEnds(scenePlane(100, 80, 9))).toBeNull();
    expect(findContentBoxByEnds(screenshotPlane(scenePlane(120, 90, 5), 0).plane)).toBeNull();
  });
});

describe('rankValue', () => {
  it('gives the value sorting would put at each rank, with runs of equal values (a flat ring)', () => {
    const values = fc.array(fc.oneof(fc.constantFrom(0, 12.5, 255), fc.float({ min: 0, max: 255, noNaN: true })), { minLength: 1, maxLength: 300 });
    fc.assert(fc.property(values, fc.nat(), (vs, r) => {
      const k = r % vs.length;
      expect(rankValue(Float32Array.from(vs), k)).toBe(Float32Array.from(vs).sort()[k]);
    }), { numRuns: 300 });
  });
});

describe('isFlatLine', () => {
  it('is flat exactly when the values at ranks floor(2% n) and ceil(98% n) - 1 of the sorted line are within FLAT_SPREAD', () => {
    // Lines of a 2-row plane: a level with a few outliers and some noise, read as a row and as columns.
    // Outliers first, last or anywhere: the test stops reading once the kept ranks are too far apart.
    const line = fc.record({ level: fc.integer({ min: 0, max: 255 }), noise: fc.integer({ min: 0, max: 20 }), outliers: fc.integer({ min: 0, max: 12 }),
      place: fc.constantFrom('first', 'last', 'anywhere'), seed: fc.integer() });
    fc.assert(fc.property(fc.integer({ min: 3, max: 300 }), line, (n, l) => {
      let r = l.seed >>> 0 || 1;
      const data = new Float32Array(2 * n);
      for (let i = 0; i < n; i++) {
        r = (r * 1664525 + 1013904223) >>> 0;
        const outlier = l.place === 'first' ? i < l.outliers : l.place === 'last' ? i >= n - l.outliers : (r >>> 4) % n < l.outliers;
        data[i] = outlier ? (r >>> 24) : l.level + ((r >>> 8) % (l.noise + 1)) / 1.5;
        data[n + i] = data[i];
      }
      const sorted = data.slice(0, n).sort();
      const expected = sorted[Math.min(n - 1, Math.ceil(n * 0.98) - 1)] - sorted[Math.floor(n * 0.02)] <= FLAT_SPREAD;
      expect(isFlatLine({ width: n, height: 2, data }, 1, true, 0, n)).toBe(expected);
      const column = { width: 2, height: n, data: Float32Array.from({ length: 2 * n }, (_, i) => data[i >> 1]) };
      expect(isFlatLine(column, 1, false, 0, n)).toBe(expected);
    }), { numRuns: 400 });
  });
});

describe('columnsMostlyOther', () => {
  it('marks the columns whose share of pixels near the background is under BACKGROUND_SHARE, as a column-by-column count does', () => {
    // Values at and around the tolerance's edges, fractional ones, and the extremes.
    const value = fc.oneof(fc.constantFrom(0, 255, 100, 100 - BACKGROUND_TOLERANCE, 100 + BACKGROUND_TOLERANCE, 110.00001, 89.99999), fc.float({ min: 0, max: 255, noNaN: true }));
    fc.assert(fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 30 }), fc.array(value, { minLength: 900, maxLength: 900 }), fc.nat(), fc.nat(),
      (w, h, values, a, b) => {
        const data = Float32Array.from(values.slice(0, w * h));
        const from = a % h;
        const to = from + 1 + (b % (h - from));
        const expected = Array.from({ length: w }, (_, x) => {
          let near = 0;
          for (let y = from; y < to; y++) if (Math.abs(data[y * w + x] - 100) <= BACKGROUND_TOLERANCE) near++;
          return near / (to - from) < BACKGROUND_SHARE;
        });
        expect(columnsMostlyOther({ width: w, height: h, data }, from, to, 100)).toEqual(expected);
      }), { numRuns: 300 });
  });
});
