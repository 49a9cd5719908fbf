import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decoderShrink, FAST_MIN_SIDE, scaledWindows } from './scaled-windows.js';
import { jaroszWindow } from './jarosz-blur.js';

describe('fast pipeline sizes and windows', () => {
  it('shrinks as far as both sides stay at least the minimum', () => {
    expect(decoderShrink(1600, 1004)).toBe(4);
    expect(decoderShrink(4032, 3024)).toBe(8);
    expect(decoderShrink(640, 480)).toBe(2);
    expect(decoderShrink(300, 2000)).toBe(1);
    fc.assert(fc.property(fc.integer({ min: 1, max: 20000 }), fc.integer({ min: 1, max: 20000 }), (w, h) => {
      const s = decoderShrink(w, h);
      expect([1, 2, 4, 8]).toContain(s);
      if (s > 1) expect(Math.min(w, h) / s).toBeGreaterThanOrEqual(FAST_MIN_SIDE);
    }));
  });

  it('scales the reference windows with the image, never below 1, equal to them at full size', () => {
    expect(scaledWindows(1600, 1004, 400, 251)).toEqual({ alongRows: 3, alongCols: 2 });
    fc.assert(fc.property(fc.integer({ min: 5, max: 10000 }), fc.integer({ min: 5, max: 10000 }), (w, h) => {
      expect(scaledWindows(w, h, w, h)).toEqual({ alongRows: jaroszWindow(w), alongCols: jaroszWindow(h) });
      const half = scaledWindows(w, h, Math.ceil(w / 2), Math.ceil(h / 2));
      expect(half.alongRows).toBeGreaterThanOrEqual(1);
      expect(half.alongRows).toBeLessThanOrEqual(jaroszWindow(w));
    }));
  });
});
