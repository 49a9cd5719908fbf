/**
 * Sizes for the `fast` pipeline: shrink each side so that PDQ's blur window on the shrunk side covers the same
 * fraction of the image as the window on the full side, with the same parity (odd windows are centred, even ones
 * reach one pixel right). Aspect ratio is not kept: PDQ samples each axis to 64 cells on its own, so a per-axis
 * scale costs nothing and keeps the hash within a few bits of the full-resolution hash (measured in bench:hash).
 */
import { jaroszWindow } from './jarosz-blur.js';

/** The smallest blur window the fast pipeline shrinks to (3 keeps every sample image within 10 bits of full). */
export const FAST_MIN_WINDOW = 3;

/**
 * The side length to shrink a side of n pixels to.
 * @example windowMatchedSide(1600) // 369: window 13 at 1600 px becomes window 3 at 369 px
 */
export function windowMatchedSide(n: number, minWindow = FAST_MIN_WINDOW): number {
  const w = jaroszWindow(n);
  if (w <= minWindow) return n;
  const target = (w - minWindow) % 2 === 0 ? minWindow : minWindow + 1;
  return Math.round((n * target) / w);
}
