/**
 * Finds the picture inside a re-post: strips near-uniform borders (letterbox bars, frames of any colour, several
 * nested) and, in a screenshot, the app's chrome around the embedded picture (status bar, toolbars, captions on a
 * flat background), by projection profiles of rows and columns that are mostly the background colour.
 * Works on a LumaPlane; returns a rectangle in its pixels. For a plain photo it returns the whole plane.
 */
import type { LumaPlane } from './luma-plane.js';
import type { Rect } from './region-grid.js';

/** A row or column is flat when its luma spread (max - min over its middle 96%) is at most this. */
export const FLAT_SPREAD = 12;
/** A row belongs to the background when this share of its pixels is within BACKGROUND_TOLERANCE of the background. */
export const BACKGROUND_SHARE = 0.7;
export const BACKGROUND_TOLERANCE = 10;
/** The content box keeps at least this share of each side (past it, the picture is taken as it is). */
export const MIN_CONTENT_SHARE = 0.2;

/** Share of the pixels of a row (or column) from `from` to `to` within BACKGROUND_TOLERANCE of `bg`. */
function backgroundShare(p: LumaPlane, index: number, isRow: boolean, from: number, to: number, bg: number): number {
  const d = p.data;
  const start = isRow ? index * p.width : index;
  const step = isRow ? 1 : p.width;
  let n = 0;
  for (let k = from, i = start + from * step; k < to; k++, i += step) if (Math.abs(d[i] - bg) <= BACKGROUND_TOLERANCE) n++;
  return n / (to - from);
}

/** For each row, whether under BACKGROUND_SHARE of its pixels are within BACKGROUND_TOLERANCE of `bg`. */
export function rowsMostlyOther(p: LumaPlane, bg: number): boolean[] {
  const rowMask: boolean[] = [];
  for (let y = 0; y < p.height; y++) rowMask.push(backgroundShare(p, y, true, 0, p.width, bg) < BACKGROUND_SHARE);
  return rowMask;
}

/**
 * For each column, whether under BACKGROUND_SHARE of its pixels from row `from` to `to` are within
 * BACKGROUND_TOLERANCE of `bg` (backgroundShare of each column), counted row by row: the plane is read in order, not
 * a column at a time across it.
 */
export function columnsMostlyOther(p: LumaPlane, from: number, to: number, bg: number): boolean[] {
  const { width: w, data: d } = p;
  const near = new Int32Array(w);
  for (let y = from; y < to; y++) {
    for (let x = 0, i = y * w; x < w; x++, i++) if (Math.abs(d[i] - bg) <= BACKGROUND_TOLERANCE) near[x]++;
  }
  const out: boolean[] = [];
  for (let x = 0; x < w; x++) out.push(near[x] / (to - from) < BACKGROUND_SHARE);
  return out;
}

/** The lowest and highest values a line keeps while looking for its ranks (grown for longer lines). */
let lowest = new Float32Array(8);
let highest = new Float32Array(8);

/**
 * True when the row (or column) `index` from `from` to `to` is flat: the spread between its values at ranks
 * floor(2% n) and ceil(98% n) - 1 (what sorting would give) is at most FLAT_SPREAD. Read in place in one pass,
 * without allocating: only the few lowest and highest values are kept, not the line sorted (the whole range of a
 * line within FLAT_SPREAD needs no other test: the ranks' spread is never wider). The kept rank values only move
 * apart as more of the line is read, so the first time they are more than FLAT_SPREAD apart the line is not flat:
 * the rest is not read.
 * @example isFlatLine(plane, 0, true, 0, plane.width) // true for a letterbox bar
 */
export function isFlatLine(p: LumaPlane, index: number, isRow: boolean, from: number, to: number): boolean {
  const d = p.data;
  const step = isRow ? 1 : p.width;
  const n = to - from;
  const lo = Math.floor(n * 0.02);
  const hi = n - 1 - Math.min(n - 1, Math.ceil(n * 0.98) - 1);
  if (lowest.length <= lo) lowest = new Float32Array(2 * lo + 2);
  if (highest.length <= hi) highest = new Float32Array(2 * hi + 2);
  const low = lowest.fill(Infinity, 0, lo + 1);
  const high = highest.fill(-Infinity, 0, hi + 1);
  // low[lo] and high[hi], the values a new one must pass to be kept, held in locals.
  let lowBar = Infinity;
  let highBar = -Infinity;
  for (let k = 0, i = (isRow ? index * p.width : index) + from * step; k < n; k++, i += step) {
    const x = d[i];
    if (x < lowBar) {
      let j = lo;
      while (j > 0 && low[j - 1] > x) { low[j] = low[j - 1]; j--; }
      low[j] = x;
      lowBar = low[lo];
      if (highBar - lowBar > FLAT_SPREAD) return false;
    }
    if (x > highBar) {
      let j = hi;
      while (j > 0 && high[j - 1] < x) { high[j] = high[j - 1]; j--; }
      high[j] = x;
      highBar = high[hi];
      if (highBar - lowBar > FLAT_SPREAD) return false;
    }
  }
  return highBar - lowBar <= FLAT_SPREAD;
}

/** Trims flat rows and columns off every edge, repeatedly, so nested frames of different colours all go. */
export function trimFlatBorders(p: LumaPlane, box: Rect = { x0: 0, y0: 0, x1: p.width, y1: p.height }): Rect {
  let { x0, y0, x1, y1 } = box;
  const minW = Math.max(2, Math.ceil(p.width * MIN_CONTENT_SHARE));
  const minH = Math.max(2, Math.ceil(p.height * MIN_CONTENT_SHARE));
  let changed = true;
  while (changed) {
    changed = false;
    while (y1 - y0 > minH && isFlatLine(p, y0, true, x0, x1)) { y0++; changed = true; }
    while (y1 - y0 > minH && isFlatLine(p, y1 - 1, true, x0, x1)) { y1--; changed = true; }
    while (x1 - x0 > minW && isFlatLine(p, x0, false, y0, y1)) { x0++; changed = true; }
    while (x1 - x0 > minW && isFlatLine(p, x1 - 1, false, y0, y1)) { x1--; changed = true; }
  }
  return { x0, y0, x1, y1 };
}

/** A screenshot's outer ring is mostly its background colour: at least this share of it within tolerance. */
export const SCREEN_RING_SHARE = 0.6;

/** The value of rank k (0: the smallest) among v, which it reorders: what v.sort()[k] gives, without the sort
 * (a three-way quickselect, so a ring of one colour costs one pass). */
export function rankValue(v: Float32Array, k: number): number {
  let lo = 0;
  let hi = v.length - 1;
  while (lo < hi) {
    const a = v[lo];
    const b = v[(lo + hi) >> 1];
    const c = v[hi];
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : (a < c ? a : b < c ? c : b);
    let lt = lo;
    let i = lo;
    let gt = hi;
    while (i <= gt) {
      const x = v[i];
      if (x < pivot) { v[i] = v[lt]; v[lt] = x; lt++; i++; }
      else if (x > pivot) { v[i] = v[gt]; v[gt] = x; gt--; }
      else i++;
    }
    if (k < lt) hi = lt - 1;
    else if (k > gt) lo = gt + 1;
    else return pivot;
  }
  return v[k];
}

/** The outer ring's colour of each plane seen (findContentBox and findContentBoxByEnds both read it). */
const ringColours = new WeakMap<LumaPlane, { colour: number; share: number }>();

/** Median luma of the plane's outermost ring (the screen's background colour in a screenshot) and its share; with
 * `sides` false, of its top and bottom rows only. */
function borderColour(p: LumaPlane, sides = true): { colour: number; share: number } {
  const known = sides ? ringColours.get(p) : undefined;
  if (known) return known;
  const { width: w, height: h, data } = p;
  const v = new Float32Array(2 * w + (sides ? 2 * h : 0));
  let n = 0;
  for (let x = 0; x < w; x++) { v[n++] = data[x]; v[n++] = data[(h - 1) * w + x]; }
  if (sides) for (let y = 0; y < h; y++) { v[n++] = data[y * w]; v[n++] = data[y * w + w - 1]; }
  const colour = rankValue(v, v.length >> 1);
  let near = 0;
  for (let i = 0; i < v.length; i++) if (Math.abs(v[i] - colour) <= BACKGROUND_TOLERANCE) near++;
  const ring = { colour, share: near / v.length };
  if (sides) ringColours.set(p, ring);
  return ring;
}

/** The longest run of `true` in a mask, bridging gaps of up to `gap` false entries. */
function longestRun(mask: boolean[], gap: number): [number, number] {
  let best: [number, number] = [0, 0];
  let start = -1;
  let lastTrue = -1;
  for (let i = 0; i <= mask.length; i++) {
    if (i < mask.length && mask[i]) {
      if (start < 0 || i - lastTrue - 1 > gap) start = i;
      lastTrue = i;
      if (lastTrue + 1 - start > best[1] - best[0]) best = [start, lastTrue + 1];
    }
  }
  return best;
}

/**
 * The box of the picture in a re-post: flat borders trimmed, then, when the outer ring is one flat colour (a
 * screenshot's background), the longest band of rows that are not mostly that colour, then the same for columns
 * inside the band, then flat borders trimmed again. `trimmed` gives the plane with its flat borders trimmed (a
 * caller that has it already passes it); `loops` runs the pixel loops (a thread's kernels may: the same box).
 * @example findContentBox(plane) // { x0: 0, y0: 61, x1: 256, y1: 205 } for a story screenshot
 */
export function findContentBox(p: LumaPlane, trimmed: () => Rect = () => trimFlatBorders(p), loops: ContentBoxLoops = jsContentBoxLoops): Rect {
  const whole: Rect = { x0: 0, y0: 0, x1: p.width, y1: p.height };
  if (p.width < 8 || p.height < 8) return whole;
  const ring = borderColour(p);
  if (ring.share < SCREEN_RING_SHARE) return trimmed();
  return screenBox(p, ring.colour, loops);
}

/**
 * The pixel loops of the content box: the JS ones here; a thread's kernels (core/picture/picture-kernels.ts) may run
 * them elsewhere (WebAssembly), with the same results.
 */
export interface ContentBoxLoops {
  trimFlatBorders(p: LumaPlane, box?: Rect): Rect;
  rowsMostlyOther(p: LumaPlane, bg: number): boolean[];
  columnsMostlyOther(p: LumaPlane, from: number, to: number, bg: number): boolean[];
}

export const jsContentBoxLoops: ContentBoxLoops = { trimFlatBorders, rowsMostlyOther, columnsMostlyOther };

/** The band of rows, then of columns inside it, that are not mostly the screen's background `bg`, trimmed. */
function screenBox(p: LumaPlane, bg: number, loops: ContentBoxLoops): Rect {
  const [ry0, ry1] = longestRun(loops.rowsMostlyOther(p, bg), Math.max(1, Math.round(p.height * 0.01)));
  let box: Rect = { x0: 0, y0: 0, x1: p.width, y1: p.height };
  if (ry1 - ry0 >= p.height * MIN_CONTENT_SHARE) {
    const colMask = loops.columnsMostlyOther(p, ry0, ry1, bg);
    const [cx0, cx1] = longestRun(colMask, Math.max(1, Math.round(p.width * 0.01)));
    if (cx1 - cx0 >= p.width * MIN_CONTENT_SHARE) box = { x0: cx0, y0: ry0, x1: cx1, y1: ry1 };
  }
  return loops.trimFlatBorders(p, box);
}

/** A screen whose picture reaches both sides (a feed post fitted to the width): its top and bottom rows are this
 * share of one colour, though its sides are mostly picture. */
export const SCREEN_ENDS_SHARE = 0.9;

/**
 * The picture inside a screenshot whose outer ring is mostly picture (findContentBox takes it as a photo): when the
 * top and bottom rows are one colour, the band of rows and columns that are not that colour; null otherwise (and
 * when findContentBox already treats the plane as a screenshot).
 * @example findContentBoxByEnds(feedScreenshotPlane) // { x0: 0, y0: 41, x1: 118, y1: 197 }
 */
export function findContentBoxByEnds(p: LumaPlane, loops: ContentBoxLoops = jsContentBoxLoops): Rect | null {
  if (p.width < 8 || p.height < 8 || borderColour(p).share >= SCREEN_RING_SHARE) return null;
  const ends = borderColour(p, false);
  return ends.share < SCREEN_ENDS_SHARE ? null : screenBox(p, ends.colour, loops);
}
