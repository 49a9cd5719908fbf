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
import { pdqHexToWords, popcount32 } from '../pdq/pdq-hex.js';
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

/** The frames that take part in matching, packed 8 words per hash. */
function keptFrames(frames: readonly VpdqFeature[], quality: number, dedupe: boolean): Uint32Array {
  const seen = new Set<string>();
  const kept: string[] = [];
  for (const f of frames) {
    if (f.quality < quality) continue;
    const hex = f.pdq.toLowerCase();
    if (dedupe) {
      if (seen.has(hex)) continue;
      seen.add(hex);
    }
    kept.push(hex);
  }
  const words = new Uint32Array(kept.length * 8);
  kept.forEach((hex, i) => words.set(pdqHexToWords(hex), i * 8));
  return words;
}

/** How many hashes of a have some hash of b within limit bits (brute force, stopping at the first hit). */
function countMatched(a: Uint32Array, b: Uint32Array, limit: number): number {
  let matched = 0;
  for (let i = 0; i < a.length; i += 8) {
    for (let j = 0; j < b.length; j += 8) {
      let d = 0;
      for (let k = 0; k < 8 && d <= limit; k++) d += popcount32((a[i + k] ^ b[j + k]) >>> 0);
      if (d <= limit) { matched++; break; }
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
  const limit = rule === 'cpp' ? distance - 1 : distance;
  const nq = q.length / 8;
  const nc = c.length / 8;
  // Either side empty after filtering: nothing can match (the C++ tool reports 0/0 too).
  const queryMatchPercent = nq && nc ? (100 * countMatched(q, c, limit)) / nq : 0;
  const comparedMatchPercent = nq && nc ? (100 * countMatched(c, q, limit)) / nc : 0;
  const match = nq > 0 && nc > 0 && queryMatchPercent >= queryThreshold && comparedMatchPercent >= comparedThreshold;
  return {
    queryMatchPercent, comparedMatchPercent, match, queryFrames: nq, comparedFrames: nc,
    rule, distance, quality, queryThreshold, comparedThreshold,
  };
}
