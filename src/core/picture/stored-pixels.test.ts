import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import sharp from 'sharp';
import { storedPixelsFromShown } from './stored-pixels.js';
import { lumaPlaneFromPixels, orientPlane, type Orientation } from './luma-plane.js';

describe('storedPixelsFromShown', () => {
  it('gives back the stored pixels that the EXIF orientation turns into the shown ones', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 8 }), (w, h, o) => {
      const stored = { data: Uint8Array.from({ length: w * h }, (_, i) => (i * 37 + 11) & 255), width: w, height: h, channels: 1 as const };
      const shown = orientPlane(lumaPlaneFromPixels(stored, 64), o as Orientation);
      const back = storedPixelsFromShown({ data: Uint8Array.from(shown.data), width: shown.width, height: shown.height, channels: 1 }, o as Orientation);
      expect({ w: back.width, h: back.height, data: [...back.data] }).toEqual({ w, h, data: [...stored.data] });
    }));
  });

  it("undoes sharp's own turn of a tagged photo on every channel", async () => {
    const stored = { data: Uint8Array.from({ length: 7 * 5 * 3 }, (_, i) => (i * 53) & 255), width: 7, height: 5, channels: 3 as const };
    for (const o of [2, 3, 4, 5, 6, 7, 8] as const) {
      const png = await sharp(stored.data, { raw: { width: 7, height: 5, channels: 3 } }).png().withMetadata({ orientation: o }).toBuffer();
      const { data, info } = await sharp(png).rotate().raw().toBuffer({ resolveWithObject: true });
      const back = storedPixelsFromShown({ data: new Uint8Array(data), width: info.width, height: info.height, channels: 3 }, o);
      expect({ o, w: back.width, h: back.height, data: [...back.data] }).toEqual({ o, w: 7, h: 5, data: [...stored.data] });
    }
  });
});
