/**
 * The `fast` pipeline's shortcut: decode a JPEG already shrunk by 2, 4 or 8 (the decoder's DCT scaling, which
 * costs less than a full decode), then blur with windows scaled by the same factor, so that the blur covers the
 * same share of the picture as PDQ's ceil(n / 128) window at full resolution. The hash is not the reference's bit
 * for bit, but stays within 10 bits of it on every sample image of quality >= 80 (upstream's rule for ports with
 * their own decoding; measured by the conformance test and bench:hash).
 */
import { jaroszWindow } from './jarosz-blur.js';

/** Box-filter windows along rows (horizontal) and along columns (vertical). */
export interface BlurWindows {
  alongRows: number;
  alongCols: number;
}

/** The fast pipeline never shrinks a side below this many pixels (smaller gets too coarse for PDQ). */
export const FAST_MIN_SIDE = 192;

/** JPEG decoders scale by 1/2, 1/4 or 1/8 while decoding. */
const DECODER_SHRINKS = [8, 4, 2] as const;

/**
 * The largest decoder shrink that keeps both sides at least minSide; 1 when none does.
 * @example decoderShrink(1600, 1004) // 4 (400x251)
 */
export function decoderShrink(width: number, height: number, minSide = FAST_MIN_SIDE): number {
  return DECODER_SHRINKS.find((s) => width / s >= minSide && height / s >= minSide) ?? 1;
}

/**
 * The windows for an image decoded at width x height from a fullWidth x fullHeight original: the full-size
 * windows scaled down, rounded down, at least 1.
 * @example scaledWindows(1600, 1004, 400, 251) // { alongRows: 3, alongCols: 2 }
 */
export function scaledWindows(fullWidth: number, fullHeight: number, width: number, height: number): BlurWindows {
  return {
    alongRows: Math.max(1, Math.floor((jaroszWindow(fullWidth) * width) / fullWidth)),
    alongCols: Math.max(1, Math.floor((jaroszWindow(fullHeight) * height) / fullHeight)),
  };
}
