/**
 * What one query yields: the matched bank entries with their distances, bank, source reference and labels, in one
 * answer (the shape `unexpose match` prints), or the error that stopped this query.
 */
import type { BankSignalType } from '../banks/bank.js';

export interface MatchHit {
  bank: string;
  signal_type: BankSignalType;
  signal: string;
  /** Hamming distance for PDQ, 0 for MD5/SHA-256, for vPDQ the % of the query's frames not matched. */
  distance: number;
  quality: number | null;
  source_ref: string | null;
  labels: string[];
  /** vPDQ only: % of the query's frames matched, and % of the bank video's frames matched. */
  query_match_percent?: number;
  compared_match_percent?: number;
}

export interface QueryResult {
  /** The path or hash as the user gave it. */
  query: string;
  matches: MatchHit[];
  /** Negative-bank entries the query is within reach of: when present, matches is empty by design. */
  suppressed_by?: { bank: string; signal: string; distance: number }[];
  /** Entries quarantined by the flood guard while answering this query (they no longer match). */
  quarantined?: { bank: string; signal: string; matches_this_run: number }[];
  error?: string;
}
