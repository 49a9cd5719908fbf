/**
 * Bit orders for the multi-index: a fixed permutation of a hash's 256 bits applied to every stored and queried
 * hash. A permutation does not change any Hamming distance, so an index stays exact under it; what it changes is
 * which bits share a substring. Hashes whose bits are correlated (region_dct: 256 SimHash bits of 64 numbers) fill
 * a few buckets of contiguous substrings and leave most empty; an order that puts weakly correlated bits together
 * spreads them (learnBitOrder, from sample values), so fewer candidates are verified per probe.
 */
import { HASH_BITS, HASH_WORDS } from './hamming-index.js';
import { substringLayout } from './multi-index-tables.js';

/** order[i] = the bit of the original hash that becomes bit i of the permuted hash (bit k = word k>>5, bit k&31). */
export type BitOrder = Uint8Array;

/** Checks that `order` is a permutation of 0..255 and throws a RangeError saying what is wrong. */
export function checkBitOrder(order: ArrayLike<number>): void {
  if (order.length !== HASH_BITS) throw new RangeError(`a bit order needs ${HASH_BITS} entries, got ${order.length}`);
  const seen = new Uint8Array(HASH_BITS);
  for (let i = 0; i < HASH_BITS; i++) {
    const b = order[i];
    if (!Number.isInteger(b) || b < 0 || b >= HASH_BITS || seen[b]) throw new RangeError(`a bit order must list every bit 0..255 once (entry ${i} is ${b})`);
    seen[b] = 1;
  }
}

/**
 * Writes the permuted hash of src[srcOff..srcOff+8) into dst[dstOff..dstOff+8) (src and dst must not overlap).
 * @example permuteWords(q, order, out) // distance(permute(a), permute(b)) === distance(a, b)
 */
export function permuteWords(src: ArrayLike<number>, order: BitOrder, dst: Uint32Array, srcOff = 0, dstOff = 0): void {
  for (let w = 0; w < HASH_WORDS; w++) {
    let v = 0;
    for (let i = 0; i < 32; i++) {
      const b = order[w * 32 + i];
      v |= ((src[srcOff + (b >>> 5)] >>> (b & 31)) & 1) << i;
    }
    dst[dstOff + w] = v >>> 0;
  }
}

/** Permutes n hashes in place (build time). */
export function permuteAll(words: Uint32Array, n: number, order: BitOrder): void {
  const tmp = new Uint32Array(HASH_WORDS);
  for (let s = 0; s < n; s++) {
    permuteWords(words, order, tmp, s * HASH_WORDS, 0);
    words.set(tmp, s * HASH_WORDS);
  }
}

/** The correlation of every pair of bits over n sample hashes (256 x 256, row-major). */
export function bitCorrelations(words: ArrayLike<number>, n: number): Float64Array {
  const x = new Float64Array(n * HASH_BITS);
  const p = new Float64Array(HASH_BITS);
  for (let s = 0; s < n; s++) for (let k = 0; k < HASH_BITS; k++) p[k] += ((words[s * HASH_WORDS + (k >>> 5)] >>> (k & 31)) & 1) / n;
  for (let s = 0; s < n; s++) {
    for (let k = 0; k < HASH_BITS; k++) {
      const sd = Math.sqrt(p[k] * (1 - p[k])) || 1;
      x[s * HASH_BITS + k] = (((words[s * HASH_WORDS + (k >>> 5)] >>> (k & 31)) & 1) - p[k]) / sd;
    }
  }
  const c = new Float64Array(HASH_BITS * HASH_BITS);
  for (let a = 0; a < HASH_BITS; a++) {
    for (let b = a; b < HASH_BITS; b++) {
      let sum = 0;
      for (let s = 0; s < n; s++) sum += x[s * HASH_BITS + a] * x[s * HASH_BITS + b];
      c[a * HASH_BITS + b] = c[b * HASH_BITS + a] = sum / n;
    }
  }
  return c;
}

/**
 * A bit order for an index of m substrings that puts weakly correlated bits in the same substring: bits are placed
 * one at a time (most correlated first) where they add the least squared correlation, then pairs are swapped
 * between substrings while that lowers the total. Deterministic for the same samples.
 * @example MultiIndexHashing.build(ids, words, { bitOrder: learnBitOrder(sample, 5000, 11) })
 */
export function learnBitOrder(words: ArrayLike<number>, n: number, m: number): BitOrder {
  const c = bitCorrelations(words, n);
  const sq = (a: number, b: number) => c[a * HASH_BITS + b] ** 2;
  const { lens } = substringLayout(m);
  const weight = Array.from({ length: HASH_BITS }, (_, a) => {
    let s = 0;
    for (let b = 0; b < HASH_BITS; b++) if (b !== a) s += sq(a, b);
    return s;
  });
  const bits = Array.from({ length: HASH_BITS }, (_, a) => a).sort((a, b) => weight[b] - weight[a] || a - b);
  const groups: number[][] = lens.map(() => []);
  const cost = (g: number[], a: number, skip = -1) => g.reduce((s, b) => (b === skip ? s : s + sq(a, b)), 0);
  for (const a of bits) {
    let best = -1;
    let bestCost = Infinity;
    groups.forEach((g, t) => {
      if (g.length >= lens[t]) return;
      const k = cost(g, a);
      if (k < bestCost) { bestCost = k; best = t; }
    });
    groups[best].push(a);
  }
  for (let pass = 0; pass < 20; pass++) {
    let improved = false;
    for (let t = 0; t < m; t++) {
      for (let u = t + 1; u < m; u++) {
        for (let i = 0; i < groups[t].length; i++) {
          for (let j = 0; j < groups[u].length; j++) {
            const a = groups[t][i];
            const b = groups[u][j];
            const gain = cost(groups[t], a, a) + cost(groups[u], b, b) - cost(groups[t], b, a) - cost(groups[u], a, b);
            if (gain > 1e-12) {
              groups[t][i] = b;
              groups[u][j] = a;
              improved = true;
            }
          }
        }
      }
    }
    if (!improved) break;
  }
  const order = Uint8Array.from(groups.flatMap((g) => [...g].sort((a, b) => a - b)));
  checkBitOrder(order);
  return order;
}
