/**
 * PDQ, Meta's perceptual image hash, bit-exact with the C++ reference core (`pdqHash256FromFloatLuma`):
 * luma, Jarosz blur, 64x64 decimation, quality, 16x16 DCT, median threshold. Full resolution: no resizing here;
 * pipelines that squash or shrink first do so before calling this. Pure: runs in Node, a worker and a browser.
 */
import { assertPixelGrid, type PixelGrid } from './pixel-grid.js';
import { PdqHasher } from './pdq-hasher.js';
import type { BlurWindows } from './scaled-windows.js';
import { dct64To16, thresholdToHex } from './pdq-dct.js';
import { dihedralHashes, type DihedralHashes } from './pdq-dihedral.js';

/** Images with a side under this many pixels hash to all zeros with quality 0 (`MIN_HASHABLE_DIM`). */
export const PDQ_MIN_DIMENSION = 5;
export const PDQ_ZERO_HASH = '0'.repeat(64);

export interface PdqResult {
  /** 64 lower-case hex digits. */
  hash: string;
  /** 0..100; Meta recommends discarding hashes under 50. */
  quality: number;
}

export interface PdqResultWithDihedral extends PdqResult {
  dihedral: DihedralHashes;
}

/** PDQ quality: summed absolute neighbour gradients of the 64x64 grid, scaled to 0..100. */
export function pdqQuality(a: Float32Array): number {
  const fr = Math.fround;
  let sum = 0;
  for (let i = 0; i < 63; i++) {
    for (let j = 0; j < 64; j++) sum += Math.abs(Math.trunc(fr(fr(fr(a[i * 64 + j] - a[(i + 1) * 64 + j]) * 100) / 255)));
  }
  for (let i = 0; i < 64; i++) {
    for (let j = 0; j < 63; j++) sum += Math.abs(Math.trunc(fr(fr(fr(a[i * 64 + j] - a[i * 64 + j + 1]) * 100) / 255)));
  }
  return Math.min(100, Math.floor(sum / 90));
}

/**
 * The blurred, decimated 64x64 luma grid PDQ works on, or null when the image is too small to hash.
 * @example pdqGrid64(img)?.length // 4096
 */
export function pdqGrid64(img: PixelGrid, windows?: BlurWindows): Float32Array | null {
  assertPixelGrid(img);
  const { width: cols, height: rows } = img;
  if (rows < PDQ_MIN_DIMENSION || cols < PDQ_MIN_DIMENSION) return null;
  return new PdqHasher(cols, rows).grid64(img.data, img.channels, windows);
}

/**
 * The 16x16 DCT coefficients and quality of an image, or null when it is too small to hash.
 * `windows` overrides the blur windows (the fast pipeline's scaled windows); omit it for the reference.
 */
export function pdqCoefficients(img: PixelGrid, windows?: BlurWindows): { coefficients: Float32Array; quality: number } | null {
  const grid = pdqGrid64(img, windows);
  if (!grid) return null;
  return { coefficients: dct64To16(grid), quality: pdqQuality(grid) };
}

/**
 * PDQ hash and quality of a 64x64 grid (from PdqHasher.grid64).
 * @example hashPdqGrid(new PdqHasher(480, 720).grid64(rgb, 3))
 */
export function hashPdqGrid(grid: Float32Array): PdqResult {
  return { hash: thresholdToHex(dct64To16(grid)), quality: pdqQuality(grid) };
}

/**
 * Hashes decoded pixels with PDQ at their own resolution.
 * @example hashPdqPixels({ data, width: 640, height: 480, channels: 3 }) // { hash: 'f8f8...', quality: 100 }
 */
export function hashPdqPixels(img: PixelGrid, windows?: BlurWindows): PdqResult {
  const c = pdqCoefficients(img, windows);
  if (!c) return { hash: PDQ_ZERO_HASH, quality: 0 };
  return { hash: thresholdToHex(c.coefficients), quality: c.quality };
}

/**
 * PDQ plus the 7 other dihedral variants (rotations and flips in the DCT domain), sharing one quality.
 * @example hashPdqPixelsWithDihedral(img).dihedral.rot90
 */
export function hashPdqPixelsWithDihedral(img: PixelGrid, windows?: BlurWindows): PdqResultWithDihedral {
  const c = pdqCoefficients(img, windows);
  if (!c) {
    const zero = { rot90: PDQ_ZERO_HASH, rot180: PDQ_ZERO_HASH, rot270: PDQ_ZERO_HASH, flipx: PDQ_ZERO_HASH,
      flipy: PDQ_ZERO_HASH, flipplus1: PDQ_ZERO_HASH, flipminus1: PDQ_ZERO_HASH };
    return { hash: PDQ_ZERO_HASH, quality: 0, dihedral: zero };
  }
  return { hash: thresholdToHex(c.coefficients), quality: c.quality, dihedral: dihedralHashes(c.coefficients) };
}
