/**
 * A small pool of worker threads that run one kind of task, with results handed back in submission order.
 * Threads or inline is the caller's explicit choice: `inline` runs tasks in this thread through the same handler
 * (tests on the TypeScript sources, where there is no compiled worker), so behaviour is the same without the
 * parallelism; `threads` needs the compiled worker script and says so when it is missing.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

export interface TaskMessage<T> { id: number; task: T }
export interface ResultMessage<R> { id: number; result: R }

export interface PoolOptions<T, R> {
  /** URL of the compiled worker script (it must call serveTasks with the same handler). */
  workerUrl: URL;
  mode: 'threads' | 'inline';
  /** The handler, used in this thread in `inline` mode. */
  inline: (task: T) => Promise<R>;
  size?: number;
  /** Buffers of a task to move to the worker instead of copying them (they become unusable here). */
  transfer?: (task: T) => ArrayBuffer[];
  /**
   * Cap on each worker's young generation in MiB (V8 lets it grow to 48 MiB under a high allocation rate): for
   * workers whose big allocations are outside the JS heap (pixels, file bytes), a small one keeps memory flat.
   */
  youngGenerationMb?: number;
}

interface Running<R> { id: number; resolve: (r: R) => void; reject: (e: Error) => void }

export class WorkerPool<T, R> {
  private readonly workers = new Set<Worker>();
  private readonly idle: Worker[] = [];
  private readonly waiting: Array<() => void> = [];
  /** The task each busy worker is running. */
  private readonly running = new Map<Worker, Running<R>>();
  private nextId = 0;
  private closing = false;
  private readonly inline: ((task: T) => Promise<R>) | null;
  private readonly workerUrl: URL;
  private readonly transfer?: (task: T) => ArrayBuffer[];
  private readonly youngGenerationMb?: number;
  readonly size: number;

  constructor(opts: PoolOptions<T, R>) {
    this.size = Math.max(1, opts.size ?? availableParallelism());
    this.workerUrl = opts.workerUrl;
    this.transfer = opts.transfer;
    this.youngGenerationMb = opts.youngGenerationMb;
    const useWorkers = opts.mode === 'threads';
    if (useWorkers && !existsSync(fileURLToPath(opts.workerUrl))) {
      throw new Error(`worker script ${fileURLToPath(opts.workerUrl)} is missing: build first (npm run build) or use the inline mode`);
    }
    this.inline = useWorkers ? null : opts.inline;
    if (useWorkers) for (let i = 0; i < this.size; i++) this.release(this.spawn());
  }

  /** Starts a worker; if it dies (a crash in a native decoder, say), its task fails and a new worker takes its place. */
  private spawn(): Worker {
    const w = new Worker(this.workerUrl, this.youngGenerationMb ? { resourceLimits: { maxYoungGenerationSizeMb: this.youngGenerationMb } } : {});
    w.on('message', (m: ResultMessage<R>) => {
      const task = this.running.get(w);
      this.running.delete(w);
      this.release(w);
      task?.resolve(m.result);
    });
    const die = (err: Error) => {
      if (!this.workers.delete(w)) return;
      const task = this.running.get(w);
      this.running.delete(w);
      task?.reject(err);
      if (!this.closing) this.release(this.spawn());
    };
    w.on('error', die);
    w.on('exit', (code) => die(new Error(`worker thread stopped (exit code ${code})`)));
    w.unref();
    this.workers.add(w);
    return w;
  }

  private release(w: Worker): void {
    this.idle.push(w);
    this.waiting.shift()?.();
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
        this.running.set(w, { id, resolve, reject });
        w.postMessage({ id, task } satisfies TaskMessage<T>, this.transfer?.(task) ?? []);
      });
    } finally {
      w.unref();
    }
  }

  /**
   * Runs every item through the pool, at most `size * 2` in flight, yielding results in input order.
   * Memory stays flat however many items there are.
   */
  map<I>(items: AsyncIterable<I>, toTask: (item: I) => T | { done: R }): AsyncGenerator<R> {
    return mapInOrder(items, toTask, (t) => this.run(t), this.size * 2);
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all([...this.workers].map((w) => w.terminate()));
  }
}

/**
 * Runs every item's task with `run`, at most `limit` in flight, yielding results in input order; an item may
 * carry its result already (`{ done }`). Memory stays flat however many items there are.
 */
export async function* mapInOrder<I, T, R>(items: AsyncIterable<I>, toTask: (item: I) => T | { done: R },
  run: (task: T) => Promise<R>, limit: number): AsyncGenerator<R> {
  const window: Promise<R>[] = [];
  for await (const item of items) {
    const t = toTask(item);
    window.push(isDone(t) ? Promise.resolve(t.done) : run(t));
    if (window.length >= limit) yield await window.shift()!;
  }
  while (window.length) yield await window.shift()!;
}

function isDone<R>(t: unknown): t is { done: R } {
  return typeof t === 'object' && t !== null && 'done' in t;
}
