/**
 * A JPEG decoded straight to 1/2, 1/4 or 1/8 of its size by libjpeg's DCT scaling, from the bytes in memory, through
 * the libvips that sharp itself loaded (its C API, called with koffi).
 *
 * Why not sharp's resize: sharp lowers the JPEG shrink-on-load by half whenever the shrink is an exact integer
 * ("known libjpeg rounding errors", pipeline.cc), so asking it for 400x251 from a 1600x1004 JPEG decodes 800x502
 * and resamples that: 1.4x the CPU of libjpeg's own 1/4 decode. libvips' jpegload takes the shrink as it is.
 *
 * Only where it is safe and plain: Linux (the library is found in /proc/self/maps, where sharp loaded it), 8-bit
 * grey or RGB samples (a CMYK JPEG goes through sharp, which converts it). Anything else returns undefined and the
 * caller uses sharp. The samples are libvips' as stored (no ICC conversion, no EXIF turn), like the sharp path.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { PixelGrid } from '../../core/signals/pdq/pixel-grid.js';

/** What the header gives: enough to refuse a bomb and choose the shrink before any pixel is decoded. */
export interface JpegHeader {
  width: number;
  height: number;
  bands: number;
  orientation?: number;
}

/** An opened (header-only, lazily decoded) JPEG. */
export interface OpenedJpeg {
  header: JpegHeader;
  /** Decodes it shrunk by `shrink` (1, 2, 4 or 8) on libuv's pool; undefined when its samples are not plain. */
  decode(shrink: number): Promise<PixelGrid | undefined>;
  /** Drops the header image (always call, once). */
  close(): void;
}

type Fn = ((...args: unknown[]) => unknown) & { async: (...args: unknown[]) => void };
interface Binding {
  load: Fn; toMemory: Fn; getInt: Fn; typeOf: Fn; width: Fn; height: Fn; bands: Fn; format: Fn;
  unref: Fn; free: Fn; errorBuffer: Fn; errorClear: Fn; view: (p: unknown, len: number) => ArrayBuffer;
}

const VIPS_FAIL_ON_ERROR = 2;
const VIPS_ACCESS_SEQUENTIAL = 2;
const VIPS_FORMAT_UCHAR = 0;

let binding: Binding | null | undefined;

/** The libvips-cpp shared library that sharp loaded into this process, from /proc/self/maps (Linux only). */
function loadedLibvips(): string | undefined {
  try {
    const maps = readFileSync('/proc/self/maps', 'utf8');
    return /\s(\/\S*\/libvips-cpp\.so[.\d]*)$/m.exec(maps)?.[1];
  } catch {
    return undefined;
  }
}

function bind(): Binding | null {
  if (binding !== undefined) return binding;
  binding = null;
  if (process.env.UNEXPOSE_JPEG_DCT === 'off') return binding;
  const path = loadedLibvips();
  if (!path) return binding;
  try {
    // koffi is CommonJS; required lazily so that a platform without its prebuilt binary still hashes (through sharp).
    const koffi = createRequire(import.meta.url)('koffi') as typeof import('koffi');
    const lib = koffi.load(path);
    koffi.opaque('VipsImage');
    const f = (decl: string) => lib.func(decl) as unknown as Fn;
    binding = {
      load: f('int vips_jpegload_buffer(const void *buf, size_t len, _Out_ VipsImage **out, ...)'),
      toMemory: f('void *vips_image_write_to_memory(VipsImage *in, _Out_ size_t *size)'),
      getInt: f('int vips_image_get_int(VipsImage *image, const char *name, _Out_ int *out)'),
      typeOf: f('size_t vips_image_get_typeof(VipsImage *image, const char *name)'),
      width: f('int vips_image_get_width(VipsImage *image)'),
      height: f('int vips_image_get_height(VipsImage *image)'),
      bands: f('int vips_image_get_bands(VipsImage *image)'),
      format: f('int vips_image_get_format(VipsImage *image)'),
      unref: f('void g_object_unref(void *object)'),
      free: f('void g_free(void *mem)'),
      errorBuffer: f('const char *vips_error_buffer()'),
      errorClear: f('void vips_error_clear()'),
      view: (p, len) => koffi.view(p as never, len),
    };
  } catch {
    binding = null;
  }
  return binding;
}

/** Whether the bytes start like a JPEG (SOI then a marker). */
const looksLikeJpeg = (b: Uint8Array) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;

function vipsError(b: Binding): string {
  const message = String(b.errorBuffer() ?? '').trim();
  b.errorClear();
  return message || 'libvips error';
}

/** Opens a JPEG (header only) with `shrink`; undefined when libvips refuses it (the caller's sharp path says why). */
function openImage(b: Binding, bytes: Uint8Array, shrink: number): unknown {
  const out: unknown[] = [null];
  const rc = b.load(bytes, bytes.length, out, 'str', 'shrink', 'int', shrink, 'str', 'fail_on', 'int', VIPS_FAIL_ON_ERROR,
    'str', 'access', 'int', VIPS_ACCESS_SEQUENTIAL, 'void *', null);
  if (rc !== 0 || !out[0]) {
    vipsError(b);
    return undefined;
  }
  return out[0];
}

/** Decodes an opened image to memory on libuv's pool and copies it into a PixelGrid (the C buffer is freed at once). */
function decodeImage(b: Binding, image: unknown): Promise<PixelGrid | undefined> {
  const bands = b.bands(image) as number;
  if ((bands !== 1 && bands !== 3) || b.format(image) !== VIPS_FORMAT_UCHAR) return Promise.resolve(undefined);
  const width = b.width(image) as number;
  const height = b.height(image) as number;
  const size = [0];
  return new Promise((resolve, reject) => {
    b.toMemory.async(image, size, (err: unknown, p: unknown) => {
      if (err) return reject(err as Error);
      if (!p) return reject(new Error(vipsError(b)));
      try {
        const data = new Uint8Array(b.view(p, size[0])).slice();
        resolve({ data, width, height, channels: bands as PixelGrid['channels'] });
      } finally {
        b.free(p);
      }
    });
  });
}

/**
 * Opens a JPEG's header through libvips; undefined when the bytes are not a JPEG, the binding is not there (not
 * Linux, no koffi binary, sharp built against another libvips) or libvips cannot read the header.
 */
export function openJpeg(bytes: Uint8Array): OpenedJpeg | undefined {
  if (!looksLikeJpeg(bytes)) return undefined;
  const b = bind();
  if (!b) return undefined;
  const image = openImage(b, bytes, 1);
  if (!image) return undefined;
  const orientation = b.typeOf(image, 'orientation') ? [0] : undefined;
  if (orientation && b.getInt(image, 'orientation', orientation) !== 0) vipsError(b);
  const header: JpegHeader = {
    width: b.width(image) as number, height: b.height(image) as number, bands: b.bands(image) as number,
    ...(orientation && orientation[0] >= 1 && orientation[0] <= 8 ? { orientation: orientation[0] } : {}),
  };
  let open = true;
  return {
    header,
    async decode(shrink) {
      if (shrink === 1) return decodeImage(b, image);
      const scaled = openImage(b, bytes, shrink);
      if (!scaled) return undefined;
      try {
        return await decodeImage(b, scaled);
      } finally {
        b.unref(scaled);
      }
    },
    close() {
      if (open) b.unref(image);
      open = false;
    },
  };
}
