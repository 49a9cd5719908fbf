/**
 * The match indexes a server keeps, one per hamming-256 signal type (PDQ, region_dct; each the index kind its registry
 * entry names): loaded once in the background
 * (queries get "not ready" until then), kept current by the bank services' change listeners in this process, and
 * by a change feed from other processes on the same PostgreSQL (bank-change-feed.ts). Changes that arrive while
 * it loads are applied after the load.
 */
import { signalTypes, type SignalRegistry } from '../core/signals/registry.js';
import type { BankRepo } from '../io/db/repos/bank-repo.js';
import type { BankChangeListener, ChangedEntry } from './bank-changes.js';
import { HammingMatchIndex, type LoadIndexOptions } from './match/match-index.js';

export type IndexState = 'loading' | 'ready' | 'failed';

export class LiveIndex implements BankChangeListener {
  state: IndexState = 'loading';
  /** When the indexes were last known to be current (ms since epoch); a feed that drops stops refreshing it. */
  refreshedAt = 0;
  loadError: string | undefined;
  /** The loaded indexes by signal type (the map the signal matcher reads). */
  readonly indexes = new Map<string, HammingMatchIndex>();
  private pending: { added: boolean; entries: readonly ChangedEntry[] }[] = [];
  private loaded = false;
  readonly types: string[];
  private readonly registry: SignalRegistry;

  constructor(private readonly repo: BankRepo, private readonly opts: Omit<LoadIndexOptions, 'signalType'> = {}, registry: SignalRegistry = signalTypes) {
    this.registry = registry;
    this.types = registry.all().filter((t) => t.indexKind === 'hamming-256').map((t) => t.name);
  }

  /** Loads (or reloads) from the store; the old indexes keep answering until the new ones are ready. */
  async load(): Promise<void> {
    try {
      const fresh = new Map<string, HammingMatchIndex>();
      for (const t of this.types) fresh.set(t, await HammingMatchIndex.load(this.repo, { index: this.registry.require(t).hammingIndex, ...this.opts, signalType: t }));
      const pending = this.pending;
      this.pending = [];
      for (const [t, index] of fresh) this.indexes.set(t, index);
      this.loaded = true;
      // A change may be in the load or not: removing before adding makes applying it again harmless.
      for (const p of pending) {
        this.entriesRemoved(p.entries);
        if (p.added) this.entriesAdded(p.entries);
      }
      this.state = 'ready';
      this.refreshedAt = Date.now();
    } catch (err) {
      if (!this.loaded) this.state = 'failed';
      this.loadError = err instanceof Error ? err.message : String(err);
      throw err;
    }
  }

  get ready(): boolean {
    return this.loaded;
  }

  /** Entries in all indexes. */
  get size(): number {
    let n = 0;
    for (const i of this.indexes.values()) n += i.size;
    return n;
  }

  sizeOf(type: string): number {
    return this.indexes.get(type)?.size ?? 0;
  }

  entriesAdded(entries: readonly ChangedEntry[]): void {
    if (!this.loaded) {
      this.pending.push({ added: true, entries });
      return;
    }
    for (const i of this.indexes.values()) {
      // An entry announced twice (a feed replay) must not be indexed twice.
      i.entriesRemoved(entries);
      i.entriesAdded(entries);
    }
  }

  entriesRemoved(entries: readonly ChangedEntry[]): void {
    if (!this.loaded) {
      this.pending.push({ added: false, entries });
      return;
    }
    for (const i of this.indexes.values()) i.entriesRemoved(entries);
  }

  /** Adds the entries of a type with ids in [from, to] as the store has them now (a change announced by id only). */
  async addStoredRange(type: string, from: number, to: number): Promise<void> {
    for await (const page of this.repo.streamSignals(type, 10_000, from, to)) {
      this.entriesAdded(page.ids.map((id, i) => ({ id, signalType: type, signal: page.signals[i] })));
    }
  }
}
