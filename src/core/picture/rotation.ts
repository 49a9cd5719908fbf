/**
 * Small rotations (a re-post tilted by a few degrees, the canvas grown and the corners filled): the tilt is read
 * from the picture's own edge directions (the fill's straight borders and the scene's horizontals and verticals
 * vote in a histogram of gradient angles), and the picture is turned back and cut to the rectangle it had before.
 */
import type { LumaPlane } from './luma-plane.js';

/** Tilts looked for, in degrees either way. */
export const MAX_TILT_DEGREES = 12;
/** Tilts under this are treated as none. */
export const MIN_TILT_DEGREES = 1;
const BIN = 0.25;

/**
 * The picture's tilt in degrees (positive: turned counter-clockwise), or 0 when no direction stands out.
 * @example estimateTilt(rotatedPlane) // 5.25
 */
export function estimateTilt(p: LumaPlane): number {
  const { width: w, height: h, data } = p;
  const bins = Math.round((2 * MAX_TILT_DEGREES) / BIN) + 1;
  const hist = new Float64Array(bins);
  let total = 0;
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      const gx = data[i + 1 - w] + 2 * data[i + 1] + data[i + 1 + w] - data[i - 1 - w] - 2 * data[i - 1] - data[i - 1 + w];
      const gy = data[i + w - 1] + 2 * data[i + w] + data[i + w + 1] - data[i - w - 1] - 2 * data[i - w] - data[i - w + 1];
      const m2 = gx * gx + gy * gy;
      if (m2 < 40 * 40) continue;
      total += m2;
      // The edge direction modulo 90 degrees, in (-45, 45].
      let a = (Math.atan2(gy, gx) * 180) / Math.PI;
      a = ((a % 90) + 135) % 90 - 45;
      if (Math.abs(a) > MAX_TILT_DEGREES) continue;
      hist[Math.round((a + MAX_TILT_DEGREES) / BIN)] += m2;
    }
  }
  if (total === 0) return 0;
  let best = 0;
  let bestScore = -1;
  for (let b = 0; b < bins; b++) {
    let s = 0;
    for (let k = -2; k <= 2; k++) s += hist[Math.min(bins - 1, Math.max(0, b + k))] * (3 - Math.abs(k));
    if (s > bestScore) { bestScore = s; best = b; }
  }
  const angle = best * BIN - MAX_TILT_DEGREES;
  return Math.abs(angle) < MIN_TILT_DEGREES ? 0 : angle;
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
