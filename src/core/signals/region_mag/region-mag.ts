/**
 * region_mag: the shift-tolerant magnitude hash (core/picture/magnitude-hash.ts) of the central region of the picture
 * inside a re-post, for off-centre crops, which shift the content inside every region region_dct hashes.
 * - banked (2 values): the central regions of shares 0.8 and 0.8 r^4 of the picture's content box;
 * - looked up (4, or 8 for a tilted picture): the central regions of shares 0.8 r^0, r^-1, r^-2, r^-3 of the
 *   query's content box (and of the picture turned back upright),
 * with r = region_dct's ladder step: the share ratios cover a crop keeping 0.75..1 of each side, as for centred
 * crops. Less distinctive than region_dct (unrelated pictures come closer), hence its own, lower threshold.
 * - looked up off-centre (16 more): the same 4 shares centred 6% of the box off its middle towards each corner,
 *   matched only within REGION_MAG_SHIFTED_REACH: an off-centre crop moves the original's central region up to 17%
 *   off the crop's middle, too far for the magnitudes alone (bench/robust/offset-grid-explore.ts).
 */
import type { LumaPlane } from '../../picture/luma-plane.js';
import { RegionContext } from '../../picture/region-context.js';
import { subRect, type RegionHash } from '../../picture/region-hash.js';
import { LADDER_STEP } from '../region_dct/region-dct.js';
import type { Rect } from '../../picture/region-grid.js';

/**
 * Default match threshold (Hamming bits of 256), chosen so false matches stay at PDQ's level: with the balanced
 * magnitudes (magnitude-hash.ts) unrelated regions stay farther apart (bench/robust/learn-magnitude-centre.ts
 * --check: of 100,000 unrelated pairs the nearest at 34 bits, 0.1% within 65), so the threshold rose from 22 to 32;
 * bench/robust/index-recall.ts (2026-12-01, 666 edits, 986 real pictures): all edits 95.9% found at 32 with the
 * off-centre values within 26, 96.5% within 28; false matches 2/666 as PDQ alone; at 36 (reach 30) 3/666.
 */
export const REGION_MAG_THRESHOLD = 32;
/** Share of each side of the central region hashed at rung 0. */
export const MAGNITUDE_SHARE = 0.8;
const BANK_RUNGS = [0, 4];
const QUERY_RUNGS = [0, -1, -2, -3];
/** Centres of the off-centre lookup regions, as shares of the box off its middle (towards each corner). */
const SHIFTED_CENTRES: [number, number][] = [[-0.06, -0.06], [0.06, -0.06], [-0.06, 0.06], [0.06, 0.06]];
/**
 * The largest distance at which an off-centre lookup value matches: tighter than the threshold, as 16 more values
 * a lookup meet more strangers. bench/robust/index-recall.ts (2026-12-01, threshold 32, exact distances): off-centre
 * crops found 58/90 without these values, 78/90 within 26, 81/90 within 28, with no more false matches among real
 * pictures (2/666, as PDQ alone). Before the magnitudes were balanced: 18 of a threshold of 22.
 */
export const REGION_MAG_SHIFTED_REACH = 28;

/** `share` of the box's sides centred (dx, dy) off its middle, moved inward to stay inside the box. */
export function shiftedRect(box: Rect, share: number, dx: number, dy: number): Rect {
  const s = Math.min(share, 1);
  const cx = Math.min(Math.max(0.5 + dx, s / 2), 1 - s / 2);
  const cy = Math.min(Math.max(0.5 + dy, s / 2), 1 - s / 2);
  return subRect(box, s, cx, cy);
}

/**
 * The region_mag values a bank keeps for an upright picture.
 * @example bankRegionMag(plane).length // 2
 */
export function bankRegionMag(plane: LumaPlane, ctx = new RegionContext(plane)): RegionHash[] {
  const { table, embedded: box } = ctx;
  return BANK_RUNGS.map((k) => ctx.hashMagnitudes(table, subRect(box, MAGNITUDE_SHARE * LADDER_STEP ** k)));
}

/**
 * The region_mag values to look up for an upright picture: 4, and 4 more of the picture turned back upright when
 * it was tilted (the cut after turning it back is not exact: the magnitudes tolerate the shift).
 * @example queryRegionMag(plane).length // 4
 */
export function queryRegionMag(plane: LumaPlane, ctx = new RegionContext(plane)): RegionHash[] {
  const { table, embedded: box } = ctx;
  const out = QUERY_RUNGS.map((k) => ctx.hashMagnitudes(table, subRect(box, MAGNITUDE_SHARE * LADDER_STEP ** k)));
  const upright = ctx.upright;
  if (upright) out.push(...QUERY_RUNGS.map((k) => ctx.hashMagnitudes(upright.table, subRect(upright.trimmed, MAGNITUDE_SHARE * LADDER_STEP ** k))));
  return out;
}

/**
 * The off-centre region_mag values to look up for an upright picture (16), each to match only within
 * REGION_MAG_SHIFTED_REACH.
 * @example queryRegionMagShifted(plane).length // 16
 */
export function queryRegionMagShifted(plane: LumaPlane, ctx = new RegionContext(plane)): RegionHash[] {
  const { table, embedded: box } = ctx;
  return QUERY_RUNGS.flatMap((k) => SHIFTED_CENTRES.map(([dx, dy]) => ctx.hashMagnitudes(table, shiftedRect(box, MAGNITUDE_SHARE * LADDER_STEP ** k, dx, dy))));
}
