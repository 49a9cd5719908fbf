/**
 * Comparing two videos' vPDQ features as python-threatexchange does (`VPDQSignal.compare_hash`, `vpdq_match`):
 * drop frames under quality 50, keep only the first of each exact duplicate hash, count a frame as matched when
 * some frame of the other video is within distance 31 (<=), then
 *   query match %    = share of the query's kept frames that match some compared frame,
 *   compared match % = share of the compared video's kept frames that match some query frame;
 * a match is query % >= 80 and compared % >= 0. Frame order and timestamps are ignored (a bag of hashes).
 *
 * The C++ reference tools (`match-hashes-brute`, `matchTwoHashBrute`) differ in two ways: a frame matches at
 * distance < 31 (strictly), and exact duplicates are not dropped. `rule: 'cpp'` reproduces them.
 */
import { hammingDistanceWords, pdqHexToWords } from '../pdq/pdq-hex.js';
import type { VpdqFeature } from './vpdq-feature.js';

export const VPDQ_DISTANCE_THRESHOLD = 31;
export const VPDQ_QUALITY_THRESHOLD = 50;
export const VPDQ_QUERY_MATCH_THRESHOLD_PERCENT = 80;
export const VPDQ_COMPARED_MATCH_THRESHOLD_PERCENT = 0;

export type VpdqMatchRule = 'pytx' | 'cpp';

export interface VpdqCompareOptions {
  distance?: number;
  quality?: number;
  queryThreshold?: number;
  comparedThreshold?: number;
  rule?: VpdqMatchRule;
}

export interface VpdqComparison {
  queryMatchPercent: number;
  comparedMatchPercent: number;
  match: boolean;
  /** Frames left on each side after the quality filter (and, for pytx, the dedupe). */
  queryFrames: number;
  comparedFrames: number;
  rule: VpdqMatchRule;
  distance: number;
  quality: number;
  queryThreshold: number;
  comparedThreshold: number;
}

/** The frames that take part in matching, as 8-word hashes. */
function keptFrames(frames: readonly VpdqFeature[], quality: number, dedupe: boolean): Uint32Array[] {
  const seen = new Set<string>();
  const out: Uint32Array[] = [];
  for (const f of frames) {
    if (f.quality < quality) continue;
    const hex = f.pdq.toLowerCase();
    if (dedupe) {
      if (seen.has(hex)) continue;
      seen.add(hex);
    }
    out.push(pdqHexToWords(hex));
  }
  return out;
}

/** How many frames of a have some frame of b within the distance (strictly below when strict). */
function countMatched(a: Uint32Array[], b: Uint32Array[], distance: number, strict: boolean): number {
  const limit = strict ? distance - 1 : distance;
  let matched = 0;
  for (const x of a) {
    for (const y of b) {
      if (hammingDistanceWords(x, y) <= limit) { matched++; break; }
    }
  }
  return matched;
}

/**
 * Compares a query video's frames with a compared video's frames.
 * @example compareVpdq(queryFrames, indexFrames) // { queryMatchPercent: 100, comparedMatchPercent: 92.8, match: true, ... }
 */
export function compareVpdq(query: readonly VpdqFeature[], compared: readonly VpdqFeature[], opts: VpdqCompareOptions = {}): VpdqComparison {
  const rule = opts.rule ?? 'pytx';
  const distance = opts.distance ?? VPDQ_DISTANCE_THRESHOLD;
  const quality = opts.quality ?? VPDQ_QUALITY_THRESHOLD;
  const queryThreshold = opts.queryThreshold ?? VPDQ_QUERY_MATCH_THRESHOLD_PERCENT;
  const comparedThreshold = opts.comparedThreshold ?? VPDQ_COMPARED_MATCH_THRESHOLD_PERCENT;
  const q = keptFrames(query, quality, rule === 'pytx');
  const c = keptFrames(compared, quality, rule === 'pytx');
  const strict = rule === 'cpp';
  // Either side empty after filtering: nothing can match (the C++ tool reports 0/0 too).
  const queryMatchPercent = q.length && c.length ? (100 * countMatched(q, c, distance, strict)) / q.length : 0;
  const comparedMatchPercent = q.length && c.length ? (100 * countMatched(c, q, distance, strict)) / c.length : 0;
  const match = q.length > 0 && c.length > 0 && queryMatchPercent >= queryThreshold && comparedMatchPercent >= comparedThreshold;
  return {
    queryMatchPercent, comparedMatchPercent, match, queryFrames: q.length, comparedFrames: c.length,
    rule, distance, quality, queryThreshold, comparedThreshold,
  };
}
