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

/** Where a fractional coordinate falls in the table: clamped, its cell (clamped to the last) and the fraction past it. */
function corner(v: number, side: number, cells: Int32Array, fracs: Float64Array, k: number): void {
  const c = Math.min(Math.max(v, 0), side);
  const i = Math.min(Math.floor(c), side - 1);
  cells[k] = i;
  fracs[k] = c - i;
}

/**
 * The 64x64 grid of cell means over `rect` (clipped to the plane). S is read at each of the 65x65 fractional
 * corners bilinearly between the four table entries around it (the exact area integral of a piecewise-constant
 * plane); the corners' cells and fractions are computed once per column and per row.
 * @example regionGrid64(areaTable(plane), { x0: 10, y0: 10, x1: 200, y1: 150 }).length // 4096
 */
export function regionGrid64(t: AreaTable, rect: Rect): Float32Array {
  const grid = new Float32Array(64 * 64);
  const xs = new Float64Array(65);
  const ys = new Float64Array(65);
  const ix = new Int32Array(65);
  const iy = new Int32Array(65);
  const fx = new Float64Array(65);
  const fy = new Float64Array(65);
  for (let i = 0; i <= 64; i++) {
    xs[i] = rect.x0 + ((rect.x1 - rect.x0) * i) / 64;
    ys[i] = rect.y0 + ((rect.y1 - rect.y0) * i) / 64;
    corner(xs[i], t.width, ix, fx, i);
    corner(ys[i], t.height, iy, fy, i);
  }
  const w1 = t.width + 1;
  const s = t.sums;
  const rows = new Float64Array(65 * 65);
  for (let i = 0; i <= 64; i++) {
    const top = iy[i] * w1;
    const bottom = top + w1;
    const gy = fy[i];
    for (let j = 0; j <= 64; j++) {
      const x = ix[j];
      const gx = fx[j];
      const a = s[top + x];
      const b = s[top + x + 1];
      const c = s[bottom + x];
      const d = s[bottom + x + 1];
      rows[i * 65 + j] = a * (1 - gx) * (1 - gy) + b * gx * (1 - gy) + c * (1 - gx) * gy + d * gx * gy;
    }
  }
  const widths = new Float64Array(64);
  for (let j = 0; j < 64; j++) widths[j] = Math.max(0, Math.min(xs[j + 1], t.width) - Math.max(xs[j], 0));
  for (let i = 0; i < 64; i++) {
    const height = Math.max(0, Math.min(ys[i + 1], t.height) - Math.max(ys[i], 0));
    for (let j = 0; j < 64; j++) {
      const area = widths[j] * height;
      const v = rows[(i + 1) * 65 + j + 1] - rows[i * 65 + j + 1] - rows[(i + 1) * 65 + j] + rows[i * 65 + j];
      grid[i * 64 + j] = area > 1e-6 ? v / area : 0;
    }
  }
  return grid;
}
