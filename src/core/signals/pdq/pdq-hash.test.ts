import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { hashPdqPixels, hashPdqPixelsWithDihedral, pdqCoefficients, PDQ_ZERO_HASH } from './pdq-hash.js';
import { dihedralCoefficients, DIHEDRAL_NAMES, type DihedralName } from './pdq-dihedral.js';
import { thresholdToHex } from './pdq-dct.js';
import { pdqDistance } from './pdq-hex.js';
import type { PixelGrid } from './pixel-grid.js';

/** A deterministic synthetic image: a gradient with a few rectangles and some noise. */
function synthetic(width: number, height: number, seed: number, channels: 1 | 3 | 4 = 3): PixelGrid {
  const data = new Uint8Array(width * height * channels);
  let s = seed >>> 0 || 1;
  const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const rects = Array.from({ length: 4 }, () => [rnd() * width, rnd() * height, rnd() * width / 2, rnd() * height / 2, rnd() * 255]);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let v = (x / width) * 120 + (y / height) * 60;
      for (const [rx, ry, rw, rh, rv] of rects) if (x >= rx && x < rx + rw && y >= ry && y < ry + rh) v = rv;
      v += rnd() * 20;
      for (let c = 0; c < channels; c++) data[(y * width + x) * channels + c] = Math.max(0, Math.min(255, v + c * 10));
    }
  }
  return { data, width, height, channels };
}

function transposeGrid(img: PixelGrid): PixelGrid {
  const { width, height, channels, data } = img;
  const out = new Uint8Array(data.length);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) for (let c = 0; c < channels; c++) {
    out[(x * height + y) * channels + c] = data[(y * width + x) * channels + c];
  }
  return { data: out, width: height, height: width, channels };
}

describe('PDQ core', () => {
  it('gives the all-zero hash and quality 0 below 5 pixels a side', () => {
    for (const [w, h] of [[4, 100], [100, 4], [0, 0], [1, 1]]) {
      expect(hashPdqPixels({ data: new Uint8Array(w * h * 3).fill(200), width: w, height: h, channels: 3 }))
        .toEqual({ hash: PDQ_ZERO_HASH, quality: 0 });
    }
    expect(hashPdqPixels(synthetic(5, 5, 3)).hash).not.toBe(PDQ_ZERO_HASH);
  });

  it('sets exactly 128 bits on an image without ties', () => {
    const { hash } = hashPdqPixels(synthetic(300, 200, 7));
    expect(pdqDistance(hash, PDQ_ZERO_HASH)).toBe(128);
  });

  it('rates a flat image quality 0 and a detailed one high', () => {
    expect(hashPdqPixels({ data: new Uint8Array(100 * 100 * 3).fill(90), width: 100, height: 100, channels: 3 }).quality).toBe(0);
    expect(hashPdqPixels(synthetic(200, 200, 11)).quality).toBeGreaterThanOrEqual(50);
  });

  it('refuses a buffer smaller than the size it claims', () => {
    expect(() => hashPdqPixels({ data: new Uint8Array(10), width: 10, height: 10, channels: 3 })).toThrow(/needs 300 bytes/);
  });

  it('ignores alpha: RGBA and RGB of the same pixels hash alike', () => {
    const rgba = synthetic(120, 90, 5, 4);
    const rgb = new Uint8Array(120 * 90 * 3);
    for (let i = 0; i < 120 * 90; i++) for (let c = 0; c < 3; c++) rgb[i * 3 + c] = rgba.data[i * 4 + c];
    for (let i = 3; i < rgba.data.length; i += 4) rgba.data[i] = (i * 7) & 255;
    expect(hashPdqPixels(rgba)).toEqual(hashPdqPixels({ data: rgb, width: 120, height: 90, channels: 3 }));
  });

  it('the transposed image hashes to the flipplus1 variant, up to float rounding', () => {
    // Square images: decimation and windows are the same along both axes, so transposing pixels transposes B.
    // Only float rounding differs (the transposed image is blurred V-then-H instead of H-then-V), which can flip a
    // coefficient that sits at the median. Under 64 px the 64x64 grid repeats pixels and many coefficients tie at
    // ~0, so such flips are common there; photos are larger.
    fc.assert(fc.property(fc.integer({ min: 1, max: 2 ** 31 }), fc.integer({ min: 64, max: 300 }), (seed, side) => {
      const img = synthetic(side, side, seed, 1);
      expect(pdqDistance(hashPdqPixels(transposeGrid(img)).hash, hashPdqPixelsWithDihedral(img).dihedral.flipplus1)).toBeLessThanOrEqual(4);
    }), { numRuns: 15 });
  });

  it('dihedral identities: flips are involutions, four quarter turns are the identity', () => {
    const c = pdqCoefficients(synthetic(97, 131, 3))!.coefficients;
    const apply = (b: Float32Array, ...names: DihedralName[]) => names.reduce((x, n) => dihedralCoefficients(x, n), b);
    for (const n of ['flipx', 'flipy', 'flipplus1', 'flipminus1', 'rot180'] as const) expect(apply(c, n, n)).toEqual(c);
    expect(apply(c, 'rot90', 'rot90', 'rot90', 'rot90')).toEqual(c);
    expect(apply(c, 'rot90', 'rot270')).toEqual(c);
    expect(apply(c, 'rot90', 'rot90')).toEqual(apply(c, 'rot180'));
    expect(apply(c, 'flipx', 'flipy')).toEqual(apply(c, 'rot180'));
    const variants = hashPdqPixelsWithDihedral(synthetic(97, 131, 3));
    expect(new Set([variants.hash, ...DIHEDRAL_NAMES.map((n) => variants.dihedral[n])]).size).toBe(8);
    expect(variants.hash).toBe(thresholdToHex(c));
  });
});
