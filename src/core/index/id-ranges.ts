/**
 * Sets of entry ids written as sorted, merged [from, to] ranges: how the bank change log names what was added
 * or removed (an import or a withdrawn bank is a few ranges, not a million ids), and how an index tests ids.
 */

export type IdRange = readonly [number, number];

/**
 * The ids as sorted, merged, inclusive ranges.
 * @example toIdRanges([5, 1, 2, 3]) // [[1, 3], [5, 5]]
 */
export function toIdRanges(ids: Iterable<number>): [number, number][] {
  const sorted = [...ids].sort((a, b) => a - b);
  const out: [number, number][] = [];
  for (const id of sorted) {
    const last = out[out.length - 1];
    if (last && id <= last[1] + 1) last[1] = Math.max(last[1], id);
    else out.push([id, id]);
  }
  return out;
}

/**
 * Sorted, merged copies of ranges (any order, overlapping allowed).
 * @example mergeIdRanges([[4, 6], [1, 5]]) // [[1, 6]]
 */
export function mergeIdRanges(ranges: Iterable<IdRange>): [number, number][] {
  const sorted = [...ranges].filter((r) => r[0] <= r[1]).map((r) => [r[0], r[1]] as [number, number]).sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r[0] <= last[1] + 1) last[1] = Math.max(last[1], r[1]);
    else out.push(r);
  }
  return out;
}

/**
 * True when id lies in one of the sorted, merged ranges (binary search).
 * @example inIdRanges([[1, 3], [7, 9]], 8) // true
 */
export function inIdRanges(ranges: readonly IdRange[], id: number): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const r = ranges[mid];
    if (id < r[0]) hi = mid - 1;
    else if (id > r[1]) lo = mid + 1;
    else return true;
  }
  return false;
}

/** How many ids the ranges hold. */
export function countIdRanges(ranges: readonly IdRange[]): number {
  let n = 0;
  for (const r of ranges) n += r[1] - r[0] + 1;
  return n;
}
