/**
 * Decodes image bytes into a PixelGrid with sharp, as the PDQ reference sees them: stored samples (ICC profile kept,
 * not converted), alpha left for the core to drop, 16-bit scaled to 8-bit, EXIF orientation NOT applied.
 * Refuses decompression bombs from the header, before any pixel is decoded. Never writes anything.
 */
import sharp from 'sharp';
import { UnexposeError } from '../../core/errors.js';
import type { PixelGrid } from '../../core/signals/pdq/pixel-grid.js';
import { raiseMallocThresholds } from '../memory/malloc-threshold.js';
import { openJpeg } from './jpeg-dct-decode.js';

/** Largest image we decode: 100 megapixels (a 48 MP phone photo fits; a 60000x60000 bomb does not). */
export const MAX_IMAGE_PIXELS = 100_000_000;
/**
 * Largest photo file read into memory to be decoded, by its size on disk (from stat, before reading): a 48 MP
 * phone photo is 10-30 MB and a 100 MP PNG rarely over 100 MB.
 */
export const MAX_IMAGE_FILE_BYTES = 128 * 2 ** 20;
/** Longest side we accept, whatever the area. */
export const MAX_IMAGE_SIDE = 30_000;

export interface ImageHeader {
  format: string;
  width: number;
  height: number;
  channels: number;
  /** Pages (frames) for GIF/WebP/TIFF; 1 for still images. */
  pages: number;
  /** EXIF orientation 1..8 when the file has one (the pixels are decoded as stored, not turned). */
  orientation?: number;
}

sharp.cache(false);
sharp.concurrency(1);
// The decoders' scratch buffers stay in the heap from one image to the next (half the CPU of a decode was page faults).
raiseMallocThresholds();

/** Refuses a picture too large to decode safely (a decompression bomb), from its header's size. */
function refuseBomb(width: number, height: number, name: string): void {
  if (width * height > MAX_IMAGE_PIXELS || width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE) {
    throw new UnexposeError('decompression_bomb',
      `${name}: refused, ${width}x${height} pixels is over the limit of ${MAX_IMAGE_PIXELS / 1e6} megapixels ` +
      `(${MAX_IMAGE_SIDE} px a side); possible decompression bomb`);
  }
}

/** Reads the header only and refuses what is not an image or is too large to decode safely. */
export async function readImageHeader(bytes: Uint8Array, name = 'image'): Promise<ImageHeader> {
  let meta: sharp.Metadata;
  try {
    meta = await sharp(bytes, { failOn: 'none', limitInputPixels: false }).metadata(); // header only
  } catch (err) {
    throw new UnexposeError('decode_failed', `${name}: not an image sharp can read (${(err as Error).message})`, { cause: err });
  }
  const { width, height, format } = meta;
  if (!width || !height || !format) throw new UnexposeError('decode_failed', `${name}: image header has no size`);
  refuseBomb(width, height, name);
  return { format, width, height, channels: meta.channels ?? 3, pages: meta.pages ?? 1, ...(meta.orientation ? { orientation: meta.orientation } : {}) };
}

/** Turns sharp's raw output into 8-bit samples; 16-bit samples are scaled (v / 257, rounded), not truncated. */
function to8Bit(data: Buffer, depth: string): Uint8Array {
  if (depth === 'uchar') return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (depth === 'ushort') {
    const src = new Uint16Array(data.buffer, data.byteOffset, data.byteLength / 2);
    const out = new Uint8Array(src.length);
    for (let i = 0; i < src.length; i++) out[i] = Math.round(src[i] / 257);
    return out;
  }
  throw new UnexposeError('decode_failed', `unsupported sample depth ${depth}`);
}

function decodeError(name: string, err: unknown): UnexposeError {
  if (err instanceof UnexposeError) return err;
  return new UnexposeError('decode_failed', `${name}: could not decode image (${(err as Error).message})`, { cause: err });
}

/** Turns a sharp pipeline into a PixelGrid; `limitInputPixels` is a second guard behind the header check. */
async function toPixelGrid(pipeline: sharp.Sharp, name: string): Promise<PixelGrid> {
  try {
    const { data, info } = await pipeline.keepIccProfile().raw().toBuffer({ resolveWithObject: true });
    const depth = (info as { depth?: string }).depth ?? 'uchar';
    return { data: to8Bit(data, depth), width: info.width, height: info.height, channels: info.channels as PixelGrid['channels'] };
  } catch (err) {
    throw decodeError(name, err);
  }
}

function open(bytes: Uint8Array): sharp.Sharp {
  return sharp(bytes, { failOn: 'error', limitInputPixels: MAX_IMAGE_PIXELS, pages: 1 });
}

/** Decodes the first frame at full resolution. */
export async function decodeImageFull(bytes: Uint8Array, name = 'image'): Promise<PixelGrid> {
  return (await decodeImageFullWithHeader(bytes, name)).pixels;
}

/** Decodes the first frame at full resolution (as stored: EXIF orientation not applied) and returns its header too. */
export async function decodeImageFullWithHeader(bytes: Uint8Array, name = 'image'): Promise<{ pixels: PixelGrid; header: ImageHeader }> {
  const header = await readImageHeader(bytes, name);
  return { pixels: await toPixelGrid(open(bytes), name), header };
}

/**
 * Above this many pixels, an image that is not a JPEG (a PNG, WebP, TIFF, GIF...) is shrunk while it is decoded
 * by the same factor a JPEG would be, so that hashing it needs ~250 MB, not ~12 bytes a pixel (1.2 GB for a 1 MB
 * PNG of 100 megapixels). Smaller images are decoded at full size, as before.
 */
export const MAX_FULL_DECODE_PIXELS = 16_000_000;

/**
 * A plain JPEG (8-bit grey or RGB) decoded by libjpeg's DCT scaling alone, through libvips directly (see
 * jpeg-dct-decode.ts); undefined when that path is not there or the JPEG is not plain: the caller then uses sharp.
 */
async function decodeJpegDctScaled(bytes: Uint8Array, factor: (header: ImageHeader) => number,
  name: string): Promise<{ pixels: PixelGrid; header: ImageHeader } | undefined> {
  const jpeg = openJpeg(bytes);
  if (!jpeg) return undefined;
  try {
    const { width, height, bands, orientation } = jpeg.header;
    refuseBomb(width, height, name);
    const header: ImageHeader = { format: 'jpeg', width, height, channels: bands, pages: 1, ...(orientation ? { orientation } : {}) };
    const pixels = await jpeg.decode(factor(header)).catch((err: unknown) => { throw decodeError(name, err); });
    return pixels && { pixels, header };
  } finally {
    jpeg.close();
  }
}

/**
 * Decodes a JPEG shrunk by `factor` (2, 4 or 8) with libjpeg's DCT scaling alone (no resampling after it: a side
 * not divisible by the factor loses its partial edge pixel), through libvips directly where that path is there
 * (jpeg-dct-decode.ts). Elsewhere, and for a CMYK JPEG, through sharp's resize to ceil(side / factor), which
 * decodes at twice that size and resamples (sharp halves an exact-integer shrink-on-load). Other formats are
 * decoded at full size up to MAX_FULL_DECODE_PIXELS and shrunk by libvips (sequentially, line by line) above it.
 * Returns the pixels and the original header.
 */
export async function decodeImageShrunkOnLoad(bytes: Uint8Array, factor: (header: ImageHeader) => number,
  name = 'image'): Promise<{ pixels: PixelGrid; header: ImageHeader }> {
  const scaled = await decodeJpegDctScaled(bytes, factor, name);
  if (scaled) return scaled;
  const header = await readImageHeader(bytes, name);
  const jpeg = header.format === 'jpeg';
  const f = jpeg || header.width * header.height > MAX_FULL_DECODE_PIXELS ? factor(header) : 1;
  if (f <= 1) return { pixels: await toPixelGrid(open(bytes), name), header };
  const source = jpeg ? open(bytes) : sharp(bytes, { failOn: 'error', limitInputPixels: MAX_IMAGE_PIXELS, pages: 1, sequentialRead: true });
  const pipeline = source.resize({
    width: Math.ceil(header.width / f), height: Math.ceil(header.height / f), fit: 'fill', fastShrinkOnLoad: true,
  });
  return { pixels: await toPixelGrid(pipeline, name), header };
}
