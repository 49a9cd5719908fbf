/**
 * The in-memory index over every bank's entries of one 256-bit Hamming signal type (PDQ): built from the store at
 * start (paged reads into typed arrays, then the index its registry entry names), kept current through BankChangeListener. Entry ids are bank_entry ids; what an
 * id means (bank, threshold, labels) is looked up in the store only for the few ids a query hits.
 */
import { Worker } from 'node:worker_threads';
import { hexToWordsInto } from '../../core/index/hash-words.js';
import { HASH_WORDS, queryVariants, type HammingHit, type HammingIndex } from '../../core/index/hamming-index.js';
import { buildHammingIndex, leanIndexSpec, PLAIN_MULTI_INDEX, type HammingIndexSpec } from '../../core/index/index-spec.js';
import { DEFAULT_SKETCH_WORDS, SketchedMultiIndex } from '../../core/index/sketched-multi-index.js';
import { signalTypes } from '../../core/signals/registry.js';
import { defaultSubstrings, MultiIndexHashing, substringLayout } from '../../core/index/multi-index-hashing.js';
import { collectHashes } from '../../core/index/collect-hashes.js';
import type { IdRange } from '../../core/index/id-ranges.js';
import type { BuiltTable, IndexWorkerTask } from './match-index-worker.js';
import type { BankRepo } from '../../io/db/repos/bank-repo.js';
import type { BankChangeListener, ChangedEntry } from '../bank-changes.js';

export interface LoadIndexOptions {
  onProgress?: (loaded: number) => void;
  /** The signal type to index (default pdq); it must be a hamming-256 type. */
  signalType?: string;
  /** The SQLite file behind the repo: with it, big PDQ stores load on `threads` threads (read and build split). */
  dbPath?: string;
  /** Threads for a parallel load: 1 (default) loads on this thread; more need the compiled worker (dist). */
  threads?: number;
  /** Entries from which a parallel load pays (default 200,000). */
  parallelFrom?: number;
  /** The index to build (default: the signal type's `hammingIndex` in the registry). */
  index?: HammingIndexSpec;
  /** 'lean': that index in the plain multi-index (leanIndexSpec: about half the memory, slower lookups); default 'fast'. */
  indexMemory?: IndexMemory;
}

/** How much memory the indexes may take: 'fast' (the registry's specs) or 'lean' (plain multi-indexes). */
export type IndexMemory = 'fast' | 'lean';

const PARALLEL_FROM = 200_000;
const WORKER_URL = new URL('./match-index-worker.js', import.meta.url);

function runWorker<T>(task: IndexWorkerTask): Promise<T> {
  return new Promise((resolve, reject) => {
    const w = new Worker(WORKER_URL, { workerData: task });
    w.once('message', (m: T) => {
      resolve(m);
      void w.terminate();
    });
    w.once('error', reject);
    w.once('exit', (code) => {
      if (code !== 0) reject(new Error(`index loader thread stopped with code ${code}`));
    });
  });
}

export class HammingMatchIndex implements BankChangeListener {
  /** buildMs: the whole load; readMs: of which reading and parsing the store (the rest builds the tables). */
  private constructor(readonly signalType: string, private readonly index: HammingIndex, readonly buildMs: number, readonly readMs: number) {}

  /**
   * Reads every entry of the type and builds the index.
   * @example const index = await HammingMatchIndex.load(new BankRepo(db))
   */
  static async load(repo: BankRepo, opts: LoadIndexOptions = {}): Promise<HammingMatchIndex> {
    const threads = opts.threads ?? 1;
    const signalType = opts.signalType ?? 'pdq';
    const chosen = opts.index ?? signalTypes.get(signalType)?.hammingIndex ?? PLAIN_MULTI_INDEX;
    const spec = opts.indexMemory === 'lean' ? leanIndexSpec(chosen) : chosen;
    const parallel = threads > 1 && signalType === 'pdq' && !spec.bitOrder;
    if (parallel && opts.dbPath) {
      const range = await repo.entryIdRange();
      if (range.count >= (opts.parallelFrom ?? PARALLEL_FROM)) return HammingMatchIndex.loadParallel(opts.dbPath, range, threads, spec);
    }
    const started = performance.now();
    const { ids, words } = await collectHashes(repo.streamHashPages(signalType), opts.onProgress);
    const readMs = performance.now() - started;
    // A store read here (PostgreSQL: one connection) still builds its tables on the loader threads.
    if (parallel && ids.length >= (opts.parallelFrom ?? PARALLEL_FROM)) {
      const shared = new Uint32Array(new SharedArrayBuffer(words.byteLength));
      shared.set(words);
      words.fill(0);
      const index = await HammingMatchIndex.buildOnThreads(ids, shared, threads, spec);
      return new HammingMatchIndex(signalType, index, performance.now() - started, readMs);
    }
    const index = buildHammingIndex(spec, ids, words);
    return new HammingMatchIndex(signalType, index, performance.now() - started, readMs);
  }

  /** Reads id ranges of a SQLite store on `threads` threads, then builds the tables split over as many threads. */
  private static async loadParallel(dbPath: string, range: { min: number; max: number }, threads: number, spec: HammingIndexSpec): Promise<HammingMatchIndex> {
    const started = performance.now();
    const step = Math.ceil((range.max - range.min + 1) / threads);
    const reads = await Promise.all(Array.from({ length: threads }, (_, i) => runWorker<{ ids: Uint32Array; words: Uint32Array }>({
      mode: 'read', dbPath, fromId: range.min + i * step, toId: Math.min(range.max, range.min + (i + 1) * step - 1),
    })));
    const n = reads.reduce((a, r) => a + r.ids.length, 0);
    const ids = new Uint32Array(n);
    const words = new Uint32Array(new SharedArrayBuffer(Math.max(1, n * HASH_WORDS) * 4));
    let at = 0;
    for (const r of reads) {
      ids.set(r.ids, at);
      words.set(r.words, at * HASH_WORDS);
      at += r.ids.length;
      r.words.fill(0);
    }
    const readMs = performance.now() - started;
    const index = await HammingMatchIndex.buildOnThreads(ids, words, threads, spec);
    return new HammingMatchIndex('pdq', index, performance.now() - started, readMs);
  }

  /** Builds the index's tables over shared words, split over `threads` loader threads. */
  private static async buildOnThreads(ids: Uint32Array, words: Uint32Array, threads: number, spec: HammingIndexSpec): Promise<HammingIndex> {
    const n = ids.length;
    const m = defaultSubstrings(n, spec.bucketBits);
    const { lens } = substringLayout(m);
    const share: number[][] = Array.from({ length: threads }, () => []);
    lens.forEach((_, t) => share[t % threads].push(t));
    const sketchWords = spec.kind === 'multi-index-sketched' ? DEFAULT_SKETCH_WORDS : undefined;
    const built = (await Promise.all(share.map((tables) =>
      runWorker<BuiltTable[]>({ mode: 'tables', words, n, substrings: m, tables, sketchWords })))).flat();
    built.sort((a, b) => a.t - b.t);
    const stored = { substrings: m, count: n, ids, words, dead: new Uint8Array((n + 7) >>> 3), offsets: built.map((b) => b.offsets) };
    const options = { guaranteedRadius: spec.guaranteedRadius, bucketBits: spec.bucketBits };
    return sketchWords === undefined
      ? MultiIndexHashing.fromParts({ ...stored, slots: built.map((b) => b.slots!) }, options)
      : SketchedMultiIndex.fromParts({ ...stored, stride: sketchWords + 1, entries: built.map((b) => b.entries!) }, options);
  }

  get size(): number {
    return this.index.size;
  }

  get bytes(): number {
    return this.index.bytesUsed();
  }

  /** Entries within the radius of any of the query's variants (the hash itself, and maybe its 7 dihedral forms). */
  query(variants: readonly Uint32Array[], radius: number): HammingHit[] {
    return variants.length === 1 ? this.index.query(variants[0], radius) : queryVariants(this.index, [...variants], radius);
  }

  entriesAdded(entries: readonly ChangedEntry[]): void {
    const w = new Uint32Array(HASH_WORDS);
    for (const e of entries) {
      if (e.signalType !== this.signalType) continue;
      hexToWordsInto(e.signal, w, 0);
      this.index.add(e.id, w);
    }
  }

  /** Removes the entries with ids in the sorted, merged ranges (the change log names removals by id only). */
  removeIdRanges(ranges: readonly IdRange[]): number {
    return this.index.removeIdRanges(ranges);
  }

  entriesRemoved(entries: readonly ChangedEntry[]): void {
    const w = new Uint32Array(HASH_WORDS);
    for (const e of entries) {
      if (e.signalType !== this.signalType) continue;
      hexToWordsInto(e.signal, w, 0);
      this.index.remove(e.id, w);
    }
    w.fill(0);
  }
}
