/**
 * A PDQ engine: the same hash computed by the JS core or by the WebAssembly SIMD module (wasm/pdq-wasm.ts), bit
 * for bit. Callers pick one (services/pdq-engine-default.ts prefers WebAssembly where the runtime has SIMD) and hash
 * through it; both keep scratch buffers between calls, so one engine serves a stream of video frames.
 */
import { assertPixelGrid, type PixelGrid } from './pixel-grid.js';
import { PdqHasher } from './pdq-hasher.js';
import type { BlurWindows } from './scaled-windows.js';
import { dct64To16, thresholdToHex } from './pdq-dct.js';
import { dihedralHashes } from './pdq-dihedral.js';
import { PDQ_MIN_DIMENSION, PDQ_ZERO_HASH, pdqQuality, type PdqResult, type PdqResultWithDihedral } from './pdq-hash.js';

export const PDQ_ENGINE_NAMES = ['js', 'wasm-simd'] as const;
export type PdqEngineName = (typeof PDQ_ENGINE_NAMES)[number];

/** What PDQ computes on the way to the hash: the 64x64 grid, the 16x16 DCT coefficients and the quality. */
export interface PdqAnalysis {
  grid: Float32Array;
  coefficients: Float32Array;
  quality: number;
}

export interface PdqEngine {
  readonly name: PdqEngineName;
  /** Hash and quality of decoded pixels; all zeros and quality 0 when a side is under 5 pixels. */
  hash(img: PixelGrid, windows?: BlurWindows): PdqResult;
  /** The intermediates, or null when a side is under 5 pixels. */
  analyse(img: PixelGrid, windows?: BlurWindows): PdqAnalysis | null;
  /**
   * Frames of one size (default blur windows) written piece by piece into the engine's own buffer, worked on as
   * they arrive; null or absent where the engine cannot (then hash a copy with `hash`). Same hashes as `hash`.
   */
  frames?(width: number, height: number, channels: number): PdqFrameStream | null;
}

/** See PdqEngine.frames: per frame, buffer(), then written(n) as bytes arrive, then finish(). */
export interface PdqFrameStream {
  /** Where the next frame's packed pixels go (width * height * channels bytes); starts a new frame. */
  buffer(): Uint8Array;
  /** The first `bytes` bytes of the frame are written. */
  written(bytes: number): void;
  /** The frame's PDQ once all of it is written. */
  finish(): PdqResult;
}

/** True when the image is too small for PDQ (checks the buffer size too). */
export function tooSmallForPdq(img: PixelGrid): boolean {
  assertPixelGrid(img);
  return img.width < PDQ_MIN_DIMENSION || img.height < PDQ_MIN_DIMENSION;
}

/**
 * Scratch (8 bytes a pixel) is kept for the last two sizes up to 1280x720: a video's frames (or two videos' side by
 * side) reuse it, while photos of ever-changing sizes hold at most two sets between collections.
 */
const KEPT_SIZES = 2;
const KEPT_MAX_PIXELS = 1280 * 720;

/**
 * The JS core as an engine; keeps the scratch buffers of the last two image sizes (up to 1280x720).
 * @example createJsPdqEngine().hash({ data, width: 480, height: 720, channels: 3 }).hash
 */
export function createJsPdqEngine(): PdqEngine {
  const hashers = new Map<string, PdqHasher>();
  const grid64 = (img: PixelGrid, windows?: BlurWindows): Float32Array => {
    if (img.width * img.height > KEPT_MAX_PIXELS) return new PdqHasher(img.width, img.height).grid64(img.data, img.channels, windows);
    const key = `${img.width}x${img.height}`;
    let hasher = hashers.get(key);
    if (!hasher) {
      if (hashers.size >= KEPT_SIZES) hashers.delete(hashers.keys().next().value!);
      hasher = new PdqHasher(img.width, img.height);
      hashers.set(key, hasher);
    }
    return hasher.grid64(img.data, img.channels, windows);
  };
  return {
    name: 'js',
    hash(img, windows) {
      if (tooSmallForPdq(img)) return { hash: PDQ_ZERO_HASH, quality: 0 };
      const grid = grid64(img, windows);
      return { hash: thresholdToHex(dct64To16(grid)), quality: pdqQuality(grid) };
    },
    analyse(img, windows) {
      if (tooSmallForPdq(img)) return null;
      const grid = grid64(img, windows);
      return { grid, coefficients: dct64To16(grid), quality: pdqQuality(grid) };
    },
  };
}

const ZERO_DIHEDRAL = {
  rot90: PDQ_ZERO_HASH, rot180: PDQ_ZERO_HASH, rot270: PDQ_ZERO_HASH, flipx: PDQ_ZERO_HASH, flipy: PDQ_ZERO_HASH,
  flipplus1: PDQ_ZERO_HASH, flipminus1: PDQ_ZERO_HASH,
};

/**
 * PDQ plus the 7 other dihedral variants through an engine (the variants come from its DCT coefficients).
 * @example hashWithDihedral(engine, img).dihedral.rot90
 */
export function hashWithDihedral(engine: PdqEngine, img: PixelGrid, windows?: BlurWindows): PdqResultWithDihedral {
  const a = engine.analyse(img, windows);
  if (!a) return { hash: PDQ_ZERO_HASH, quality: 0, dihedral: { ...ZERO_DIHEDRAL } };
  return { hash: thresholdToHex(a.coefficients), quality: a.quality, dihedral: dihedralHashes(a.coefficients) };
}
