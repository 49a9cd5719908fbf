import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createJsPdqEngine, hashWithDihedral, type PdqEngine } from '../pdq-engine.js';
import { createWasmPdqEngine, wasmSimdSupported } from './pdq-wasm.js';
import type { PixelGrid } from '../pixel-grid.js';

const bytes = new Uint8Array(readFileSync(new URL('../../../../../wasm/pdq/pdq-simd.wasm', import.meta.url)));

/** Pixels with structure (gradients, a few edges) and noise, so that hashes and qualities vary. */
function image(width: number, height: number, channels: 1 | 2 | 3 | 4, seed: number): PixelGrid {
  const data = new Uint8Array(width * height * channels);
  let s = seed >>> 0 || 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) {
        s = (s * 1664525 + 1013904223) >>> 0;
        const base = ((x * (c + 3) + y * (7 - c)) ^ (x > width / 3 ? 90 : 0) ^ (y > height / 2 ? 45 : 0)) & 255;
        data[(y * width + x) * channels + c] = (base + (s >>> 28)) & 255;
      }
    }
  }
  return { data, width, height, channels };
}

describe.skipIf(!wasmSimdSupported())('PDQ WebAssembly SIMD engine', () => {
  const js = createJsPdqEngine();
  let wasm: PdqEngine;
  beforeAll(async () => {
    wasm = (await createWasmPdqEngine(bytes))!;
  });

  it('gives the JS core grid, coefficients, quality and hash bit for bit (any size, channels, windows)', () => {
    fc.assert(fc.property(
      fc.integer({ min: 5, max: 300 }), fc.integer({ min: 5, max: 300 }), fc.constantFrom(1, 2, 3, 4), fc.integer(),
      fc.option(fc.record({ alongRows: fc.integer({ min: 1, max: 5 }), alongCols: fc.integer({ min: 1, max: 5 }) }), { nil: undefined }),
      (w, h, ch, seed, windows) => {
        const img = image(w, h, ch as 1 | 2 | 3 | 4, seed);
        const a = js.analyse(img, windows)!;
        const b = wasm.analyse(img, windows)!;
        expect(Array.from(b.grid)).toEqual(Array.from(a.grid));
        expect(Array.from(b.coefficients)).toEqual(Array.from(a.coefficients));
        expect(b.quality).toBe(a.quality);
        expect(wasm.hash(img, windows)).toEqual(js.hash(img, windows));
      }), { numRuns: 60 });
  });

  it('equals the JS core on a full-size photo and a video frame, and reuses its memory across sizes', () => {
    for (const [w, h] of [[1600, 1004], [480, 720], [64, 64], [5, 5], [1004, 1600], [480, 720]]) {
      const img = image(w, h, 3, w + h);
      expect(wasm.hash(img)).toEqual(js.hash(img));
      expect(hashWithDihedral(wasm, img)).toEqual(hashWithDihedral(js, img));
    }
  });

  it('hashes frames written piece by piece into its stream as the JS core hashes them whole (pieces of any size)', () => {
    fc.assert(fc.property(
      fc.integer({ min: 5, max: 200 }), fc.integer({ min: 5, max: 200 }), fc.constantFrom(1, 3, 4),
      fc.array(fc.integer({ min: 1, max: 5000 }), { minLength: 1, maxLength: 8 }), fc.integer(),
      (w, h, ch, pieces, seed) => {
        const stream = wasm.frames!(w, h, ch)!;
        for (let f = 0; f < 2; f++) { // the second frame reuses the stream
          const img = image(w, h, ch as 1 | 3 | 4, seed + f);
          const buf = stream.buffer();
          for (let at = 0, k = 0; at < img.data.length; k++) {
            const end = Math.min(img.data.length, at + pieces[k % pieces.length]);
            buf.set(img.data.subarray(at, end), at);
            stream.written(end);
            at = end;
          }
          expect(stream.finish()).toEqual(js.hash(img));
        }
      }), { numRuns: 40 });
  });

  it('hashes too-small images to zeros and refuses a short buffer like the JS core', () => {
    expect(wasm.hash(image(4, 100, 3, 1))).toEqual({ hash: '0'.repeat(64), quality: 0 });
    expect(wasm.analyse(image(100, 4, 3, 1))).toBeNull();
    expect(() => wasm.hash({ data: new Uint8Array(10), width: 10, height: 10, channels: 3 })).toThrow(/needs 300 bytes/);
  });
});
