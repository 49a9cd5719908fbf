/**
 * Hashes one photo's bytes with PDQ through one of three pipelines, in memory only:
 * - `reference`: the C++ CLI / WASM pipeline (nearest-neighbour squash to 512x512 when a side exceeds 512);
 * - `full`: the full-resolution pipeline of Java, python-threatexchange and HMA;
 * - `fast` (default): decode already shrunk (shrink-on-load) so that a phone photo costs little.
 */
import { hashPdqPixels, hashPdqPixelsWithDihedral, type PdqResult } from '../core/signals/pdq/pdq-hash.js';
import type { DihedralHashes } from '../core/signals/pdq/pdq-dihedral.js';
import { squashNearestForCli } from '../core/signals/pdq/squash-nearest.js';
import type { PixelGrid } from '../core/signals/pdq/pixel-grid.js';
import { decodeImageFull, decodeImageResized } from '../io/image/decode-image.js';
import { windowMatchedSide } from '../core/signals/pdq/window-matched-size.js';

export const PHOTO_PIPELINES = ['fast', 'reference', 'full'] as const;
export type PhotoPipeline = (typeof PHOTO_PIPELINES)[number];


export interface PhotoHash extends PdqResult {
  dihedral?: DihedralHashes;
}

/** Decodes for a pipeline: the pixels PDQ will see. */
export async function decodeForPipeline(bytes: Uint8Array, pipeline: PhotoPipeline, name?: string): Promise<PixelGrid> {
  switch (pipeline) {
    case 'reference':
      return squashNearestForCli(await decodeImageFull(bytes, name));
    case 'full':
      return decodeImageFull(bytes, name);
    case 'fast':
      return decodeImageResized(bytes, (h) => ({ width: windowMatchedSide(h.width), height: windowMatchedSide(h.height) }), name);
  }
}

/**
 * PDQ of a photo given as encoded bytes.
 * @example await hashPhotoBytes(jpegBytes, 'fast') // { hash: 'f8f8...', quality: 100 }
 */
export async function hashPhotoBytes(bytes: Uint8Array, pipeline: PhotoPipeline = 'fast',
  opts: { dihedral?: boolean; name?: string } = {}): Promise<PhotoHash> {
  const pixels = await decodeForPipeline(bytes, pipeline, opts.name);
  return opts.dihedral ? hashPdqPixelsWithDihedral(pixels) : hashPdqPixels(pixels);
}
