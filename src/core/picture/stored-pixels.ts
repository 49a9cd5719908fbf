/**
 * Undoes an EXIF orientation on decoded pixels: a browser that turns a photo upright while decoding (Chromium does,
 * even when asked not to) gives the shown pixels; PDQ and the robust signals start from the stored ones, as the
 * server's decoder gives them. Exact (an index permutation), so the page hashes the very pixels the server hashes.
 */
import type { PixelGrid } from '../signals/pdq/pixel-grid.js';
import { storedIndex, type Orientation } from './luma-plane.js';

/**
 * The stored pixels of a photo shown with EXIF orientation `orientation` (the inverse of orientPlane's turn).
 * @example storedPixelsFromShown({ data, width: 480, height: 640, channels: 4 }, 6).width // 640
 */
export function storedPixelsFromShown<T extends PixelGrid>(shown: T, orientation: Orientation): T {
  if (orientation === 1) return shown;
  const { width: ow, height: oh, channels: ch, data } = shown;
  const swap = orientation >= 5;
  const w = swap ? oh : ow;
  const h = swap ? ow : oh;
  const out = new (data.constructor as new (n: number) => typeof data)(data.length);
  for (let y = 0; y < oh; y++) {
    for (let x = 0; x < ow; x++) {
      // Shown (x, y) came from stored pixel storedIndex(…): the same map as orientPlane.
      const s = storedIndex(orientation, x, y, w, h) * ch;
      const d = (y * ow + x) * ch;
      for (let c = 0; c < ch; c++) out[s + c] = data[d + c];
    }
  }
  return { ...shown, data: out, width: w, height: h };
}
