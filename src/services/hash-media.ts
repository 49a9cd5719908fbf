/**
 * Hashes files and folders with the pool it is given (threads or inline): media are hashed in memory and the
 * results come back in the order the files were found, one at a time, so that a caller can stream them out. Nothing is written.
 */
import type { MediaHashResult } from '../core/content/media-hash.js';
import type { Progress } from '../core/progress.js';
import { isFailedHash } from '../core/content/media-hash.js';
import { countFiles, walkFiles } from '../io/fs/walk-files.js';
import type { HashFileOptions } from './hash-file.js';
import type { HashTask } from './hash-media-worker.js';
import { WorkerPool } from './worker-pool.js';
import { PhotosHerePool } from './hash-photos-here.js';

export type { MediaHashResult } from '../core/content/media-hash.js';

export interface HashPathsOptions extends HashFileOptions {
  /** Progress events (job `hash`, unit files, counts.failed); the first one, done 0, carries the total. */
  onProgress?: (p: Progress) => void;
}

/** The pool that hashes media in memory: made by the face (CLI, server) and handed to the services. */
export interface HashPool {
  /** Files hashed at once. */
  readonly size: number;
  run(task: HashTask): Promise<MediaHashResult>;
  /** Every item's result in input order, a bounded number in flight. */
  map<I>(items: AsyncIterable<I>, toTask: (item: I) => HashTask | { done: MediaHashResult }): AsyncGenerator<MediaHashResult>;
  close(): Promise<void>;
}

export interface HashPoolOptions {
  /**
   * - `threads`: every file in a worker thread (the compiled worker, dist);
   * - `inline`: every file in this thread, videos too (tests on the sources, where there is no compiled worker);
   * - `photos-here`: photos in this thread, their decoding on libuv's threads, videos in worker threads
   *   (hash-photos-here.ts). This thread is then busy 2-3 ms a photo (longer for a large PNG). Measured against
   *   `threads` on the 1600x1004 JPEGs of bench:hash under load: ~0.5-1 ms less CPU a photo and the same peak
   *   memory, within the noise: not the default. UNEXPOSE_HASH_POOL=photos-here turns `threads` into it.
   */
  mode: 'threads' | 'inline' | 'photos-here';
  /** Worker threads (for videos only in `photos-here`, which hashes one photo more than this at once); default: one per core. */
  workers?: number;
}

/** Young generation of a hashing worker in MiB (see PoolOptions.youngGenerationMb); measured by bench:scan. */
const HASH_WORKER_YOUNG_MB = 6;

/** Creates the pool used to hash media files. Close it when done. */
export function createHashPool(opts: HashPoolOptions): HashPool {
  const mode = opts.mode === 'threads' && process.env.UNEXPOSE_HASH_POOL === 'photos-here' ? 'photos-here' : opts.mode;
  if (mode === 'photos-here') return new PhotosHerePool((workers) => createWorkerPool('threads', workers), opts.workers);
  return createWorkerPool(mode, opts.workers);
}

function createWorkerPool(mode: 'threads' | 'inline', workers?: number): WorkerPool<HashTask, MediaHashResult> {
  return new WorkerPool<HashTask, MediaHashResult>({
    workerUrl: new URL('./hash-media-worker.js', import.meta.url),
    mode,
    // Loaded only when hashing inline: a main thread that hands work to threads need not load sharp.
    inline: async (t) => (await import('./hash-file.js')).hashMediaFile(t.path, t.opts, t.bytes),
    size: workers,
    // Pixels and file bytes live outside the JS heap: a small young generation is enough (and keeps a scan flat).
    youngGenerationMb: HASH_WORKER_YOUNG_MB,
    // Bytes read from a zip are moved to the worker, not copied: one copy of a large photo in memory, not two.
    transfer: (t) => (t.bytes && t.bytes.byteOffset === 0 && t.bytes.byteLength === t.bytes.buffer.byteLength && t.bytes.buffer instanceof ArrayBuffer ? [t.bytes.buffer] : []),
  });
}

/**
 * Hashes every file under the given paths.
 * @example for await (const r of hashPaths(['photos/'])) console.log(r.path)
 */
export async function* hashPaths(pool: HashPool, paths: string[], opts: HashPathsOptions = {}): AsyncGenerator<MediaHashResult> {
  const { onProgress, ...fileOpts } = opts;
  const total = onProgress ? await countFiles(paths) : 0;
  const progress = { done: 0, failed: 0 };
  onProgress?.({ job: 'hash', done: 0, total, unit: 'files', counts: { failed: 0 } });
  const results = pool.map(walkFiles(paths), (item) =>
    item.error !== undefined ? { done: { path: item.path, error: item.error } } : { path: item.path, opts: fileOpts });
  for await (const r of results) {
    progress.done++;
    if (isFailedHash(r)) progress.failed++;
    onProgress?.({ job: 'hash', done: progress.done, total, unit: 'files', counts: { failed: progress.failed } });
    yield r;
  }
}
