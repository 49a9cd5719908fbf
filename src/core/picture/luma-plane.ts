/**
 * A picture reduced to what the robust signals need: one float luma value per pixel, at most a few hundred pixels a
 * side, upright (EXIF orientation applied). Made from decoded pixels in the core, so that a browser and the server
 * derive the same plane from the same pixels. Not PDQ's input: PDQ keeps the reference's own pipeline.
 */
import type { PixelGrid } from '../signals/pdq/pixel-grid.js';

export interface LumaPlane {
  width: number;
  height: number;
  /** Row-major luma 0..255. */
  data: Float32Array;
}

/** Longest side of the plane the robust signals work on: enough for a 64x64 grid from a region half the side. */
export const PLANE_MAX_SIDE = 256;

/** EXIF orientation values, 1 (as stored) to 8. */
export type Orientation = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;

/** True for a valid EXIF orientation value. */
export function isOrientation(v: unknown): v is Orientation {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 8;
}

/**
 * Where each input pixel of a side of length n goes on an output side of length m <= n: its first output cell and
 * the share of it that falls there (the rest falls in the next cell). Exact areas, so mirroring the input mirrors
 * the output (a flipped or turned copy gives the same plane turned, which the region hashes need to the pixel).
 */
export function areaSplits(n: number, m: number): { cell: Int32Array; share: Float64Array } {
  const cell = new Int32Array(n);
  const share = new Float64Array(n);
  for (let x = 0; x < n; x++) {
    const c = Math.min(m - 1, Math.floor((x * m) / n));
    const edge = ((c + 1) * n) / m;
    cell[x] = c;
    share[x] = x + 1 <= edge || c === m - 1 ? 1 : edge - x;
  }
  return { cell, share };
}

/**
 * The size of the plane made from a w x h picture: longest side at most `maxSide`, never enlarged.
 * @example lumaPlaneSize(1600, 1004) // { width: 256, height: 161 }
 */
export function lumaPlaneSize(w: number, h: number, maxSide = PLANE_MAX_SIDE): { width: number; height: number } {
  if (w < 1 || h < 1) throw new RangeError(`picture ${w}x${h} has no pixels`);
  const scale = Math.min(1, maxSide / Math.max(w, h));
  return { width: Math.max(1, Math.round(w * scale)), height: Math.max(1, Math.round(h * scale)) };
}

/**
 * Area-averages decoded pixels down to a luma plane whose longest side is at most `maxSide` (never enlarged).
 * Alpha is ignored, as PDQ does. Luma weights are PDQ's (0.299, 0.587, 0.114); a grey pixel keeps its value.
 * @example lumaPlaneFromPixels({ data, width: 1600, height: 1004, channels: 3 }).width // 256
 */
export function lumaPlaneFromPixels(img: PixelGrid, maxSide = PLANE_MAX_SIDE): LumaPlane {
  const { width: w, height: h, channels: ch, data } = img;
  const { width: ow, height: oh } = lumaPlaneSize(w, h, maxSide);
  const xs = areaSplits(w, ow);
  const ys = areaSplits(h, oh);
  const rows = new Float64Array(oh * ow);
  const line = new Float64Array(ow);
  const luma = new Float64Array(w);
  const { cell, share } = xs;
  for (let y = 0; y < h; y++) {
    // The row's luma first (one tight loop per channel layout), then its area split: the same float64 operations
    // in the same order as one loop doing both, at a fraction of the time.
    const p0 = y * w * ch;
    if (ch <= 2) for (let x = 0, p = p0; x < w; x++, p += ch) luma[x] = data[p];
    else {
      for (let x = 0, p = p0; x < w; x++, p += ch) {
        // A grey pixel is its own luma, exactly: a grey JPEG decodes to one channel here and to RGB in a browser.
        const r = data[p];
        luma[x] = r === data[p + 1] && r === data[p + 2] ? r : 0.299 * r + 0.587 * data[p + 1] + 0.114 * data[p + 2];
      }
    }
    line.fill(0);
    for (let x = 0; x < w; x++) {
      const v = luma[x];
      const c = cell[x];
      const f = share[x];
      if (f === 1) line[c] += v;
      else {
        line[c] += v * f;
        line[c + 1] += v * (1 - f);
      }
    }
    const r = ys.cell[y];
    const g = ys.share[y];
    const o = r * ow;
    if (g === 1) for (let j = 0; j < ow; j++) rows[o + j] += line[j];
    else {
      for (let j = 0; j < ow; j++) {
        rows[o + j] += line[j] * g;
        rows[o + ow + j] += line[j] * (1 - g);
      }
    }
  }
  const area = (w / ow) * (h / oh);
  const out = new Float32Array(ow * oh);
  for (let i = 0; i < out.length; i++) out[i] = rows[i] / area;
  return { width: ow, height: oh, data: out };
}

/**
 * Where the pixel shown at (x, y) of an oriented picture sits in the stored one (w x h as stored): the one map of
 * EXIF orientations 2-8, used to turn a plane upright and, backwards, to undo a browser's turn.
 * @example storedIndex(6, 0, 0, 4, 3) // 2 * 4 + 0: the first shown pixel is the stored bottom-left one
 */
export function storedIndex(orientation: Orientation, x: number, y: number, w: number, h: number): number {
  switch (orientation) {
    case 2: return y * w + (w - 1 - x);
    case 3: return (h - 1 - y) * w + (w - 1 - x);
    case 4: return (h - 1 - y) * w + x;
    case 5: return x * w + y;
    case 6: return (h - 1 - x) * w + y;
    case 7: return (h - 1 - x) * w + (w - 1 - y);
    case 8: return x * w + (w - 1 - y);
    default: return y * w + x;
  }
}

/**
 * The plane as it is shown: EXIF orientation applied (2 mirror, 3 rotate 180, 4 flip, 5 transpose, 6 rotate 90
 * clockwise, 7 transverse, 8 rotate 90 counter-clockwise), as browsers and sharp's rotate() apply it.
 * @example orientPlane(plane, 6).width === plane.height // true
 */
export function orientPlane(plane: LumaPlane, orientation: Orientation): LumaPlane {
  if (orientation === 1) return plane;
  const { width: w, height: h, data } = plane;
  const swap = orientation >= 5;
  const ow = swap ? h : w;
  const oh = swap ? w : h;
  const out = new Float32Array(ow * oh);
  for (let y = 0; y < oh; y++) {
    for (let x = 0; x < ow; x++) out[y * ow + x] = data[storedIndex(orientation, x, y, w, h)];
  }
  return { width: ow, height: oh, data: out };
}
