/**
 * Turns interleaved pixels by a quarter, a half or three quarters clockwise: how a video with a display rotation
 * (its display matrix) is shown. Exact (an index permutation), so a tagged video's turned frames equal the frames
 * of its re-encode with the rotation applied, pixel for pixel before compression.
 */

export type QuarterTurn = 90 | 180 | 270;

/** The clockwise quarter turn of a display rotation in degrees (any multiple of 90, any sign), or 0. */
export function quarterTurn(clockwiseDegrees: number): QuarterTurn | 0 {
  const d = ((Math.round(clockwiseDegrees / 90) * 90) % 360 + 360) % 360;
  return Math.abs(clockwiseDegrees - Math.round(clockwiseDegrees / 90) * 90) > 1 ? 0 : (d as QuarterTurn | 0);
}

/**
 * The pixels turned clockwise; `out` may be given (reused between frames of one video).
 * @example turnPixels(rgb, 320, 240, 3, 90).width // 240
 */
export function turnPixels(data: Uint8Array, width: number, height: number, channels: number, turn: QuarterTurn,
  out?: Uint8Array): { data: Uint8Array; width: number; height: number } {
  const n = width * height * channels;
  const dst = out && out.length >= n ? out : new Uint8Array(n);
  const ow = turn === 180 ? width : height;
  const oh = turn === 180 ? height : width;
  for (let y = 0; y < oh; y++) {
    for (let x = 0; x < ow; x++) {
      // Shown (x, y) comes from stored (sx, sy).
      const sx = turn === 90 ? y : turn === 180 ? width - 1 - x : width - 1 - y;
      const sy = turn === 90 ? height - 1 - x : turn === 180 ? height - 1 - y : x;
      const s = (sy * width + sx) * channels;
      const d = (y * ow + x) * channels;
      for (let c = 0; c < channels; c++) dst[d + c] = data[s + c];
    }
  }
  return { data: dst, width: ow, height: oh };
}
