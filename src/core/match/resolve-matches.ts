/**
 * From raw index or lookup hits to the answer: keeps a hit only when its bank is enabled, selected, in reach
 * (the bank's threshold for the entry's signal type), the query is of the bank's minimum quality (perceptual
 * types), and the entry is not quarantined; a hit on a negative bank (known false positive) suppresses every
 * match of that query.
 */
import { thresholdFor, type Bank, type BankEntry } from '../banks/bank.js';
import { signalTypes, type SignalRegistry } from '../signals/registry.js';
import type { MatchHit, QueryResult } from './match-result.js';

export interface CandidateHit {
  entry: BankEntry;
  bank: Bank;
  distance: number;
  /** Figures the signal type reports besides the distance (vPDQ percentages). */
  detail?: Record<string, number>;
}

export interface ResolveOptions {
  /** Bank names to answer from; empty or absent = every enabled bank. Negative banks always apply. */
  banks?: readonly string[];
  /** The query's PDQ quality, when known (hashes given as text have none, and are not held to a minimum). */
  queryQuality?: number;
  registry?: SignalRegistry;
}

export interface Resolved {
  result: QueryResult;
  /** The candidates behind result.matches, in the same order. */
  matched: CandidateHit[];
}

/**
 * The matches and suppressions for one query.
 * @example resolveMatches('f8f8..', [{ entry, bank, distance: 12 }]).result.matches[0].distance // 12
 */
export function resolveMatches(query: string, hits: CandidateHit[], opts: ResolveOptions = {}): Resolved {
  const registry = opts.registry ?? signalTypes;
  const selected = opts.banks && opts.banks.length > 0 ? new Set(opts.banks) : undefined;
  const seen = new Set<number>();
  // Nearest first, so that an entry reached by several query forms (dihedral variants) keeps its best distance.
  const inReach = [...hits].sort((a, b) => a.distance - b.distance).filter((h) => {
    const type = registry.get(h.entry.signalType);
    if (!type || !h.bank.enabled || h.entry.quarantinedAt !== null || seen.has(h.entry.id)) return false;
    if (h.distance > thresholdFor(h.bank, type)) return false;
    if (opts.queryQuality !== undefined && type.indexKind === 'hamming-256' && opts.queryQuality < h.bank.minQuality) return false;
    seen.add(h.entry.id);
    return true;
  });
  const negatives = inReach.filter((h) => h.bank.negative);
  if (negatives.length > 0) {
    const suppressedBy = negatives.map((h) => ({ bank: h.bank.name, signal: h.entry.signal, distance: h.distance }));
    return { result: { query, matches: [], suppressedBy }, matched: [] };
  }
  const matched = inReach
    .filter((h) => !selected || selected.has(h.bank.name))
    .sort((a, b) => a.distance - b.distance || a.bank.name.localeCompare(b.bank.name) || a.entry.id - b.entry.id);
  return { result: { query, matches: matched.map(toHit) }, matched };
}

function toHit(h: CandidateHit): MatchHit {
  const hit: MatchHit = {
    bank: h.bank.name,
    signalType: h.entry.signalType,
    signal: h.entry.signal,
    distance: h.distance,
    quality: h.entry.quality,
    sourceRef: h.entry.sourceRef,
    // The bank's labels apply to every entry in it; the entry may add its own.
    labels: [...new Set([...h.bank.labels, ...h.entry.labels])],
  };
  if (h.entry.display) hit.display = h.entry.display;
  if (h.detail) Object.assign(hit, h.detail);
  return hit;
}
