/**
 * centre_dct: coarse hashes of central regions of the (border-trimmed) picture on a ladder of sizes, for crops.
 * A re-post cropped to a share c of each side shows the original's central region of share b as its own central
 * region of share b / c. The bank keeps regions of shares F and F*r^4, a lookup tries F, F/r, F/r^2 and F/r^3, so
 * the 8 ratios r^0..r^7 cover crops down to c = 0.75 in steps of 4% (a region hash tolerates about 2% of scale).
 */
import { trimFlatBorders } from '../../picture/content-box.js';
import type { LumaPlane } from '../../picture/luma-plane.js';
import { areaTable } from '../../picture/region-grid.js';
import { hashRegion, subRect, type RegionHash } from '../../picture/region-hash.js';

/** Default match threshold (Hamming bits of 256); chosen in bench:robust so false matches stay at PDQ's level. */
export const CENTRE_DCT_THRESHOLD = 32;

/** Share of each side of the largest banked central region. */
export const CENTRE_SHARE = 0.6;
/** Smallest crop covered: the re-post keeps this share of each side. */
export const SMALLEST_CROP = 0.75;
/** Ratio between neighbouring rungs of the ladder. */
export const CENTRE_STEP = SMALLEST_CROP ** (1 / 7);
const BANK_RUNGS = [0, 4];
const QUERY_RUNGS = [0, -1, -2, -3];

function ladder(plane: LumaPlane, rungs: number[]): RegionHash[] {
  const table = areaTable(plane);
  const box = trimFlatBorders(plane);
  return rungs.map((k) => hashRegion(table, subRect(box, CENTRE_SHARE * CENTRE_STEP ** k)));
}

/**
 * The centre_dct hashes a bank keeps for a picture (two).
 * @example bankCentreDct(plane).length // 2
 */
export function bankCentreDct(plane: LumaPlane): RegionHash[] {
  return ladder(plane, BANK_RUNGS);
}

/**
 * The centre_dct hashes to look up for a picture (four).
 * @example queryCentreDct(croppedPlane).length // 4
 */
export function queryCentreDct(plane: LumaPlane): RegionHash[] {
  return ladder(plane, QUERY_RUNGS);
}
