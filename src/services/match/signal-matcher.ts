/**
 * Looks signals up in the banks: every signal type is served by the index its type names (hamming-256: the
 * in-memory multi-index; exact: the store's value index; custom: the type's own compare over its stored values),
 * and the hits are resolved by the same rules everywhere (per-bank, per-type thresholds, minimum quality, negative
 * banks, quarantine). What a run loads (indexes, custom-type entries, banks) is kept for that run only.
 * Flood quarantine is judged only when `flood` is given: long-running matching (server, bot) turns it on.
 */
import { describeError } from '../../core/errors.js';
import { hexToWordsInto } from '../../core/index/hash-words.js';
import { FloodGuard, type FloodGuardOptions } from '../../core/match/flood-guard.js';
import { resolveMatches, type CandidateHit, type Resolved } from '../../core/match/resolve-matches.js';
import { thresholdFor, type Bank } from '../../core/banks/bank.js';
import { signalTypes, type SignalRegistry } from '../../core/signals/registry.js';
import type { Signal, SignalType } from '../../core/signals/signal-type.js';
import type { BankRepo, EntryWithBank } from '../../io/db/repos/bank-repo.js';
import { HammingMatchIndex, type LoadIndexOptions } from './match-index.js';

export interface SignalMatcherDeps {
  banks: BankRepo;
  registry?: SignalRegistry;
  /** Loaded indexes to use, by signal type (a server keeps them); others load from the store on first need. */
  indexes?: Map<string, HammingMatchIndex>;
  /** How indexes load when they must (threads, the SQLite file). */
  indexLoad?: Omit<LoadIndexOptions, 'signalType'>;
  now?: () => Date;
}

export interface SignalMatcherOptions {
  /** Answer from these banks only (negative banks always apply). */
  banks?: string[];
  /** Judge floods and quarantine flooding entries in the store (long-running matching only; off when absent). */
  flood?: FloodGuardOptions;
  onIndexLoaded?: (info: { signalType: string; entries: number; ms: number; bytes: number }) => void;
}

/**
 * One run's matcher.
 * @example const m = new SignalMatcher({ banks: repo }); const { result } = await m.match('q', [{ type: 'md5', value }])
 */
export class SignalMatcher {
  private readonly registry: SignalRegistry;
  private readonly indexes: Map<string, HammingMatchIndex>;
  private readonly custom = new Map<string, EntryWithBank[]>();
  private bankList: Bank[] | undefined;
  private readonly guard: FloodGuard | undefined;
  private checked = false;

  constructor(private readonly deps: SignalMatcherDeps, private readonly opts: SignalMatcherOptions = {}) {
    this.registry = deps.registry ?? signalTypes;
    this.indexes = deps.indexes ?? new Map();
    this.guard = opts.flood ? new FloodGuard(opts.flood) : undefined;
  }

  /** Checks that the selected banks exist (a not_found error naming the first that does not). */
  async checkBanks(): Promise<void> {
    if (this.checked) return;
    for (const name of this.opts.banks ?? []) await this.deps.banks.requireBank(name);
    this.checked = true;
  }

  /** The resolved answer and the candidates behind it; an unknown type or bad value is an error answer. */
  async match(label: string, signals: readonly Signal[]): Promise<Resolved> {
    try {
      await this.checkBanks();
      const candidates: CandidateHit[] = [];
      let quality: number | undefined;
      // By type and reach: forms with a reach (tighter than the banks' thresholds) are looked up no further.
      const groups = new Map<string, { type: SignalType; reach: number; values: string[] }>();
      for (const s of signals) {
        const type = this.registry.require(s.type);
        const reach = s.reach ?? Infinity;
        const key = `${type.name} ${reach}`;
        const group = groups.get(key) ?? { type, reach, values: [] };
        group.values.push(type.normalise(s.value));
        groups.set(key, group);
        if (type.indexKind === 'hamming-256' && typeof s.quality === 'number') quality ??= s.quality;
      }
      for (const { type, reach, values } of groups.values()) {
        candidates.push(...(await this.candidates(type, values, reach)).filter((c) => c.distance <= reach));
      }
      const resolved = resolveMatches(label, candidates, { banks: this.opts.banks, queryQuality: quality, registry: this.registry });
      return this.guard ? await this.guardFlood(resolved) : resolved;
    } catch (err) {
      return { result: { query: label, matches: [], error: describeError(err) }, matched: [] };
    }
  }

  private async candidates(type: SignalType, values: string[], reach: number): Promise<CandidateHit[]> {
    switch (type.indexKind) {
      case 'exact': {
        const out: CandidateHit[] = [];
        for (const v of new Set(values)) for (const e of await this.deps.banks.findExact(type.name, v)) out.push({ entry: e, bank: e.bank, distance: 0 });
        return out;
      }
      case 'hamming-256':
        return this.hammingCandidates(type, values, reach);
      case 'custom':
        return this.customCandidates(type, values);
    }
  }

  private async banks(): Promise<Bank[]> {
    this.bankList ??= await this.deps.banks.listBanks();
    return this.bankList;
  }

  /** Every form of the query (the hash, maybe its 7 dihedral forms) at once, out to the widest bank threshold. */
  private async hammingCandidates(type: SignalType, values: string[], reach: number): Promise<CandidateHit[]> {
    const radius = Math.min(type.maxThreshold, reach, Math.max(-1, ...(await this.banks()).filter((b) => b.enabled).map((b) => thresholdFor(b, type))));
    if (radius < 0) return [];
    let index = this.indexes.get(type.name);
    if (!index) {
      index = await HammingMatchIndex.load(this.deps.banks, { index: type.hammingIndex, ...this.deps.indexLoad, signalType: type.name });
      this.indexes.set(type.name, index);
      this.opts.onIndexLoaded?.({ signalType: type.name, entries: index.size, ms: index.buildMs, bytes: index.bytes });
    }
    const variants = values.map((hex) => {
      const w = new Uint32Array(8);
      hexToWordsInto(hex, w, 0);
      return w;
    });
    const hits = index.query(variants, radius);
    if (hits.length === 0) return [];
    const distance = new Map<number, number>();
    for (const h of hits) distance.set(h.id, Math.min(h.distance, distance.get(h.id) ?? Infinity));
    const entries = await this.deps.banks.entriesWithBanks([...distance.keys()]);
    return entries.map((e) => ({ entry: e, bank: e.bank, distance: distance.get(e.id)! }));
  }

  /** The type's own compare with each stored value of the type (loaded once per run: such banks are small). */
  private async customCandidates(type: SignalType, values: string[]): Promise<CandidateHit[]> {
    let entries = this.custom.get(type.name);
    if (!entries) {
      entries = await this.deps.banks.entriesOfType(type.name);
      this.custom.set(type.name, entries);
    }
    const out: CandidateHit[] = [];
    for (const e of entries) {
      for (const v of values) {
        const c = type.compare(v, e.signal, thresholdFor(e.bank, type));
        if (c.match) out.push({ entry: e, bank: e.bank, distance: c.distance, detail: c.detail });
      }
    }
    return out;
  }

  /** Counts the matches; an entry that floods is quarantined in the store and dropped from this answer on. */
  private async guardFlood({ result, matched }: Resolved): Promise<Resolved> {
    const flooding = new Set(this.guard!.record(matched.map((m) => m.entry.id)));
    if (flooding.size === 0) return { result, matched };
    const now = (this.deps.now ?? (() => new Date()))().toISOString();
    const quarantined: NonNullable<Resolved['result']['quarantined']> = [];
    for (const m of matched) {
      if (!flooding.has(m.entry.id)) continue;
      const n = this.guard!.count(m.entry.id);
      await this.deps.banks.quarantineEntry(m.entry.id, `flood: matched ${n} queries in one run, far more than other entries`, now);
      quarantined.push({ bank: m.bank.name, signal: m.entry.signal, matchesThisRun: n });
    }
    // Later queries must not see it either: the store now says quarantined, and the answer drops it here.
    for (const list of this.custom.values()) for (const e of list) if (flooding.has(e.id)) e.quarantinedAt = now;
    const keep = matched.map((m) => !flooding.has(m.entry.id));
    return {
      result: { ...result, matches: result.matches.filter((_, i) => keep[i]), quarantined },
      matched: matched.filter((_, i) => keep[i]),
    };
  }
}
