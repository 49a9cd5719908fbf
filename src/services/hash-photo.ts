/**
 * Hashes one photo's bytes with PDQ through one of three pipelines, in memory only:
 * - `reference`: the C++ CLI / WASM pipeline (nearest-neighbour squash to 512x512 when a side exceeds 512);
 * - `full`: the full-resolution pipeline of Java, python-threatexchange and HMA;
 * - `fast` (default): a JPEG decoded already shrunk (DCT scaling) and blurred with scaled windows, so that a phone
 *   photo costs little (see core/signals/pdq/scaled-windows.ts).
 */
import type { PdqResult } from '../core/signals/pdq/pdq-hash.js';
import { hashWithDihedral, type PdqEngine } from '../core/signals/pdq/pdq-engine.js';
import { pdqEngine } from './pdq-engine-default.js';
import type { DihedralHashes } from '../core/signals/pdq/pdq-dihedral.js';
import { squashNearestForCli } from '../core/signals/pdq/squash-nearest.js';
import type { PixelGrid } from '../core/signals/pdq/pixel-grid.js';
import type { PhotoPipeline } from '../core/signals/pdq/photo-pipeline.js';
import { decodeImageFull, decodeImageFullWithHeader, decodeImageShrunkOnLoad, MAX_FULL_DECODE_PIXELS, type ImageHeader } from '../io/image/decode-image.js';
import { decoderShrink, scaledWindows, type BlurWindows } from '../core/signals/pdq/scaled-windows.js';
import { robustPhotoSignals, type SignalRole } from '../core/picture/picture-signals.js';
import type { PictureKernels } from '../core/picture/picture-kernels.js';
import { pictureKernels } from './picture-kernels-default.js';
import type { RegionDctValue } from '../core/content/media-hash.js';

export { PHOTO_PIPELINES, type PhotoPipeline } from '../core/signals/pdq/photo-pipeline.js';


export interface PhotoHash extends PdqResult {
  dihedral?: DihedralHashes;
  /** region_dct values, when asked for (robust: 'bank', 'query' or 'both'). */
  regionDct?: RegionDctValue[];
  regionDctQuery?: RegionDctValue[];
  /** region_mag values, likewise. */
  regionMag?: RegionDctValue[];
  regionMagQuery?: RegionDctValue[];
  regionMagShifted?: RegionDctValue[];
}

/** Decodes for a pipeline: the pixels PDQ will see, and the blur windows to use (undefined: the reference's). */
export async function decodeForPipeline(bytes: Uint8Array, pipeline: PhotoPipeline, name?: string): Promise<{ pixels: PixelGrid; windows?: BlurWindows }> {
  switch (pipeline) {
    case 'reference':
      return { pixels: squashNearestForCli(await decodeImageFull(bytes, name)) };
    case 'full':
      return { pixels: await decodeImageFull(bytes, name) };
    case 'fast':
      return fastDecode(bytes, name);
  }
}

async function fastDecode(bytes: Uint8Array, name?: string): Promise<{ pixels: PixelGrid; windows?: BlurWindows; header: ImageHeader }> {
  const { pixels, header } = await decodeImageShrunkOnLoad(bytes, (h) => decoderShrink(h.width, h.height), name);
  return { pixels, windows: scaledWindows(header.width, header.height, pixels.width, pixels.height), header };
}

/**
 * PDQ of a photo given as encoded bytes.
 * @example await hashPhotoBytes(jpegBytes, 'fast') // { hash: 'f8f8...', quality: 100 }
 */
export async function hashPhotoBytes(bytes: Uint8Array, pipeline: PhotoPipeline = 'fast',
  opts: { dihedral?: boolean; name?: string; robust?: SignalRole; engine?: PdqEngine; kernels?: PictureKernels } = {}): Promise<PhotoHash> {
  const fast = pipeline === 'fast' ? await fastDecode(bytes, opts.name) : undefined;
  const full = pipeline === 'full' ? await decodeImageFullWithHeader(bytes, opts.name) : undefined;
  const { pixels, windows }: { pixels: PixelGrid; windows?: BlurWindows } = fast ?? full ?? await decodeForPipeline(bytes, pipeline, opts.name);
  const engine = opts.engine ?? await pdqEngine();
  const pdq: PhotoHash = opts.dihedral ? hashWithDihedral(engine, pixels, windows) : engine.hash(pixels, windows);
  if (!opts.robust) return pdq;
  // The fast pipeline (the default: scans, match, the API) keeps its own shrink-on-load decode for the robust
  // signals too: a second, full decode made hashing about 3x slower. Its values are within a few bits of a
  // browser's (which decodes at full size); `--pipeline full` gives exactly the browser's values.
  // Otherwise a decode already made at the robust signals' size is reused.
  const robustInput = fast ?? [full].find((d) => d && sameSize(d.pixels, robustSize(d.header))) ?? await robustDecode(bytes, opts.name);
  const kernels = opts.kernels ?? await pictureKernels();
  return { ...pdq, ...robustPhotoSignals(robustInput.pixels, robustInput.header.orientation, opts.robust, kernels) };
}

/** Decoder shrink of the robust signals' input: none up to MAX_FULL_DECODE_PIXELS (a browser decodes at full size too). */
function robustShrink(h: ImageHeader): number {
  return h.width * h.height > MAX_FULL_DECODE_PIXELS ? decoderShrink(h.width, h.height) : 1;
}

function robustSize(h: ImageHeader): { width: number; height: number } {
  const f = robustShrink(h);
  return { width: Math.ceil(h.width / f), height: Math.ceil(h.height / f) };
}

const sameSize = (a: { width: number; height: number }, b: { width: number; height: number }) => a.width === b.width && a.height === b.height;

/**
 * The pixels the robust signals start from: the full decode as stored (what a browser's decoder gives too, so the
 * victim's page computes the same values from the same file; the core turns it upright by the EXIF orientation),
 * up to MAX_FULL_DECODE_PIXELS; a larger picture is shrunk while decoded (bounded memory), as the fast pipeline does.
 */
async function robustDecode(bytes: Uint8Array, name?: string): Promise<{ pixels: PixelGrid; header: ImageHeader }> {
  return decodeImageShrunkOnLoad(bytes, robustShrink, name);
}
