/**
 * The match index a server keeps: loaded once in the background (queries get "not ready" until then), kept
 * current by the bank services' change listeners in this process, and by a change feed from other processes on
 * the same PostgreSQL (see bank-change-feed.ts). Changes that arrive while it loads are applied after the load.
 */
import { HASH_WORDS } from '../core/index/hamming-index.js';
import { hexToWordsInto } from '../core/index/hash-words.js';
import type { BankRepo } from '../io/db/repos/bank-repo.js';
import type { BankChangeListener, ChangedEntry } from './bank-changes.js';
import { PdqMatchIndex } from './match-index.js';

export type IndexState = 'loading' | 'ready' | 'failed';

export class LiveIndex implements BankChangeListener {
  state: IndexState = 'loading';
  /** When the index was last known to be current (ms since epoch); a feed that drops stops refreshing it. */
  refreshedAt = 0;
  loadError: string | undefined;
  private index: PdqMatchIndex | undefined;
  private pending: { added: boolean; entries: readonly ChangedEntry[] }[] = [];

  constructor(private readonly repo: BankRepo, private readonly opts: { dbPath?: string } = {}) {}

  /** Loads (or reloads) from the store; the old index keeps answering until the new one is ready. */
  async load(): Promise<void> {
    try {
      const fresh = await PdqMatchIndex.load(this.repo, { dbPath: this.opts.dbPath });
      const pending = this.pending;
      this.pending = [];
      this.index = fresh;
      // A change may be in the load or not: removing before adding makes applying it again harmless.
      for (const p of pending) {
        this.entriesRemoved(p.entries);
        if (p.added) this.entriesAdded(p.entries);
      }
      this.state = 'ready';
      this.refreshedAt = Date.now();
    } catch (err) {
      if (!this.index) this.state = 'failed';
      this.loadError = err instanceof Error ? err.message : String(err);
      throw err;
    }
  }

  /** The index, or undefined while the first load runs. */
  get current(): PdqMatchIndex | undefined {
    return this.index;
  }

  get size(): number {
    return this.index?.size ?? 0;
  }

  entriesAdded(entries: readonly ChangedEntry[]): void {
    if (!this.index) {
      this.pending.push({ added: true, entries });
      return;
    }
    // An entry re-announced (a feed replay) must not be indexed twice.
    this.index.entriesRemoved(entries);
    this.index.entriesAdded(entries);
  }

  entriesRemoved(entries: readonly ChangedEntry[]): void {
    if (!this.index) {
      this.pending.push({ added: false, entries });
      return;
    }
    this.index.entriesRemoved(entries);
  }

  /** Adds the PDQ entries with ids in [from, to] as the store has them now (a change announced by id only). */
  async addStoredRange(from: number, to: number): Promise<void> {
    for await (const page of this.repo.streamSignals('pdq', 10_000, from, to)) {
      this.entriesAdded(page.ids.map((id, i) => ({ id, signalType: 'pdq' as const, signal: page.signals[i] })));
    }
  }
}

/** Words of a PDQ hex, for callers that query the index with text. */
export function pdqWords(hex: string): Uint32Array {
  const w = new Uint32Array(HASH_WORDS);
  hexToWordsInto(hex, w, 0);
  return w;
}
