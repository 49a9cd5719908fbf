/**
 * A decoded image as the hashing core sees it: 8-bit samples, row-major, interleaved channels.
 * 1 = grey, 2 = grey+alpha, 3 = RGB, 4 = RGBA. Alpha is ignored (dropped, not composited), as the reference does.
 */
export interface PixelGrid {
  data: Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
}

/** Checks that a pixel grid's buffer has the size its header claims. */
export function assertPixelGrid(img: PixelGrid): void {
  const { width, height, channels, data } = img;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 0 || height < 0) {
    throw new RangeError(`pixel grid has an invalid size ${width}x${height}`);
  }
  if (![1, 2, 3, 4].includes(channels)) throw new RangeError(`pixel grid has ${channels} channels; 1 to 4 expected`);
  if (data.length < width * height * channels) {
    throw new RangeError(`pixel grid ${width}x${height}x${channels} needs ${width * height * channels} bytes, has ${data.length}`);
  }
}
