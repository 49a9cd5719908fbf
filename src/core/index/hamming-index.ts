/**
 * The contract every exact Hamming range index over 256-bit hashes fulfils, and helpers shared by them.
 * A hash is 8 little-endian 32-bit words (see pdq-hex.ts). Ids are the caller's (bank_entry ids), 0..2^32-2.
 * "Exact" means recall 1.0 by construction: every stored hash within the radius comes back, with its distance.
 */

import { popcount32 as popcount } from '../signals/pdq/pdq-hex.js';
import type { IdRange } from './id-ranges.js';

/** One hit of a range query. */
export interface HammingHit {
  id: number;
  distance: number;
}

/** An exact range index. Mutations are synchronous, so a query never sees a half-done update. */
export interface HammingIndex {
  /** Stable name of the mechanism, for figures and logs (not derived from a class name). */
  readonly kind: string;
  /** Number of live hashes. */
  readonly size: number;
  /** Adds a hash under an id. Adding the same id twice stores it twice; callers keep ids unique. */
  add(id: number, words: ArrayLike<number>): void;
  /** Forgets the id stored with exactly this hash; true when it was there. The stored words are zeroed. */
  remove(id: number, words: ArrayLike<number>): boolean;
  /** Forgets every hash whose id is in the sorted, merged ranges (the change log names removals by id only); returns how many. */
  removeIdRanges(ranges: readonly IdRange[]): number;
  /** Every stored hash within maxDistance (inclusive) of the query, each id once. Order is unspecified. */
  query(words: ArrayLike<number>, maxDistance: number): HammingHit[];
  /** Bytes held by the index's arrays (for figures). */
  bytesUsed(): number;
}

export const HASH_WORDS = 8;
export const HASH_BITS = 256;
/** The largest radius an index accepts (a per-bank PDQ threshold is at most 63; 128 would match noise). */
export const MAX_RADIUS = 128;

/** Checks a radius and throws a RangeError naming it when it is not an integer in 0..MAX_RADIUS. */
export function checkRadius(maxDistance: number): void {
  if (!Number.isInteger(maxDistance) || maxDistance < 0 || maxDistance > MAX_RADIUS) {
    throw new RangeError(`Hamming radius must be an integer 0..${MAX_RADIUS}, got ${maxDistance}`);
  }
}

/** Checks an id and throws a RangeError naming it when it cannot be stored in a Uint32Array slot. */
export function checkId(id: number): void {
  if (!Number.isInteger(id) || id < 0 || id >= 0xffffffff) throw new RangeError(`index id must be an integer 0..2^32-2, got ${id}`);
}

/** Number of set bits in a 32-bit integer (one implementation for the whole core). */
export { popcount };

/**
 * Distance between the query q and the hash at words[off..off+8), or a number > max as soon as the first half
 * already exceeds max (so callers can skip most of the work on far hashes).
 * @example distanceAt(q, store, 8 * slot, 31) <= 31 // a hit
 */
export function distanceAt(q: ArrayLike<number>, words: Uint32Array, off: number, max: number): number {
  let d = popcount(q[0] ^ words[off]) + popcount(q[1] ^ words[off + 1])
    + popcount(q[2] ^ words[off + 2]) + popcount(q[3] ^ words[off + 3]);
  if (d > max) return d;
  d += popcount(q[4] ^ words[off + 4]) + popcount(q[5] ^ words[off + 5])
    + popcount(q[6] ^ words[off + 6]) + popcount(q[7] ^ words[off + 7]);
  return d;
}

/**
 * Queries an index with several variants of one hash (e.g. the 8 dihedral PDQ hashes) and keeps, per id, the
 * smallest distance and which variant gave it.
 * @example queryVariants(index, [q, ...dihedral], 31) // [{id, distance, variant}]
 */
export function queryVariants(index: HammingIndex, variants: ArrayLike<number>[], maxDistance: number): (HammingHit & { variant: number })[] {
  const best = new Map<number, HammingHit & { variant: number }>();
  variants.forEach((v, variant) => {
    for (const hit of index.query(v, maxDistance)) {
      const prev = best.get(hit.id);
      if (!prev || hit.distance < prev.distance) best.set(hit.id, { ...hit, variant });
    }
  });
  return [...best.values()];
}
