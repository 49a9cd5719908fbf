/**
 * A hashing pool that hashes photos in this thread and hands videos to worker threads.
 *
 * A photo's decoding (sharp, libvips) runs on libuv's threadpool whichever thread asks for it, so a few photos in
 * flight keep every core decoding; what is left for this thread is PDQ in WebAssembly, the robust signals and the
 * digests, 2-3 ms a 1600x1004 photo against ~10 ms of decoding; no photo is handed to another thread. Measured by
 * bench:hash against the worker-thread pool (under load): ~0.5-1 ms less CPU a photo, the same peak memory. A video (an
 * FFmpeg process, then PDQ on every sampled frame in JavaScript) goes to a worker thread, made on the first video.
 * The results are the same as any other pool's: the same hashMediaFile does the work.
 */
import { availableParallelism } from 'node:os';
import type { MediaHashResult } from '../core/content/media-hash.js';
import type { HashTask } from './hash-media-worker.js';
import { mapInOrder, WorkerPool } from './worker-pool.js';

export class PhotosHerePool {
  /** Photos in flight at once (read, decoded, hashed): one more than the cores, so that decoding never waits. */
  readonly size: number;
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];
  private videoPool: WorkerPool<HashTask, MediaHashResult> | undefined;

  /** @param videoThreads worker threads for videos (default one per core) */
  constructor(private readonly makeVideoPool: (threads: number) => WorkerPool<HashTask, MediaHashResult>,
    private readonly videoThreads = availableParallelism()) {
    this.size = Math.max(1, videoThreads) + 1;
  }

  private async acquire(): Promise<void> {
    while (this.inFlight >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.inFlight++;
  }

  private release(): void {
    this.inFlight--;
    this.waiting.shift()?.();
  }

  /** Hashes one file: a photo here, a video in a worker thread (its place here is freed while it waits there). */
  async run(task: HashTask): Promise<MediaHashResult> {
    await this.acquire();
    let held = true;
    const toVideoThread = (path: string, opts: HashTask['opts'], bytes?: Uint8Array) => {
      this.release();
      held = false;
      this.videoPool ??= this.makeVideoPool(this.videoThreads);
      return this.videoPool.run({ path, opts, ...(bytes ? { bytes } : {}) });
    };
    try {
      // Loaded on first use: a process that imports the pools without hashing here need not load sharp.
      const { hashMediaFile } = await import('./hash-file.js');
      return await hashMediaFile(task.path, task.opts, task.bytes, toVideoThread);
    } finally {
      if (held) this.release();
    }
  }

  /** Runs every item, results in input order, at most `size * 2` in flight: memory stays flat. */
  map<I>(items: AsyncIterable<I>, toTask: (item: I) => HashTask | { done: MediaHashResult }): AsyncGenerator<MediaHashResult> {
    return mapInOrder(items, toTask, (t) => this.run(t), this.size * 2);
  }

  async close(): Promise<void> {
    await this.videoPool?.close();
  }
}
