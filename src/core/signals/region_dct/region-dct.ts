/**
 * region_dct: coarse hashes (core/picture/coarse-hash.ts) of regions of the picture inside a re-post, for the
 * edits PDQ misses. All values of a picture are one signal type in one index, compared across roles:
 * - banked (7 values, 8 for a picture whose own border looks like a screen's): the picture with its flat borders
 *   trimmed (the embedded picture of a screenshot), its central regions of shares r^3 and r^7, its four quadrants,
 *   and, when the embedded box is most of the trimmed one but not all of it, the trimmed picture too;
 * - looked up (8 to 11): the trimmed picture, its central regions of shares r, r^2 and r^3, when they differ the
 *   embedded picture of a screenshot (found from its outer ring, or from its top and bottom rows when the picture
 *   reaches both sides) and the picture turned back upright after a small tilt, and last the four quadrants of the
 *   embedded picture.
 * A sticker or a caption over up to 15% of the picture changes the whole picture's low frequencies but mostly
 * leaves one quadrant intact: the quadrants meet their banked selves (same place in the same box). Off-centre crops
 * are region_mag's (a shift-tolerant hash with its own threshold).
 * Bars, frames, screenshots, tilts and orientation tags meet the banked whole picture. A crop to a share c of each
 * side shows the original's central share b as its own central share b / c; with banked b in {r^3, r^7} and looked-up
 * shares in {1, r, r^2, r^3}, the ratios cover c = r^0 .. r^7 = 0.75 in steps of 4% (a value tolerates about 2%).
 */
import type { LumaPlane } from '../../picture/luma-plane.js';
import { RegionContext } from '../../picture/region-context.js';
import type { Rect } from '../../picture/region-grid.js';
import { subRect, type RegionHash } from '../../picture/region-hash.js';

/** Default match threshold (Hamming bits of 256), chosen in bench:robust so false matches stay at PDQ's level. */
export const REGION_DCT_THRESHOLD = 32;
/** Smallest crop covered: the re-post keeps this share of each side. */
export const SMALLEST_CROP = 0.75;
/** Ratio between neighbouring rungs of the ladder of central regions. */
export const LADDER_STEP = SMALLEST_CROP ** (1 / 7);
const BANK_RUNGS = [3, 7];
const QUERY_RUNGS = [1, 2, 3];
/** Two boxes closer than this share of the plane's side on every edge are the same box. */
const SAME_BOX = 0.01;

/** The embedded box is "most of" the trimmed one from this share of its area. */
const EMBEDDED_MOST = 0.8;
const area = (r: Rect) => (r.x1 - r.x0) * (r.y1 - r.y0);

/** The four quadrants of a box: top-left, top-right, bottom-left, bottom-right. */
export function quadrants(box: Rect): Rect[] {
  const mx = (box.x0 + box.x1) / 2;
  const my = (box.y0 + box.y1) / 2;
  return [
    { x0: box.x0, y0: box.y0, x1: mx, y1: my }, { x0: mx, y0: box.y0, x1: box.x1, y1: my },
    { x0: box.x0, y0: my, x1: mx, y1: box.y1 }, { x0: mx, y0: my, x1: box.x1, y1: box.y1 },
  ];
}

function sameBox(a: Rect, b: Rect, p: LumaPlane): boolean {
  const tx = p.width * SAME_BOX;
  const ty = p.height * SAME_BOX;
  return Math.abs(a.x0 - b.x0) <= tx && Math.abs(a.x1 - b.x1) <= tx && Math.abs(a.y0 - b.y0) <= ty && Math.abs(a.y1 - b.y1) <= ty;
}

/**
 * The region_dct values a bank keeps for an upright picture: the picture (flat borders trimmed; inside a
 * screenshot, the embedded picture, so that two banked screenshots of one app do not meet on their chrome), then
 * its two central regions, then its four quadrants.
 * @example bankRegionDct(plane).length // 7 (8 when the trimmed box is banked too)
 */
export function bankRegionDct(plane: LumaPlane, ctx = new RegionContext(plane)): RegionHash[] {
  const { table, embedded: box } = ctx;
  const out = [ctx.hash(table, box), ...BANK_RUNGS.map((k) => ctx.hash(table, subRect(box, LADDER_STEP ** k))), ...quadrants(box).map((q) => ctx.hash(table, q))];
  // A picture whose own border looks like a screen's (a grey band along two sides) is cut differently once edited:
  // the trimmed picture is banked too when the embedded box is most of it (a real screenshot's picture is not).
  const { trimmed } = ctx;
  if (!sameBox(box, trimmed, plane) && area(box) >= EMBEDDED_MOST * area(trimmed)) out.push(ctx.hash(table, trimmed));
  return out;
}

/**
 * The region_dct values to look up for an upright picture (8 to 10).
 * @example queryRegionDct(screenshotPlane).length // 9
 */
export function queryRegionDct(plane: LumaPlane, ctx = new RegionContext(plane)): RegionHash[] {
  const { table, trimmed: box, embedded } = ctx;
  const out = [ctx.hash(table, box), ...QUERY_RUNGS.map((k) => ctx.hash(table, subRect(box, LADDER_STEP ** k)))];
  if (!sameBox(embedded, box, plane)) out.push(ctx.hash(table, embedded));
  const byEnds = ctx.embeddedByEnds;
  if (byEnds && !sameBox(byEnds, box, plane) && !sameBox(byEnds, embedded, plane)) out.push(ctx.hash(table, byEnds));
  const upright = ctx.upright;
  if (upright) out.push(ctx.hash(upright.table, upright.trimmed));
  out.push(...quadrants(embedded).map((q) => ctx.hash(table, q)));
  return out;
}
