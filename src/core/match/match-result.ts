/**
 * What one query yields: the matched bank entries with their distances, bank, source reference and labels, in one
 * answer (the shape `unexpose match --format jsonl` prints and the API returns; camelCase keys), or the error that
 * stopped this query.
 */

export interface MatchHit {
  bank: string;
  signalType: string;
  signal: string;
  /** Redacted form of an identifier entry (phone, handle); absent for media hashes. */
  display?: string;
  /** Hamming distance for PDQ, 0 for exact types, for vPDQ the % of the query's frames not matched. */
  distance: number;
  quality: number | null;
  sourceRef: string | null;
  labels: string[];
  /** vPDQ only: % of the query's frames matched, and % of the bank video's frames matched. */
  queryMatchPercent?: number;
  comparedMatchPercent?: number;
}

export interface QueryResult {
  /** The label of the query: the path or hash as the user gave it. */
  query: string;
  matches: MatchHit[];
  /** Negative-bank entries the query is within reach of: when present, matches is empty by design. */
  suppressedBy?: { bank: string; signal: string; distance: number }[];
  /** Entries quarantined by the flood guard while answering this query (long-running matching only). */
  quarantined?: { bank: string; signal: string; matchesThisRun: number }[];
  error?: string;
}
