/**
 * The in-memory PDQ index over every bank's PDQ entries: built from the store at start (paged reads into typed
 * arrays, then MultiIndexHashing), kept current through BankChangeListener. Entry ids are bank_entry ids; what an
 * id means (bank, threshold, labels) is looked up in the store only for the few ids a query hits.
 */
import { hexToWordsInto } from '../core/index/hash-words.js';
import { HASH_WORDS, queryVariants, type HammingHit } from '../core/index/hamming-index.js';
import { MultiIndexHashing } from '../core/index/multi-index-hashing.js';
import type { BankRepo } from '../io/db/repos/bank-repo.js';
import type { BankChangeListener, ChangedEntry } from './bank-changes.js';

export interface LoadIndexOptions {
  onProgress?: (loaded: number) => void;
}

export class PdqMatchIndex implements BankChangeListener {
  private constructor(private readonly index: MultiIndexHashing, readonly buildMs: number) {}

  /**
   * Reads every PDQ entry and builds the index.
   * @example const index = await PdqMatchIndex.load(new BankRepo(db))
   */
  static async load(repo: BankRepo, opts: LoadIndexOptions = {}): Promise<PdqMatchIndex> {
    const started = performance.now();
    let ids = new Uint32Array(1 << 16);
    let words = new Uint32Array(ids.length * HASH_WORDS);
    let n = 0;
    for await (const page of repo.streamSignals('pdq')) {
      if (n + page.ids.length > ids.length) {
        const cap = Math.max(ids.length * 2, n + page.ids.length);
        const nextIds = new Uint32Array(cap);
        nextIds.set(ids.subarray(0, n));
        const nextWords = new Uint32Array(cap * HASH_WORDS);
        nextWords.set(words.subarray(0, n * HASH_WORDS));
        ids = nextIds;
        words = nextWords;
      }
      for (let i = 0; i < page.ids.length; i++, n++) {
        ids[n] = page.ids[i];
        hexToWordsInto(page.signals[i], words, n * HASH_WORDS);
      }
      opts.onProgress?.(n);
    }
    const index = MultiIndexHashing.build(ids.slice(0, n), words.slice(0, n * HASH_WORDS));
    return new PdqMatchIndex(index, performance.now() - started);
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
      if (e.signalType !== 'pdq') continue;
      hexToWordsInto(e.signal, w, 0);
      this.index.add(e.id, w);
    }
  }

  entriesRemoved(entries: readonly ChangedEntry[]): void {
    const w = new Uint32Array(HASH_WORDS);
    for (const e of entries) {
      if (e.signalType !== 'pdq') continue;
      hexToWordsInto(e.signal, w, 0);
      this.index.remove(e.id, w);
    }
    w.fill(0);
  }
}
