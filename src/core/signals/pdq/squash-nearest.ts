/**
 * The C++ command-line (and WASM) pre-resize: when a side exceeds 512, the image is squashed to exactly 512x512
 * (aspect not kept) by nearest neighbour: output (x, y) takes source column floor(x*W/512), row floor(y*H/512).
 */
import type { PixelGrid } from './pixel-grid.js';

export const REFERENCE_CLI_SIDE = 512;

/**
 * Squashes to 512x512 when either side is over 512; returns the input unchanged otherwise.
 * @example squashNearestForCli({ data, width: 1600, height: 1004, channels: 3 }).width // 512
 */
export function squashNearestForCli(img: PixelGrid): PixelGrid {
  const { width, height, channels, data } = img;
  const side = REFERENCE_CLI_SIDE;
  if (width <= side && height <= side) return img;
  const out = new Uint8Array(side * side * channels);
  const cols = new Int32Array(side);
  for (let x = 0; x < side; x++) cols[x] = Math.floor((x * width) / side) * channels;
  for (let y = 0; y < side; y++) {
    const rowBase = Math.floor((y * height) / side) * width * channels;
    let o = y * side * channels;
    for (let x = 0; x < side; x++) {
      const p = rowBase + cols[x];
      for (let c = 0; c < channels; c++) out[o++] = data[p + c];
    }
  }
  return { data: out, width: side, height: side, channels };
}
