/**
 * The hash of one rectangle of a luma plane: the 64x64 cell means of the rectangle, their low-frequency DCT and
 * SimHash (coarse-hash.ts), and PDQ's quality measure of the grid. Comparable with other region hashes by Hamming
 * distance; not a PDQ value and never exchanged as one.
 */
import { pdqQuality } from '../signals/pdq/pdq-hash.js';
import { simHashHex, lowDct } from './coarse-hash.js';
import { magnitudeHashHex } from './magnitude-hash.js';
import { regionGrid64, type AreaTable, type Rect } from './region-grid.js';

export interface RegionHash {
  /** 64 lower-case hex digits. */
  hash: string;
  /** PDQ's quality measure of the region's grid, 0..100. */
  quality: number;
}

/**
 * Hashes a rectangle of a plane (through its summed-area table) with the coarse hash of coarse-hash.ts.
 * @example hashRegion(areaTable(plane), { x0: 0, y0: 0, x1: plane.width, y1: plane.height }).hash
 */
export function hashRegion(t: AreaTable, rect: Rect): RegionHash {
  const grid = regionGrid64(t, rect);
  return { hash: simHashHex(lowDct(grid)), quality: pdqQuality(grid) };
}

/**
 * Hashes a rectangle with the translation-tolerant magnitude hash of magnitude-hash.ts (off-centre crops).
 * @example hashRegionMagnitudes(areaTable(plane), subRect(box, 0.8)).hash
 */
export function hashRegionMagnitudes(t: AreaTable, rect: Rect): RegionHash {
  const grid = regionGrid64(t, rect);
  return { hash: magnitudeHashHex(grid), quality: pdqQuality(grid) };
}

/** The rectangle of `share` of each side of `box`, centred on the point (cx, cy) given as fractions of the box. */
export function subRect(box: Rect, share: number, cx = 0.5, cy = 0.5): Rect {
  const w = (box.x1 - box.x0) * share;
  const h = (box.y1 - box.y0) * share;
  const x = box.x0 + (box.x1 - box.x0) * cx;
  const y = box.y0 + (box.y1 - box.y0) * cy;
  return { x0: x - w / 2, y0: y - h / 2, x1: x + w / 2, y1: y + h / 2 };
}
