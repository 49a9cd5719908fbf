/**
 * Hashes files and folders with every core: a worker pool hashes media in memory and the results come back in
 * the order the files were found, one at a time, so that a caller can stream them out. Nothing is written.
 */
import type { MediaHashResult } from '../core/content/media-hash.js';
import { isFailedHash } from '../core/content/media-hash.js';
import { countFiles, walkFiles } from '../io/fs/walk-files.js';
import type { HashFileOptions } from './hash-file.js';
import type { HashTask } from './hash-media-worker.js';
import { WorkerPool } from './worker-pool.js';

export type { MediaHashResult } from '../core/content/media-hash.js';

export interface HashProgress {
  done: number;
  failed: number;
  total: number;
}

export interface HashPathsOptions extends HashFileOptions {
  /** Worker threads; default: one per core. */
  workers?: number;
  onStart?: (total: number) => void;
  onProgress?: (p: HashProgress) => void;
}

/** Creates the pool used to hash media files. Close it when done. */
export function createHashPool(workers?: number): WorkerPool<HashTask, MediaHashResult> {
  return new WorkerPool<HashTask, MediaHashResult>({
    workerUrl: new URL('./hash-media-worker.js', import.meta.url),
    // Loaded only when there is no worker script (tests on the sources): the main thread need not load sharp.
    inline: async (t) => (await import('./hash-file.js')).hashMediaFile(t.path, t.opts, t.bytes),
    size: workers,
    // Bytes read from a zip are moved to the worker, not copied: one copy of a large photo in memory, not two.
    transfer: (t) => (t.bytes && t.bytes.byteOffset === 0 && t.bytes.byteLength === t.bytes.buffer.byteLength && t.bytes.buffer instanceof ArrayBuffer ? [t.bytes.buffer] : []),
  });
}

/**
 * Hashes every file under the given paths.
 * @example for await (const r of hashPaths(['photos/'])) console.log(r.path)
 */
export async function* hashPaths(paths: string[], opts: HashPathsOptions = {}): AsyncGenerator<MediaHashResult> {
  const { workers, onStart, onProgress, ...fileOpts } = opts;
  const total = onStart || onProgress ? await countFiles(paths) : 0;
  onStart?.(total);
  const pool = createHashPool(workers);
  const progress: HashProgress = { done: 0, failed: 0, total };
  try {
    const results = pool.map(walkFiles(paths), (item) =>
      item.error !== undefined ? { done: { path: item.path, error: item.error } } : { path: item.path, opts: fileOpts });
    for await (const r of results) {
      progress.done++;
      if (isFailedHash(r)) progress.failed++;
      onProgress?.({ ...progress });
      yield r;
    }
  } finally {
    await pool.close();
  }
}
