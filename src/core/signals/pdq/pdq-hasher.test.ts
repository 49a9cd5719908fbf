import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PdqHasher } from './pdq-hasher.js';
import { hashPdqGrid } from './pdq-hash.js';

/** A frame with structure (gradients and blocks) plus noise. */
function frame(width: number, height: number, seed: number, channels = 3): Uint8Array {
  const data = new Uint8Array(width * height * channels);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < width * height; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    const y = Math.floor(i / width);
    const c = i % width;
    const block = ((y >> 3) ^ (c >> 4)) & 1 ? 160 : 40;
    for (let k = 0; k < channels; k++) data[i * channels + k] = (block + k * 30 + (x >>> 27)) & 255;
  }
  return data;
}

describe('PdqHasher', () => {
  it('reused frame after frame gives what a fresh hasher gives', () => {
    fc.assert(fc.property(fc.integer({ min: 5, max: 200 }), fc.integer({ min: 5, max: 200 }), (w, h) => {
      const reused = new PdqHasher(w, h);
      for (const seed of [1, 2, 3]) {
        const data = frame(w, h, seed);
        expect(hashPdqGrid(reused.grid64(data, 3))).toEqual(hashPdqGrid(new PdqHasher(w, h).grid64(data, 3)));
      }
    }), { numRuns: 20 });
  });

  it('reads grey, grey+alpha, RGB and RGBA; alpha is ignored', () => {
    const rgb = frame(64, 48, 9);
    const rgba = new Uint8Array(64 * 48 * 4);
    for (let i = 0; i < 64 * 48; i++) { rgba.set(rgb.subarray(i * 3, i * 3 + 3), i * 4); rgba[i * 4 + 3] = i & 255; }
    const h = new PdqHasher(64, 48);
    expect(h.grid64(rgba, 4)).toEqual(h.grid64(rgb, 3));
    const grey = frame(64, 48, 9, 1);
    const ga = new Uint8Array(64 * 48 * 2);
    for (let i = 0; i < 64 * 48; i++) { ga[i * 2] = grey[i]; ga[i * 2 + 1] = 7; }
    expect(h.grid64(ga, 2)).toEqual(h.grid64(grey, 1));
  });

  it('refuses a size that is not positive and a buffer that is too small', () => {
    expect(() => new PdqHasher(0, 10)).toThrow(/not a positive whole size/);
    expect(() => new PdqHasher(10, 10).grid64(new Uint8Array(299), 3)).toThrow(/needs 300 bytes/);
  });
});
