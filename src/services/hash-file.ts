/**
 * Hashes one media file from disk, in memory: sniffs its kind from its bytes, then PDQ for a photo or vPDQ + MD5
 * for a video. Never throws for bad input: the result carries the error in words. Runs inside a worker thread.
 * Bytes already in memory (a photo read from a zip export) can be given instead of reading the path.
 */
import { detectMediaKind, MEDIA_SNIFF_BYTES } from '../core/content/detect-media-kind.js';
import { readHeadThenAll } from '../io/fs/read-head.js';
import type { MediaHashResult } from '../core/content/media-hash.js';
import { describeError, UnexposeError } from '../core/errors.js';
import { digestBytes } from '../io/crypto/file-digests.js';
import { hashPhotoBytes } from './hash-photo.js';
import { MAX_IMAGE_FILE_BYTES } from '../io/image/decode-image.js';
import type { PhotoPipeline } from '../core/signals/pdq/photo-pipeline.js';
import { hashVideoBytes, hashVideoFile, type VideoHashOptions } from './hash-video.js';
import type { SignalRole } from '../core/picture/picture-signals.js';

export type VideoOptions = VideoHashOptions;

export interface HashFileOptions {
  pipeline?: PhotoPipeline;
  dihedral?: boolean;
  /** Robust photo signals (region_dct): as a bank keeps them (default), the forms a lookup tries, both, or none. */
  robust?: SignalRole | 'none';
  video?: VideoOptions;
}

async function hashVideo(path: string, opts: VideoOptions): Promise<MediaHashResult> {
  const r = await hashVideoFile(path, opts);
  return { path, ...r };
}

/**
 * Hashes the file at path. `hashVideoElsewhere`, when given, hashes a video instead of this thread (a worker
 * thread: see hash-photos-here.ts); it gets the same path, options and bytes.
 * @example await hashMediaFile('a.jpg') // { path: 'a.jpg', kind: 'photo', pdq: '...', quality: 100, sha256, md5 }
 */
export async function hashMediaFile(path: string, opts: HashFileOptions = {}, inMemory?: Uint8Array,
  hashVideoElsewhere?: (path: string, opts: HashFileOptions, inMemory?: Uint8Array) => Promise<MediaHashResult>): Promise<MediaHashResult> {
  try {
    // One open, one read: the head tells the kind; a photo's whole file is read from the same handle.
    const read = inMemory ? { head: inMemory.subarray(0, MEDIA_SNIFF_BYTES), bytes: inMemory }
      : await readHeadThenAll(path, MEDIA_SNIFF_BYTES, (h) => h.length > 0 && detectMediaKind(h) === 'photo', MAX_IMAGE_FILE_BYTES);
    const head = read.head;
    if (head.length === 0) throw new UnexposeError('unsupported_media', 'empty file (0 bytes)');
    const kind = detectMediaKind(head);
    if (kind === 'video' && hashVideoElsewhere) return await hashVideoElsewhere(path, opts, inMemory);
    // A video in memory (a zip entry) is served to FFmpeg on a loopback URL: never written to disk.
    if (kind === 'video' && inMemory) return { path, ...(await hashVideoBytes(path, inMemory, opts.video ?? {})) };
    if (kind === 'video') return await hashVideo(path, opts.video ?? {});
    if (kind === 'unknown') throw new UnexposeError('unsupported_media', 'not a photo or video (file type not recognised from its bytes)');
    if (inMemory && inMemory.length > MAX_IMAGE_FILE_BYTES) {
      throw new UnexposeError('too_large', `refused: ${inMemory.length} bytes is over the limit of ${MAX_IMAGE_FILE_BYTES / 2 ** 20} MiB for a photo file; not read`);
    }
    const bytes = read.bytes!;
    const robust = opts.robust === 'none' ? undefined : opts.robust ?? 'bank';
    const pdq = await hashPhotoBytes(bytes, opts.pipeline ?? 'fast', { dihedral: opts.dihedral, name: 'image', robust });
    const digests = digestBytes(bytes);
    return {
      path, kind: 'photo', pdq: pdq.hash, quality: pdq.quality, sha256: digests.sha256, md5: digests.md5,
      ...(pdq.dihedral ? { dihedral: pdq.dihedral } : {}),
      ...(pdq.regionDct ? { regionDct: pdq.regionDct } : {}),
      ...(pdq.regionDctQuery ? { regionDctQuery: pdq.regionDctQuery } : {}),
      ...(pdq.regionMag ? { regionMag: pdq.regionMag } : {}),
      ...(pdq.regionMagQuery ? { regionMagQuery: pdq.regionMagQuery } : {}),
      ...(pdq.regionMagShifted ? { regionMagShifted: pdq.regionMagShifted } : {}),
    };
  } catch (err) {
    const code = err instanceof UnexposeError ? err.code : (err as NodeJS.ErrnoException).code;
    return { path, error: describeError(err).replace(/^image: /, ''), ...(code ? { code } : {}) };
  }
}
