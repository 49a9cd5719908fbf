import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { quarterTurn, turnPixels } from './turn-pixels.js';

describe('turnPixels', () => {
  it('moves the top-left pixel to the top-right on a quarter turn clockwise', () => {
    // 3x2 grey: 1 2 3 / 4 5 6 -> turned clockwise: 4 1 / 5 2 / 6 3
    expect([...turnPixels(Uint8Array.of(1, 2, 3, 4, 5, 6), 3, 2, 1, 90).data]).toEqual([4, 1, 5, 2, 6, 3]);
    expect([...turnPixels(Uint8Array.of(1, 2, 3, 4, 5, 6), 3, 2, 1, 270).data]).toEqual([3, 6, 2, 5, 1, 4]);
    expect([...turnPixels(Uint8Array.of(1, 2, 3, 4, 5, 6), 3, 2, 1, 180).data]).toEqual([6, 5, 4, 3, 2, 1]);
  });
  it('four quarter turns give the pixels back', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 4 }), (w, h, ch) => {
      const px = Uint8Array.from({ length: w * h * ch }, (_, i) => (i * 37) & 255);
      let t: { data: Uint8Array; width: number; height: number } = { data: px, width: w, height: h };
      for (let k = 0; k < 4; k++) t = turnPixels(t.data, t.width, t.height, ch, 90);
      expect([t.width, t.height]).toEqual([w, h]);
      expect(t.data).toEqual(px);
    }));
  });
  it('reads display rotations of any sign as a clockwise quarter turn', () => {
    expect([0, 90, -90, 180, -180, 270, 450, 45].map(quarterTurn)).toEqual([0, 90, 270, 180, 180, 270, 90, 0]);
  });
});
