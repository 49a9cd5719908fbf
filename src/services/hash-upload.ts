/**
 * Hashes one uploaded photo or video as it streams in, storing nothing: a photo is gathered in memory and hashed
 * in a worker thread (PDQ, MD5, SHA-256); a video goes to a private folder (0700, file 0600) only because FFmpeg
 * reads files, is hashed (vPDQ, MD5, SHA-256) and deleted at once, whatever happens. The kind comes from the bytes.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { detectMediaKind, MEDIA_SNIFF_BYTES } from '../core/content/detect-media-kind.js';
import { isFailedHash, type MediaHashResult } from '../core/content/media-hash.js';
import { UnexposeError, type ErrorCode } from '../core/errors.js';
import { createHashPool } from './hash-media.js';
import type { HashTask } from './hash-media-worker.js';
import type { WorkerPool } from './worker-pool.js';

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
  private pool: WorkerPool<HashTask, MediaHashResult> | undefined;

  constructor(private readonly mode: 'threads' | 'inline' = 'threads', private readonly workers = 1) {}

  private get run(): WorkerPool<HashTask, MediaHashResult> {
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
    if (kind === 'photo') {
      const chunks = [...head];
      for await (const c of rest) chunks.push(c);
      const bytes = Buffer.concat(chunks);
      chunks.length = 0;
      return toUploadHash(await this.run.run({ path: 'upload', opts: {}, bytes }));
    }
    const dir = await mkdtemp(join(tmpdir(), 'unexpose-upload-video-'));
    try {
      const file = join(dir, 'video');
      await pipeline(Readable.from((async function* () {
        yield* head;
        yield* rest;
      })()), createWriteStream(file, { mode: 0o600 }));
      return toUploadHash(await this.run.run({ path: file, opts: {} }), file);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  async close(): Promise<void> {
    await this.pool?.close();
  }
}

function toUploadHash(r: MediaHashResult, tempPath?: string): UploadHash {
  if (isFailedHash(r)) {
    const code = (['unsupported_media', 'decode_failed', 'decompression_bomb', 'tool_missing'] as const).find((c) => c === r.code) ?? 'decode_failed';
    // The temporary file's path is nobody's business: the client sent bytes, not a file.
    throw new UnexposeError(code as ErrorCode, tempPath ? r.error.split(tempPath).join('the upload') : r.error);
  }
  const exact: UploadSignal[] = [{ signalType: 'md5', signal: r.md5 }, { signalType: 'sha256', signal: r.sha256 }];
  if (r.kind === 'photo') return { kind: 'photo', signals: [{ signalType: 'pdq', signal: r.pdq }, ...exact], quality: r.quality };
  const frames = r.vpdq.map((f) => ({ pdq: f.pdq, quality: f.quality, timestamp: f.timestamp }));
  return { kind: 'video', signals: [{ signalType: 'vpdq', signal: JSON.stringify(frames) }, ...exact], durationSeconds: r.durationSeconds };
}
