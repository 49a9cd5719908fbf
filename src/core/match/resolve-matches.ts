/**
 * From raw index or lookup hits to the answer: keeps a hit only when its bank is enabled, selected, in reach
 * (the bank's own PDQ threshold), the query is of the bank's minimum quality, and the entry is not quarantined;
 * a hit on a negative bank (known false positive) suppresses every match of that query.
 */
import type { Bank, BankEntry } from '../banks/bank.js';
import type { MatchHit, QueryResult } from './match-result.js';

export interface CandidateHit {
  entry: BankEntry;
  bank: Bank;
  distance: number;
  query_match_percent?: number;
  compared_match_percent?: number;
}

export interface ResolveOptions {
  /** Bank names to answer from; empty or absent = every enabled bank. Negative banks always apply. */
  banks?: readonly string[];
  /** The query's PDQ quality, when known (hashes given as text have none, and are not held to a minimum). */
  queryQuality?: number;
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
  const selected = opts.banks && opts.banks.length > 0 ? new Set(opts.banks) : undefined;
  const inReach = hits.filter((h) => h.bank.enabled && h.entry.quarantinedAt === null
    && (h.entry.signalType !== 'pdq' || h.distance <= h.bank.pdqThreshold)
    && (opts.queryQuality === undefined || h.entry.signalType !== 'pdq' || opts.queryQuality >= h.bank.minQuality));
  const negatives = inReach.filter((h) => h.bank.negative);
  if (negatives.length > 0) {
    const suppressed_by = negatives.map((h) => ({ bank: h.bank.name, signal: h.entry.signal, distance: h.distance }));
    return { result: { query, matches: [], suppressed_by }, matched: [] };
  }
  const matched = inReach
    .filter((h) => !h.bank.negative && (!selected || selected.has(h.bank.name)))
    .sort((a, b) => a.distance - b.distance || a.bank.name.localeCompare(b.bank.name) || a.entry.id - b.entry.id);
  return { result: { query, matches: matched.map(toHit) }, matched };
}

function toHit(h: CandidateHit): MatchHit {
  const hit: MatchHit = {
    bank: h.bank.name,
    signal_type: h.entry.signalType,
    signal: h.entry.signal,
    distance: h.distance,
    quality: h.entry.quality,
    source_ref: h.entry.sourceRef,
    // The bank's labels apply to every entry in it; the entry may add its own.
    labels: [...new Set([...h.bank.labels, ...h.entry.labels])],
  };
  if (h.query_match_percent !== undefined) hit.query_match_percent = h.query_match_percent;
  if (h.compared_match_percent !== undefined) hit.compared_match_percent = h.compared_match_percent;
  return hit;
}
