/**
 * A small pool of worker threads that run one kind of task, with results handed back in submission order.
 * When the compiled worker file is absent (running TypeScript sources under a test runner) tasks run in this
 * thread instead, through the same handler, so behaviour is the same and only parallelism is lost.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * Heap limits for each worker: a small young generation makes V8 collect the short-lived buffers of hashing
 * (decoded pixels, float grids) sooner, which keeps a long scan's resident memory flat.
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 256 };

export interface TaskMessage<T> { id: number; task: T }
export interface ResultMessage<R> { id: number; result: R }

export interface PoolOptions<T, R> {
  /** URL of the compiled worker script (it must call serveTasks with the same handler). */
  workerUrl: URL;
  /** The handler, used in this thread when there is no worker script. */
  inline: (task: T) => Promise<R>;
  size?: number;
}

export class WorkerPool<T, R> {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly waiting: Array<() => void> = [];
  private readonly pending = new Map<number, { resolve: (r: R) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private readonly inline: ((task: T) => Promise<R>) | null;
  readonly size: number;

  constructor(opts: PoolOptions<T, R>) {
    this.size = Math.max(1, opts.size ?? availableParallelism());
    const useWorkers = existsSync(fileURLToPath(opts.workerUrl));
    this.inline = useWorkers ? null : opts.inline;
    if (!useWorkers) return;
    for (let i = 0; i < this.size; i++) {
      const w = new Worker(opts.workerUrl, { resourceLimits: WORKER_LIMITS });
      w.on('message', (m: ResultMessage<R>) => {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        this.release(w);
        p?.resolve(m.result);
      });
      w.on('error', (err) => {
        for (const p of this.pending.values()) p.reject(err);
        this.pending.clear();
      });
      w.unref();
      this.workers.push(w);
      this.idle.push(w);
    }
  }

  private release(w: Worker): void {
    const next = this.waiting.shift();
    this.idle.push(w);
    next?.();
  }

  private async acquire(): Promise<Worker> {
    while (this.idle.length === 0) await new Promise<void>((resolve) => this.waiting.push(resolve));
    return this.idle.pop()!;
  }

  /** Runs one task on the next free worker. */
  async run(task: T): Promise<R> {
    if (this.inline) return this.inline(task);
    const w = await this.acquire();
    w.ref();
    const id = this.nextId++;
    try {
      return await new Promise<R>((resolve, reject) => {
        this.pending.set(id, { resolve, reject });
        w.postMessage({ id, task } satisfies TaskMessage<T>);
      });
    } finally {
      w.unref();
    }
  }

  /**
   * Runs every item through the pool, at most `size * 2` in flight, yielding results in input order.
   * Memory stays flat however many items there are.
   */
  async *map<I>(items: AsyncIterable<I>, toTask: (item: I) => T | { done: R }): AsyncGenerator<R> {
    const window: Promise<R>[] = [];
    const limit = this.size * 2;
    for await (const item of items) {
      const t = toTask(item);
      window.push(isDone(t) ? Promise.resolve(t.done) : this.run(t));
      if (window.length >= limit) yield await window.shift()!;
    }
    while (window.length) yield await window.shift()!;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

function isDone<R>(t: unknown): t is { done: R } {
  return typeof t === 'object' && t !== null && 'done' in t;
}
