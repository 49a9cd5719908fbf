/**
 * content_dct: the coarse hash (core/picture/coarse-hash.ts) of the picture inside a re-post. Banked: the picture
 * with its flat borders trimmed. Looked up: the same, plus the embedded picture of a screenshot (app chrome and
 * background cut away) and the picture turned back when it was re-posted tilted. Finds letterbox bars, frames,
 * screenshots, small rotations and orientation tags (the plane is upright before any of this).
 */
import { findContentBox, trimFlatBorders } from '../../picture/content-box.js';
import type { LumaPlane } from '../../picture/luma-plane.js';
import { areaTable, type Rect } from '../../picture/region-grid.js';
import { hashRegion, type RegionHash } from '../../picture/region-hash.js';
import { estimateTilt, untilt } from '../../picture/rotation.js';

/** Default match threshold (Hamming bits of 256); chosen in bench:robust so false matches stay at PDQ's level. */
export const CONTENT_DCT_THRESHOLD = 32;

/** Two boxes closer than this share of the plane's side on every edge are the same box. */
const SAME_BOX = 0.01;

function sameBox(a: Rect, b: Rect, p: LumaPlane): boolean {
  const tx = p.width * SAME_BOX;
  const ty = p.height * SAME_BOX;
  return Math.abs(a.x0 - b.x0) <= tx && Math.abs(a.x1 - b.x1) <= tx && Math.abs(a.y0 - b.y0) <= ty && Math.abs(a.y1 - b.y1) <= ty;
}

/**
 * The content_dct hash a bank keeps for a picture (one).
 * @example bankContentDct(plane)[0].hash // 64 hex digits
 */
export function bankContentDct(plane: LumaPlane): RegionHash[] {
  return [hashRegion(areaTable(plane), trimFlatBorders(plane))];
}

/**
 * The content_dct hashes to look up for a picture: trimmed, embedded picture, turned back (1 to 3, no repeats).
 * @example queryContentDct(screenshotPlane).length // 2
 */
export function queryContentDct(plane: LumaPlane): RegionHash[] {
  const table = areaTable(plane);
  const trimmed = trimFlatBorders(plane);
  const out = [hashRegion(table, trimmed)];
  const embedded = findContentBox(plane);
  if (!sameBox(embedded, trimmed, plane)) out.push(hashRegion(table, embedded));
  const tilt = estimateTilt(plane);
  if (tilt !== 0) {
    const upright = untilt(plane, -tilt);
    out.push(hashRegion(areaTable(upright), trimFlatBorders(upright)));
  }
  return out;
}
