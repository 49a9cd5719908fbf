/**
 * Whether a multi-index (multi-index-base.ts) finds a stored value from a query value, without building it: some
 * table's substring distance is within that table's probe radius (refined pigeonhole, exact up to g bits).
 * Used by bench/robust/index-recall.ts and bench:robust to count the edits an index configuration still finds.
 */
import { permuteWords, type BitOrder } from '../../src/core/index/bit-order.js';
import { substring, substringLayout } from '../../src/core/index/multi-index-tables.js';
import { popcount32 } from '../../src/core/signals/pdq/pdq-hex.js';

/** An index configuration: match radius t, exact up to g (g >= t: exact), m substrings, bit order. */
export interface IndexConfig { t: number; g: number; m: number; order?: BitOrder }

/** True when the multi-index of `c` finds stored value b from query a (both already in the index's bit order). */
export function indexFinds(c: IndexConfig, a: Uint32Array, b: Uint32Array, d: number): boolean {
  if (d > c.t) return false;
  const r = Math.min(c.t, c.g);
  if (d <= r) return true;
  const { starts, lens } = layout(c.m);
  const r1 = Math.floor(r / c.m);
  const extra = r - c.m * r1;
  for (let t = 0; t < c.m; t++) {
    const rt = t <= extra ? r1 : r1 - 1;
    if (rt < 0) continue;
    if (popcount32(substring(a, 0, starts[t], lens[t]) ^ substring(b, 0, starts[t], lens[t])) <= rt) return true;
  }
  return false;
}
const layouts = new Map<number, { starts: number[]; lens: number[] }>();
function layout(m: number) {
  if (!layouts.has(m)) layouts.set(m, substringLayout(m));
  return layouts.get(m)!;
}

/** A value in a bit order (a new array; the value itself without one). */
export function inOrder(v: Uint32Array, order: BitOrder | undefined): Uint32Array {
  if (!order) return v;
  const o = new Uint32Array(8);
  permuteWords(v, order, o);
  return o;
}
