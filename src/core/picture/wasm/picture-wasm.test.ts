import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { wasmSimdSupported } from '../../signals/pdq/wasm/pdq-wasm.js';
import type { PixelGrid } from '../../signals/pdq/pixel-grid.js';
import { jsPictureKernels, type PictureKernels } from '../picture-kernels.js';
import { robustPhotoSignals } from '../picture-signals.js';
import { createWasmPictureKernels } from './picture-wasm.js';
import { lowMagnitudes } from '../magnitude-hash.js';
import { regionGrid64 } from '../region-grid.js';
import { columnsMostlyOther, findContentBox, rowsMostlyOther, trimFlatBorders } from '../content-box.js';
import { fillEdges } from '../rotation.js';

const bytes = new Uint8Array(readFileSync(new URL('../../../../wasm/pdq/pdq-simd.wasm', import.meta.url)));

interface Scene {
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
  seed: number;
  /** Uniform border of this width (share of the side) and grey level, as bars, frames and screenshots have. */
  border: number;
  borderLevel: number;
  /** Degrees the content is turned on a flat fill (a tilted re-post), 0 for none. */
  tilt: number;
  grey: boolean;
}

/** A generated picture: gradients, edges and noise, optionally inside a flat border and turned on a flat fill. */
function picture(s: Scene): PixelGrid {
  const { width: w, height: h, channels } = s;
  const data = new Uint8Array(w * h * channels);
  let r = s.seed >>> 0 || 1;
  const t = (s.tilt * Math.PI) / 180;
  const cos = Math.cos(t);
  const sin = Math.sin(t);
  const bx = Math.round(w * s.border);
  const by = Math.round(h * s.border);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      // Content coordinates after turning about the centre; outside the content (or in the border): the fill.
      const dx = x - w / 2;
      const dy = y - h / 2;
      const u = cos * dx - sin * dy + w / 2;
      const v = sin * dx + cos * dy + h / 2;
      const inside = u >= bx && u < w - bx && v >= by && v < h - by;
      for (let c = 0; c < channels; c++) {
        r = (r * 1664525 + 1013904223) >>> 0;
        const cc = s.grey ? 0 : c;
        const base = ((Math.floor(u) * (cc + 3) + Math.floor(v) * (7 - cc)) ^ (u > w / 3 ? 90 : 0) ^ (v > h / 2 ? 45 : 0)) & 255;
        const noise = s.grey ? 0 : r >>> 29;
        data[(y * w + x) * channels + c] = inside ? (base + noise) & 255 : s.borderLevel;
      }
    }
  }
  return { data, width: w, height: h, channels };
}

const scene = fc.record({
  width: fc.integer({ min: 32, max: 420 }),
  height: fc.integer({ min: 32, max: 420 }),
  channels: fc.constantFrom(1 as const, 2 as const, 3 as const, 4 as const),
  seed: fc.integer(),
  border: fc.constantFrom(0, 0, 0.05, 0.15),
  borderLevel: fc.integer({ min: 0, max: 255 }),
  tilt: fc.constantFrom(0, 0, 3, -6, 9),
  grey: fc.boolean(),
});

/** The bytes a typed array views. */
const bytesOf = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** The WebAssembly summed-area table of a plane equals the JS core's, byte for byte; returns both. */
function expectSameTable(wasm: PictureKernels, plane: Parameters<PictureKernels['areaTable']>[0]) {
  const ta = jsPictureKernels.areaTable(plane);
  const tb = wasm.areaTable(plane);
  expect(bytesOf(tb.sums).equals(bytesOf(ta.sums))).toBe(true);
  return { ta, tb };
}

/** The WebAssembly luma plane and its summed-area table equal the JS core's, byte for byte; returns the tables. */
function expectSamePlaneAndTable(wasm: PictureKernels, img: PixelGrid, maxSide: number) {
  const pa = jsPictureKernels.lumaPlane(img, maxSide);
  const pb = wasm.lumaPlane(img, maxSide);
  expect([pb.width, pb.height]).toEqual([pa.width, pa.height]);
  expect(bytesOf(pb.data).equals(bytesOf(pa.data))).toBe(true);
  return expectSameTable(wasm, pa);
}

describe.skipIf(!wasmSimdSupported())('robust signals on the WebAssembly kernels', () => {
  let wasm: PictureKernels;
  beforeAll(async () => {
    wasm = (await createWasmPictureKernels(bytes))!;
  });

  it('loads from the PDQ module', () => {
    expect(wasm.name).toBe('wasm-simd');
  });

  it('gives the JS core region_dct and region_mag values on generated pictures, every orientation and role', () => {
    fc.assert(fc.property(scene, fc.integer({ min: 1, max: 8 }), (s, orientation) => {
      const img = picture(s);
      const a = robustPhotoSignals(img, orientation, 'both', jsPictureKernels);
      const b = robustPhotoSignals(img, orientation, 'both', wasm);
      expect(b).toEqual(a);
      // Not vacuous: a structured picture has values on both sides.
      expect((a.regionDct?.length ?? 0) + (a.regionDctQuery?.length ?? 0)).toBeGreaterThan(0);
      expect(a.regionMagShifted, 'the off-centre region_mag forms are computed (and compared) too').toBeDefined();
    }), { numRuns: 60 });
  });

  it('gives the JS core plane, summed-area table and region hashes bit for bit, for any rectangle', () => {
    fc.assert(fc.property(scene, fc.integer({ min: 8, max: 300 }),
      fc.array(fc.tuple(fc.double({ min: -20, max: 320, noNaN: true }), fc.double({ min: -20, max: 320, noNaN: true }),
        fc.double({ min: -20, max: 320, noNaN: true }), fc.double({ min: -20, max: 320, noNaN: true })), { minLength: 1, maxLength: 4 }),
      (s, maxSide, rects) => {
        const img = picture(s);
        const { ta, tb } = expectSamePlaneAndTable(wasm, img, maxSide);
        for (const [x0, y0, x1, y1] of rects) {
          const rect = { x0, y0, x1, y1 };
          expect(wasm.hashRegion(tb, rect)).toEqual(jsPictureKernels.hashRegion(ta, rect));
          expect(wasm.hashRegionMagnitudes(tb, rect)).toEqual(jsPictureKernels.hashRegionMagnitudes(ta, rect));
        }
      }), { numRuns: 60 });
  });

  it('gives the JS core region_mag values on planes with tiny, negative and large cell means (the kernel sums those in order)', () => {
    fc.assert(fc.property(fc.integer({ min: 40, max: 160 }), fc.integer({ min: 40, max: 160 }), fc.integer(), (w, h, seed) => {
      let r = seed >>> 0 || 1;
      const data = new Float32Array(w * h);
      for (let i = 0; i < data.length; i++) {
        r = (r * 1664525 + 1013904223) >>> 0;
        // Mostly plain luma; some cells far under 2^-10, a few negative or at 255 and over.
        const kind = r >>> 28;
        data[i] = kind === 0 ? (r & 0xffff) * 1e-9 : kind === 1 ? -((r & 0xff) * 1e-7) : kind === 2 ? 255 + (r & 3) : (r >>> 8) % 256;
      }
      const plane = { width: w, height: h, data };
      const ta = jsPictureKernels.areaTable(plane);
      const tb = wasm.areaTable(plane);
      for (const rect of [{ x0: 0, y0: 0, x1: w, y1: h }, { x0: 3.5, y0: 2.25, x1: w * 0.7, y1: h * 0.6 }, { x0: 1, y0: 1, x1: 9, y1: 7 }]) {
        expect(wasm.hashRegionMagnitudes(tb, rect)).toEqual(jsPictureKernels.hashRegionMagnitudes(ta, rect));
        // The log magnitudes themselves (the kernels' last ones), bit for bit: a mean off by one rounding shows here
        // long before it flips a bit of the hash.
        expect((wasm as unknown as { logs: Float64Array }).logs).toEqual(lowMagnitudes(regionGrid64(ta, rect)));
        expect(wasm.hashRegion(tb, rect)).toEqual(jsPictureKernels.hashRegion(ta, rect));
      }
    }), { numRuns: 40 });
  });

  it('gives the JS core plane and summed-area table on tiny, flat and extreme pictures (odd and even heights: the module does two rows at a time)', () => {
    const fill = fc.constantFrom('zero', 'max', 'grey', 'alternating', 'random');
    fc.assert(fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.constantFrom(1 as const, 2 as const, 3 as const, 4 as const),
      fill, fc.integer(), fc.integer({ min: 1, max: 9 }), (w, h, channels, kind, seed, maxSide) => {
        let r = seed >>> 0 || 1;
        const data = new Uint8Array(w * h * channels);
        for (let i = 0; i < data.length; i++) {
          r = (r * 1664525 + 1013904223) >>> 0;
          const px = Math.floor(i / channels);
          data[i] = kind === 'zero' ? 0 : kind === 'max' ? 255 : kind === 'grey' ? (px * 37) & 255 : kind === 'alternating' ? ((px + Math.floor(px / w)) & 1 ? 255 : 0) : r >>> 24;
        }
        const img: PixelGrid = { data, width: w, height: h, channels };
        expectSamePlaneAndTable(wasm, img, maxSide);
      }), { numRuns: 300 });
  });

  it('gives the JS core summed-area table of planes with extreme values, 1 to 6 rows', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 6 }), fc.integer(), (w, h, seed) => {
      let r = seed >>> 0 || 1;
      const data = new Float32Array(w * h);
      for (let i = 0; i < data.length; i++) {
        r = (r * 1664525 + 1013904223) >>> 0;
        const kind = r >>> 29;
        data[i] = kind === 0 ? 0 : kind === 1 ? 255 : kind === 2 ? 1e-30 : kind === 3 ? -((r & 0xff) * 1e-7) : kind === 4 ? 3.4e38 : (r >>> 8) / 65536;
      }
      const plane = { width: w, height: h, data };
      expectSameTable(wasm, plane);
    }), { numRuns: 300 });
  });

  it('switches between tables (a plane and its upright copy) without mixing them up', () => {
    const a = wasm.lumaPlane(picture({ width: 200, height: 150, channels: 3, seed: 1, border: 0, borderLevel: 0, tilt: 0, grey: false }));
    const b = wasm.lumaPlane(picture({ width: 150, height: 200, channels: 1, seed: 2, border: 0.1, borderLevel: 30, tilt: 0, grey: true }));
    const ta = wasm.areaTable(a);
    const tb = wasm.areaTable(b);
    const rect = { x0: 10, y0: 12, x1: 120, y1: 110 };
    expect(wasm.hashRegion(ta, rect)).toEqual(jsPictureKernels.hashRegion(ta, rect));
    expect(wasm.hashRegion(tb, rect)).toEqual(jsPictureKernels.hashRegion(tb, rect));
    expect(wasm.hashRegion(ta, rect).hash).not.toBe(wasm.hashRegion(tb, rect).hash);
  });

  it('trims the JS core box off tiny, flat, banded and extreme planes, for any box (in the module when the plane is the last table\'s)', () => {
    // Bands of flat rows and columns at several levels around a noisy middle, values spread around FLAT_SPREAD (12).
    fc.assert(fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 60 }), fc.integer(), fc.integer({ min: 0, max: 30 }),
      fc.constantFrom(0, 1, 6, 12, 13, 40), fc.constantFrom(0, 1, 2), (w, h, seed, band, spread, extreme) => {
        let r = seed >>> 0 || 1;
        const data = new Float32Array(w * h);
        for (let y = 0; y < h; y++) {
          for (let x = 0; x < w; x++) {
            r = (r * 1664525 + 1013904223) >>> 0;
            const edge = Math.min(x, y, w - 1 - x, h - 1 - y) < (band * Math.min(w, h)) / 60;
            const level = edge ? 40 + ((r >>> 16) / 65536) * spread : (r >>> 24) + 0.5;
            data[y * w + x] = extreme === 1 && (r & 63) === 0 ? 255 : extreme === 2 && (r & 63) === 1 ? 1e-30 : level;
          }
        }
        const plane = { width: w, height: h, data };
        wasm.areaTable(plane);
        const x0 = (seed >>> 3) % (w + 1);
        const y0 = (seed >>> 9) % (h + 1);
        const box = { x0, y0, x1: x0 + ((seed >>> 15) % (w + 1 - x0)), y1: y0 + ((seed >>> 21) % (h + 1 - y0)) };
        expect(wasm.trimFlatBorders(plane)).toEqual(trimFlatBorders(plane));
        expect(wasm.trimFlatBorders(plane, box)).toEqual(trimFlatBorders(plane, box));
      }), { numRuns: 500 });
  });

  it('trims generated pictures with borders as the JS core does', () => {
    fc.assert(fc.property(scene, (s) => {
      const plane = wasm.lumaPlane(picture(s));
      wasm.areaTable(plane);
      expect(wasm.trimFlatBorders(plane)).toEqual(trimFlatBorders(plane));
    }), { numRuns: 40 });
  });

  it('finds the JS core fill edges of tilted, flat, tiny and extreme planes (in the module when the plane is the last table\'s)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 50 }), fc.integer(), fc.constantFrom(0, 13, 14, 15, 100),
      fc.constantFrom(0, 1, 2), (w, h, seed, jump, extreme) => {
        // A fill of 30 with content past a slanted edge; the content's level `jump` above the fill (at the tolerance).
        let r = seed >>> 0 || 1;
        const data = new Float32Array(w * h);
        const slope = ((seed >>> 4) % 9) / 8 - 0.5;
        for (let y = 0; y < h; y++) {
          for (let x = 0; x < w; x++) {
            r = (r * 1664525 + 1013904223) >>> 0;
            const inside = Math.abs(x - w / 2 + slope * (y - h / 2)) < w / 3 && Math.abs(y - h / 2 - slope * (x - w / 2)) < h / 3;
            data[y * w + x] = extreme === 1 && (r & 31) === 0 ? 3.4e38 : extreme === 2 && (r & 31) === 1 ? -1e-30 : inside ? 30 + jump + (r >>> 30) : 30;
          }
        }
        const plane = { width: w, height: h, data };
        wasm.areaTable(plane);
        for (const fill of [30, 44, 30.5]) expect(wasm.fillEdges(plane, fill)).toEqual(fillEdges(plane, fill));
      }), { numRuns: 500 });
  });

  it('finds the JS core rows and columns that are not mostly a background, and the JS core content box of screenshots', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 50 }), fc.integer(), fc.constantFrom(0, 9, 10, 11, 30),
      (w, h, seed, off) => {
        // A background of 200 with bands `off` away from it (at the tolerance) and noise, and extreme pixels.
        let r = seed >>> 0 || 1;
        const data = new Float32Array(w * h);
        for (let i = 0; i < data.length; i++) {
          r = (r * 1664525 + 1013904223) >>> 0;
          data[i] = (r & 15) === 0 ? 3.4e38 : (r & 15) === 1 ? (r >>> 24) : (r & 2) ? 200 + off : 200;
        }
        const plane = { width: w, height: h, data };
        wasm.areaTable(plane);
        const from = (seed >>> 3) % h;
        const to = from + 1 + ((seed >>> 11) % (h - from));
        for (const bg of [200, 210.5]) {
          expect(wasm.rowsMostlyOther(plane, bg)).toEqual(rowsMostlyOther(plane, bg));
          expect(wasm.columnsMostlyOther(plane, from, to, bg)).toEqual(columnsMostlyOther(plane, from, to, bg));
        }
        expect(findContentBox(plane, undefined, wasm)).toEqual(findContentBox(plane));
      }), { numRuns: 500 });
    fc.assert(fc.property(scene, (s) => {
      const plane = wasm.lumaPlane(picture({ ...s, border: 0.15, borderLevel: 240 }));
      wasm.areaTable(plane);
      expect(findContentBox(plane, undefined, wasm)).toEqual(findContentBox(plane));
    }), { numRuns: 40 });
  });
});
