/**
 * Resamples any axis-aligned rectangle of a luma plane to the 64x64 grid PDQ's DCT works on: each cell is the exact
 * mean of the plane over the cell's area (a summed-area table read at fractional corners), so a region costs 4,096
 * table reads whatever its size. A smoothing close to PDQ's tent blur plus decimation, not bit-equal to it.
 */
import type { LumaPlane } from './luma-plane.js';

/** A rectangle in plane pixels; x1/y1 exclusive; fractional edges allowed. */
export interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** The plane's summed-area table: (w+1) x (h+1), S[y][x] = sum of the plane over [0,x) x [0,y). */
export interface AreaTable {
  width: number;
  height: number;
  sums: Float64Array;
}

/**
 * Builds the summed-area table of a plane (once per plane, reused by every region).
 * @example regionGrid64(areaTable(plane), { x0: 0, y0: 0, x1: plane.width, y1: plane.height })
 */
export function areaTable(plane: LumaPlane): AreaTable {
  const { width: w, height: h, data } = plane;
  const sums = new Float64Array((w + 1) * (h + 1));
  for (let y = 0; y < h; y++) {
    let row = 0;
    const o = (y + 1) * (w + 1);
    const prev = y * (w + 1);
    for (let x = 0; x < w; x++) {
      row += data[y * w + x];
      sums[o + x + 1] = sums[prev + x + 1] + row;
    }
  }
  return { width: w, height: h, sums };
}

/** S at a fractional point: bilinear between the four table corners (exact area integral of a piecewise-constant plane). */
function sumTo(t: AreaTable, x: number, y: number): number {
  const w1 = t.width + 1;
  const cx = Math.min(Math.max(x, 0), t.width);
  const cy = Math.min(Math.max(y, 0), t.height);
  const ix = Math.min(Math.floor(cx), t.width - 1);
  const iy = Math.min(Math.floor(cy), t.height - 1);
  const fx = cx - ix;
  const fy = cy - iy;
  const s = t.sums;
  const a = s[iy * w1 + ix];
  const b = s[iy * w1 + ix + 1];
  const c = s[(iy + 1) * w1 + ix];
  const d = s[(iy + 1) * w1 + ix + 1];
  return a * (1 - fx) * (1 - fy) + b * fx * (1 - fy) + c * (1 - fx) * fy + d * fx * fy;
}

/**
 * The 64x64 grid of cell means over `rect` (clipped to the plane).
 * @example regionGrid64(areaTable(plane), { x0: 10, y0: 10, x1: 200, y1: 150 }).length // 4096
 */
export function regionGrid64(t: AreaTable, rect: Rect): Float32Array {
  const grid = new Float32Array(64 * 64);
  const xs = new Float64Array(65);
  const ys = new Float64Array(65);
  for (let i = 0; i <= 64; i++) {
    xs[i] = rect.x0 + ((rect.x1 - rect.x0) * i) / 64;
    ys[i] = rect.y0 + ((rect.y1 - rect.y0) * i) / 64;
  }
  const rows = new Float64Array(65 * 65);
  for (let i = 0; i <= 64; i++) for (let j = 0; j <= 64; j++) rows[i * 65 + j] = sumTo(t, xs[j], ys[i]);
  for (let i = 0; i < 64; i++) {
    for (let j = 0; j < 64; j++) {
      const area = Math.max(0, Math.min(xs[j + 1], t.width) - Math.max(xs[j], 0)) * Math.max(0, Math.min(ys[i + 1], t.height) - Math.max(ys[i], 0));
      const s = rows[(i + 1) * 65 + j + 1] - rows[i * 65 + j + 1] - rows[(i + 1) * 65 + j] + rows[i * 65 + j];
      grid[i * 64 + j] = area > 1e-6 ? s / area : 0;
    }
  }
  return grid;
}
