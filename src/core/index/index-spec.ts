/**
 * Which in-memory index serves a hamming-256 signal type (its `hammingIndex` in the signal-type registry), and the
 * one place that builds it: multi-index hashing (PDQ; little memory), or the sketched multi-index (region_dct-like
 * hashes with correlated bits: more memory, far fewer random memory reads per lookup), each with an optional bit
 * order. Every kind passes the HammingIndex conformance suite (exact); a spec with a guaranteed radius is exact up
 * to it only (the robust signals: see their signal files for the figures behind their radius).
 */
import type { BitOrder } from './bit-order.js';
import type { HammingIndex } from './hamming-index.js';
import { MultiIndexHashing } from './multi-index-hashing.js';
import { SketchedMultiIndex } from './sketched-multi-index.js';

export type HammingIndexKind = 'multi-index' | 'multi-index-sketched';

export interface HammingIndexSpec {
  readonly kind: HammingIndexKind;
  /** A permutation of the 256 bits applied before indexing (bit-order.ts); distances are unchanged. */
  readonly bitOrder?: BitOrder;
  /**
   * Approximate above this radius (see MultiIndexOptions.guaranteedRadius): every stored hash within it is found,
   * those between it and the query's radius with high probability, and no hit is ever beyond the query's radius.
   * Unset: exact.
   */
  readonly guaranteedRadius?: number;
  /** Substrings sized for buckets of ~2^bucketBits hashes (MultiIndexOptions.bucketBits); unset: ~1 hash. */
  readonly bucketBits?: number;
}

/** The radius up to which an index of this spec finds every stored hash (Infinity: exact at every radius). */
export function promisedRadius(spec: HammingIndexSpec | undefined): number {
  return spec?.guaranteedRadius ?? Infinity;
}

/** The default: multi-index hashing over the bits as they come (PDQ's bits are balanced and independent enough). */
export const PLAIN_MULTI_INDEX: HammingIndexSpec = { kind: 'multi-index' };

/**
 * The same spec in the plain multi-index with buckets of ~1 hash (bit order and guaranteed radius kept): the
 * same answers in about half the memory of a sketched index, at more random reads a lookup (a server's
 * `indexMemory: lean`).
 * @example leanIndexSpec(pdqSignal.hammingIndex) // { kind: 'multi-index', ... }
 */
export function leanIndexSpec(spec: HammingIndexSpec | undefined): HammingIndexSpec {
  const s = spec ?? PLAIN_MULTI_INDEX;
  return { kind: 'multi-index', bitOrder: s.bitOrder, guaranteedRadius: s.guaranteedRadius };
}

/**
 * Builds the index a spec names over n hashes; the arrays are taken over (a bit order permutes `words` in place).
 * @example buildHammingIndex(regionDctSignal.hammingIndex, ids, words).query(q, 32)
 */
export function buildHammingIndex(spec: HammingIndexSpec | undefined, ids: Uint32Array, words: Uint32Array, tuning: BuildTuning = {}): HammingIndex {
  const s = spec ?? PLAIN_MULTI_INDEX;
  const opts = { ...tuning, bitOrder: s.bitOrder, guaranteedRadius: s.guaranteedRadius, bucketBits: s.bucketBits };
  switch (s.kind) {
    case 'multi-index':
      return MultiIndexHashing.build(ids, words, opts);
    case 'multi-index-sketched':
      return SketchedMultiIndex.build(ids, words, opts);
  }
}

/** What tests and benches may change in a build besides the spec: the table count, and probing on small sets. */
export interface BuildTuning {
  substrings?: number;
  probeAlways?: boolean;
}
