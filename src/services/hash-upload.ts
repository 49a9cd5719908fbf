/**
 * Hashes one uploaded photo or video as it streams in, storing nothing: the upload is gathered in memory (bounded
 * by the route's limit) and hashed in a worker thread — a photo by PDQ, MD5 and SHA-256, a video by vPDQ, MD5 and
 * SHA-256, FFmpeg reading it from a loopback-only URL. Nothing is written to disk. The kind comes from the bytes.
 */
import { detectMediaKind, MEDIA_SNIFF_BYTES } from '../core/content/detect-media-kind.js';
import { isFailedHash, type MediaHashResult } from '../core/content/media-hash.js';
import { UnexposeError, type ErrorCode } from '../core/errors.js';
import { createHashPool, type HashPool } from './hash-media.js';

export interface UploadSignal {
  signalType: 'pdq' | 'md5' | 'sha256' | 'vpdq';
  signal: string;
}

export interface UploadHash {
  kind: 'photo' | 'video';
  signals: UploadSignal[];
  /** PDQ quality of a photo (0-100). */
  quality?: number;
  durationSeconds?: number;
}

/** A worker pool for uploads, made on first use and closed with the server. */
export class UploadHasher {
  private pool: HashPool | undefined;

  constructor(private readonly mode: 'threads' | 'inline' = 'threads', private readonly workers = 1) {}

  private get run(): HashPool {
    this.pool ??= createHashPool({ mode: this.mode, workers: this.workers });
    return this.pool;
  }

  /**
   * Hashes the bytes of one upload.
   * @example await hasher.hash(request.file().file) // { kind: 'photo', signals: [{ signalType: 'pdq', … }], quality: 100 }
   */
  async hash(source: AsyncIterable<Uint8Array>): Promise<UploadHash> {
    const it = source[Symbol.asyncIterator]();
    const head: Uint8Array[] = [];
    let headBytes = 0;
    while (headBytes < MEDIA_SNIFF_BYTES) {
      const n = await it.next();
      if (n.done) break;
      head.push(n.value);
      headBytes += n.value.length;
    }
    if (headBytes === 0) throw new UnexposeError('invalid_input', 'the upload is empty (0 bytes)');
    const kind = detectMediaKind(Buffer.concat(head).subarray(0, MEDIA_SNIFF_BYTES));
    const rest = { [Symbol.asyncIterator]: () => it };
    if (kind === 'unknown') {
      for await (const _ of rest) void _; // drain, so the client gets its answer
      throw new UnexposeError('unsupported_media', 'not a photo or video (file type not recognised from its bytes)');
    }
    // Photo or video, the upload is gathered in memory (bounded by the route's upload limit) and hashed from there:
    // a video is served to FFmpeg on a loopback-only URL, so no byte of it touches the disk.
    const chunks = [...head];
    for await (const c of rest) chunks.push(c);
    const bytes = Buffer.concat(chunks);
    chunks.length = 0;
    return toUploadHash(await this.run.run({ path: 'upload', opts: {}, bytes }));
  }

  async close(): Promise<void> {
    await this.pool?.close();
  }
}

function toUploadHash(r: MediaHashResult): UploadHash {
  if (isFailedHash(r)) {
    const code = (['unsupported_media', 'decode_failed', 'decompression_bomb', 'tool_missing'] as const).find((c) => c === r.code) ?? 'decode_failed';
    throw new UnexposeError(code as ErrorCode, r.error);
  }
  const exact: UploadSignal[] = [{ signalType: 'md5', signal: r.md5 }, { signalType: 'sha256', signal: r.sha256 }];
  if (r.kind === 'photo') return { kind: 'photo', signals: [{ signalType: 'pdq', signal: r.pdq }, ...exact], quality: r.quality };
  const frames = r.vpdq.map((f) => ({ pdq: f.pdq, quality: f.quality, timestamp: f.timestamp }));
  return { kind: 'video', signals: [{ signalType: 'vpdq', signal: JSON.stringify(frames) }, ...exact], durationSeconds: r.durationSeconds };
}
