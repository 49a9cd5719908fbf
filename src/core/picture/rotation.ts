/**
 * Small rotations (a re-post tilted by a few degrees, the canvas grown and the corners filled, as editors and
 * sharp do): the tilt is read from the straight borders between the fill and the picture, and the picture is
 * turned back and cut to the rectangle it had before.
 */
import type { LumaPlane } from './luma-plane.js';

/** Tilts looked for, in degrees either way. */
export const MAX_TILT_DEGREES = 12;
/** Tilts under this are treated as none. */
export const MIN_TILT_DEGREES = 1;

/** Fill and content differ by more than this (luma levels). */
const FILL_TOLERANCE = 14;

/** Each side's distance to the first content pixel (-1: none), per row (left, right) and per column (top, bottom). */
export interface FillEdges {
  left: Float64Array;
  right: Float64Array;
  top: Float64Array;
  bottom: Float64Array;
}

/** What finds a plane's fill edges: fillEdges, or a thread's kernel doing the same (core/picture/picture-kernels.ts). */
export type FindFillEdges = (p: LumaPlane, fill: number) => FillEdges;

/**
 * Distance from each side to the first pixel that differs from the fill by more than FILL_TOLERANCE, along rows
 * (left, right) and columns (top, bottom), up to half the side (-1: none). Plain loops, the columns read row by row
 * (the plane stays in cache): the same comparisons as a per-pixel test would make.
 */
export function fillEdges(p: LumaPlane, fill: number): FillEdges {
  const { width: w, height: h, data } = p;
  const left = new Float64Array(h).fill(-1);
  const right = new Float64Array(h).fill(-1);
  for (let y = 0; y < h; y++) {
    const o = y * w;
    for (let k = 0; k < w / 2; k++) if (Math.abs(data[o + k] - fill) > FILL_TOLERANCE) { left[y] = k; break; }
    for (let k = 0, i = o + w - 1; k < w / 2; k++, i--) if (Math.abs(data[i] - fill) > FILL_TOLERANCE) { right[y] = k; break; }
  }
  const columnEdge = (fromBottom: boolean) => {
    const out = new Float64Array(w).fill(-1);
    let open = w;
    for (let k = 0; k < h / 2 && open > 0; k++) {
      const o = (fromBottom ? h - 1 - k : k) * w;
      for (let x = 0; x < w; x++) if (out[x] < 0 && Math.abs(data[o + x] - fill) > FILL_TOLERANCE) { out[x] = k; open--; }
    }
    return out;
  };
  return { left, right, top: columnEdge(false), bottom: columnEdge(true) };
}

/**
 * The tilt read from the fill a rotation leaves in the corners: where each row's and column's content begins, from
 * all four sides (fillEdges); the picture's edges are straight lines whose slope is the tangent of the tilt. Null
 * when the corners are not one flat fill colour (no grown canvas) or too few lines reach one.
 */
function tiltFromFill(p: LumaPlane, edges: FindFillEdges): number | null {
  const { width: w, height: h, data } = p;
  const corners = [data[0], data[w - 1], data[(h - 1) * w], data[h * w - 1]];
  const fill = corners.slice().sort((a, b) => a - b)[1];
  if (corners.filter((c) => Math.abs(c - fill) <= FILL_TOLERANCE / 2).length < 3) return null;
  const { left, right, top, bottom } = edges(p, fill);
  const sides = [
    { v: left, sign: 1 },
    { v: right, sign: -1 },
    { v: top, sign: -1 },
    { v: bottom, sign: 1 },
  ];
  return tiltFromEdges(sides, w, h);
}

/**
 * The tilt in degrees from the four edges' distances to the first content pixel (-1: none), each with the sign that
 * turns its slope into the tilt's tangent; null when too few lines reach content.
 */
export function tiltFromEdges(sides: readonly { v: Float64Array; sign: number }[], w: number, h: number): number | null {
  // Slopes between lines a quarter of the side apart, over the middle of each side (the corners bend the edge).
  const slopes: number[] = [];
  for (const { v, sign } of sides) {
    const n = v.length;
    const step = Math.max(2, Math.round(n / 4));
    for (let i = Math.round(n * 0.2); i + step <= Math.round(n * 0.8); i++) {
      if (v[i] < 0 || v[i + step] < 0) continue;
      slopes.push((sign * (v[i + step] - v[i])) / step);
    }
  }
  if (slopes.length < Math.min(w, h) * 0.5) return null;
  // The mean of the middle half: robust to content that happens to match the fill, finer than pixel steps.
  slopes.sort((a, b) => a - b);
  const mid = slopes.slice(Math.floor(slopes.length / 4), Math.ceil((3 * slopes.length) / 4));
  const tan = mid.reduce((x, y) => x + y, 0) / mid.length;
  return (Math.atan(tan) * 180) / Math.PI;
}

/**
 * The angle in degrees that turns a tilted re-post upright again (untilt's argument), read from the fill in its
 * corners when a rotation grew the canvas; 0 when there is no such fill or the tilt is under a degree. `edges`
 * finds the fill's edges (a thread's kernel may: the same distances).
 * @example estimateTilt(rotatedPlane) // -5.1 for a picture turned 5 degrees clockwise
 */
export function estimateTilt(p: LumaPlane, edges: FindFillEdges = fillEdges): number {
  if (p.width < 16 || p.height < 16) return 0;
  const fromFill = tiltFromFill(p, edges);
  return fromFill === null || Math.abs(fromFill) < MIN_TILT_DEGREES || Math.abs(fromFill) > MAX_TILT_DEGREES ? 0 : fromFill;
}
/**
 * Turns a plane back by `degrees` (the tilt estimateTilt gave) and cuts out the rectangle the picture had before it
 * was turned and its canvas grown; bilinear sampling.
 * @example untilt(rotatedPlane, 5).width // about the width before the rotation
 */
export function untilt(p: LumaPlane, degrees: number): LumaPlane {
  const t = (degrees * Math.PI) / 180;
  const c = Math.cos(Math.abs(t));
  const s = Math.sin(Math.abs(t));
  const det = c * c - s * s;
  const w = Math.max(8, Math.round((c * p.width - s * p.height) / det));
  const h = Math.max(8, Math.round((c * p.height - s * p.width) / det));
  const out = new Float32Array(w * h);
  const cos = Math.cos(t);
  const sin = Math.sin(t);
  const cx = p.width / 2;
  const cy = p.height / 2;
  for (let y = 0; y < h; y++) {
    const dy = y + 0.5 - h / 2;
    for (let x = 0; x < w; x++) {
      const dx = x + 0.5 - w / 2;
      const sx = cx + dx * cos + dy * sin - 0.5;
      const sy = cy - dx * sin + dy * cos - 0.5;
      const x0 = Math.min(Math.max(Math.floor(sx), 0), p.width - 2);
      const y0 = Math.min(Math.max(Math.floor(sy), 0), p.height - 2);
      const fx = Math.min(Math.max(sx - x0, 0), 1);
      const fy = Math.min(Math.max(sy - y0, 0), 1);
      const i = y0 * p.width + x0;
      out[y * w + x] = p.data[i] * (1 - fx) * (1 - fy) + p.data[i + 1] * fx * (1 - fy) + p.data[i + p.width] * (1 - fx) * fy + p.data[i + p.width + 1] * fx * fy;
    }
  }
  return { width: w, height: h, data: out };
}
