import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { hashPdqPixels } from '../pdq/pdq-hash.js';
import { RgbFrameHasher } from './rgb-frame-hasher.js';

/** A frame with structure (gradients and blocks) plus noise, so hashes have high quality and are not trivial. */
function frame(width: number, height: number, seed: number): Uint8Array {
  const data = new Uint8Array(width * height * 3);
  let x = seed >>> 0 || 1;
  for (let y = 0; y < height; y++) {
    for (let c = 0; c < width; c++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      const p = (y * width + c) * 3;
      const block = ((y >> 3) ^ (c >> 4)) & 1 ? 160 : 40;
      data[p] = (block + (x >>> 27)) & 255;
      data[p + 1] = ((c * 255) / width + (x >>> 28)) & 255;
      data[p + 2] = ((y * 255) / height) & 255;
    }
  }
  return data;
}

describe('RgbFrameHasher', () => {
  it('gives the same hash and quality as hashPdqPixels, bit for bit, at any size', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 300 }), fc.integer(), (w, h, seed) => {
      const data = frame(w, h, seed);
      expect(new RgbFrameHasher(w, h).hash(data)).toEqual(hashPdqPixels({ data, width: w, height: h, channels: 3 }));
    }), { numRuns: 60 });
  });

  it('matches on the video sizes of the reference samples and keeps matching when reused frame after frame', () => {
    for (const [w, h] of [[480, 720], [1280, 720], [128, 128]]) {
      const hasher = new RgbFrameHasher(w, h);
      for (const seed of [1, 2, 3]) {
        const data = frame(w, h, seed);
        const ref = hashPdqPixels({ data, width: w, height: h, channels: 3 });
        expect(hasher.hash(data)).toEqual(ref);
        expect(ref.quality).toBeGreaterThanOrEqual(50);
      }
    }
  });

  it('gives the zero hash with quality 0 below 5 pixels a side, like the reference', () => {
    expect(new RgbFrameHasher(4, 100).hash(new Uint8Array(4 * 100 * 3).fill(200))).toEqual({ hash: '0'.repeat(64), quality: 0 });
  });

  it('refuses a buffer shorter than the frame', () => {
    expect(() => new RgbFrameHasher(10, 10).hash(new Uint8Array(299))).toThrow(/needs 300 bytes/);
  });

  it('relies on x * (1/n) rounding to float32 like x / n does, for float32 x and window counts n', () => {
    fc.assert(fc.property(fc.float({ min: 0, max: 255 * 200, noNaN: true }), fc.integer({ min: 1, max: 1000 }), (x, n) => {
      const xf = Math.fround(x);
      expect(Math.fround(xf * (1 / n))).toBe(Math.fround(xf / n));
    }), { numRuns: 20000 });
  });
});
