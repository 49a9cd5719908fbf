/**
 * The match indexes a server keeps, one per hamming-256 signal type (PDQ). Loaded in the background (queries get
 * "not ready" until the first load), kept current by the bank services' listeners in this process and by the bank
 * change log (bank_change) for writes made elsewhere: catchUp() applies every change after the last seq it
 * applied, so a replica that missed notifications loses nothing. A reload builds a fresh set of indexes beside the
 * old one, which keeps answering, brings it up to date from the log, and swaps it in with one assignment: a lookup
 * sees the old indexes or the new ones, never a half-built one. Only one set is kept afterwards (memory stays flat:
 * HMA #1813 grew with every reload).
 */
import { mergeIdRanges, type IdRange } from '../core/index/id-ranges.js';
import { signalTypes, type SignalRegistry } from '../core/signals/registry.js';
import type { BankChangeRepo } from '../io/db/repos/bank-change-repo.js';
import type { BankRepo } from '../io/db/repos/bank-repo.js';
import type { BankChangeListener, ChangedEntry } from './bank-changes.js';
import { HammingMatchIndex, type LoadIndexOptions } from './match/match-index.js';

export type IndexState = 'loading' | 'ready' | 'failed';

/** Change rows read per query while catching up. */
const CHANGE_PAGE = 500;

export class LiveIndex implements BankChangeListener {
  state: IndexState = 'loading';
  /** When the indexes were last known to be current (ms since epoch): the last load or catch-up that succeeded. */
  refreshedAt = 0;
  loadError: string | undefined;
  /** The last change-log seq applied. */
  seq = 0;
  /** Full loads done (the first included). */
  loads = 0;
  private current = new Map<string, HammingMatchIndex>();
  /** In-process changes made while a load runs, applied to the fresh indexes before the swap. */
  private building: { added: boolean; entries: readonly ChangedEntry[] }[] | undefined;
  private loading: Promise<void> | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  private loaded = false;
  readonly types: string[];
  private readonly registry: SignalRegistry;

  constructor(private readonly repo: BankRepo, private readonly opts: Omit<LoadIndexOptions, 'signalType'> = {}, registry: SignalRegistry = signalTypes,
    private readonly changes?: BankChangeRepo) {
    this.registry = registry;
    this.types = registry.all().filter((t) => t.indexKind === 'hamming-256').map((t) => t.name);
  }

  /** The loaded indexes by signal type (read it per query: a reload replaces the map). */
  get indexes(): Map<string, HammingMatchIndex> {
    return this.current;
  }

  /** Loads (or reloads) from the store in the background of lookups; concurrent calls share one load. */
  load(): Promise<void> {
    this.loading ??= this.rebuild().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  get reloading(): boolean {
    return this.loading !== undefined;
  }

  private async rebuild(): Promise<void> {
    this.building = [];
    try {
      // Every change up to `from` is committed before the load reads (the log is in commit order); later ones
      // may or may not be in it, and applying them again is harmless.
      const from = this.changes ? await this.changes.latestSeq() : 0;
      const fresh = new Map<string, HammingMatchIndex>();
      for (const t of this.types) fresh.set(t, await HammingMatchIndex.load(this.repo, { index: this.registry.require(t).hammingIndex, ...this.opts, signalType: t }));
      await this.serially(async () => {
        const seq = await this.applyLog(fresh, from, false);
        for (const p of this.building ?? []) applyEntries(fresh, p.added, p.entries);
        this.building = undefined;
        this.current = fresh;
        this.seq = seq;
        this.loaded = true;
        this.loads++;
        this.state = 'ready';
        this.refreshedAt = Date.now();
      });
    } catch (err) {
      this.building = undefined;
      if (!this.loaded) this.state = 'failed';
      this.loadError = err instanceof Error ? err.message : String(err);
      throw err;
    }
  }

  /**
   * Applies the change log after the last seq applied (writes of other processes; this process's own were applied
   * by its listeners). When the log no longer reaches back that far (pruned), reloads instead.
   */
  catchUp(): Promise<void> {
    const changes = this.changes;
    if (!changes || !this.loaded) return Promise.resolve();
    return this.serially(async () => {
      if (await changes.oldestSeq() > this.seq + 1) {
        this.load().catch(() => {});
        return;
      }
      this.seq = await this.applyLog(this.current, this.seq, true);
      this.refreshedAt = Date.now();
    });
  }

  /**
   * Applies the log after `seq` to `indexes` a page at a time; returns the last seq seen. Entry ids are never
   * reused, so within a page the removals can go first in one pass and the adds be read from the store after.
   */
  private async applyLog(indexes: Map<string, HammingMatchIndex>, seq: number, skipOwn: boolean): Promise<number> {
    const changes = this.changes;
    if (!changes) return seq;
    for (;;) {
      const page = await changes.changesAfter(seq, CHANGE_PAGE);
      const removed: IdRange[] = [];
      const added: IdRange[] = [];
      for (const c of page) {
        if (skipOwn && c.origin === this.repo.origin) continue;
        removed.push(...c.removed);
        added.push(...c.added);
      }
      if (removed.length > 0) {
        const ranges = mergeIdRanges(removed);
        for (const i of indexes.values()) i.removeIdRanges(ranges);
      }
      for (const [from, to] of mergeIdRanges(added)) await this.addStored(indexes, from, to);
      if (page.length > 0) seq = page[page.length - 1].seq;
      if (page.length < CHANGE_PAGE) return seq;
    }
  }

  /** Adds the entries with ids in [from, to] as the store has them now (gone ones are simply not there). */
  private async addStored(indexes: Map<string, HammingMatchIndex>, from: number, to: number): Promise<void> {
    for (const t of this.types) {
      for await (const page of this.repo.streamSignals(t, 10_000, from, to)) {
        applyEntries(indexes, true, page.ids.map((id, i) => ({ id, signalType: t, signal: page.signals[i] })));
      }
    }
  }

  /** Runs index work in order, one at a time (catch-ups and swaps never interleave). */
  private serially(fn: () => Promise<void>): Promise<void> {
    const run = this.chain.then(fn);
    this.chain = run.catch(() => {});
    return run;
  }

  get ready(): boolean {
    return this.loaded;
  }

  /** Entries in all indexes. */
  get size(): number {
    let n = 0;
    for (const i of this.current.values()) n += i.size;
    return n;
  }

  /** Bytes the indexes hold (typed arrays). */
  get bytes(): number {
    let n = 0;
    for (const i of this.current.values()) n += i.bytes;
    return n;
  }

  sizeOf(type: string): number {
    return this.current.get(type)?.size ?? 0;
  }

  entriesAdded(entries: readonly ChangedEntry[]): void {
    this.building?.push({ added: true, entries });
    applyEntries(this.current, true, entries);
  }

  entriesRemoved(entries: readonly ChangedEntry[]): void {
    this.building?.push({ added: false, entries });
    applyEntries(this.current, false, entries);
  }
}

function applyEntries(indexes: Map<string, HammingMatchIndex>, added: boolean, entries: readonly ChangedEntry[]): void {
  for (const i of indexes.values()) {
    // An entry announced twice (a log replay after a reload) must not be indexed twice.
    i.entriesRemoved(entries);
    if (added) i.entriesAdded(entries);
  }
}
