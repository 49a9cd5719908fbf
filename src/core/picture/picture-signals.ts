/**
 * The robust signals of one decoded photo, on the picture as it is shown (EXIF orientation applied): region_dct.
 * A bank keeps few values per picture; a lookup tries more forms of the query (see the signal's folder). PDQ is not
 * here: it stays exactly as the reference computes it, on the stored pixels.
 */
import type { PixelGrid } from '../signals/pdq/pixel-grid.js';
import { bankRegionDct, queryRegionDct } from '../signals/region_dct/region-dct.js';
import { isOrientation, lumaPlaneFromPixels, orientPlane } from './luma-plane.js';

/** Which side a picture is hashed for: kept in a bank, or looked up (more forms, more values). */
export type SignalRole = 'bank' | 'query';

/** Storage names of the robust signal types (never renamed). */
export const ROBUST_SIGNAL_TYPES = ['region_dct'] as const;
export type RobustSignalType = (typeof ROBUST_SIGNAL_TYPES)[number];

export interface RobustSignal {
  type: RobustSignalType;
  /** 64 lower-case hex digits. */
  value: string;
  /** PDQ's quality measure of the hashed region, 0..100. */
  quality: number;
}

/** Robust values under this quality (flat regions) are neither banked nor looked up: they match anything flat. */
export const MIN_ROBUST_QUALITY = 20;

/** Pictures smaller than this on a side get no robust signals (nothing left to crop or trim). */
export const MIN_ROBUST_SIDE = 32;

/**
 * The robust signals of decoded pixels; `orientation` is the file's EXIF orientation (1..8; anything else: 1).
 * @example robustPhotoSignals(pixels, 6, 'bank').length // 3 region_dct values
 */
export function robustPhotoSignals(pixels: PixelGrid, orientation: unknown, role: SignalRole): RobustSignal[] {
  if (pixels.width < MIN_ROBUST_SIDE || pixels.height < MIN_ROBUST_SIDE) return [];
  const stored = lumaPlaneFromPixels(pixels);
  const plane = isOrientation(orientation) ? orientPlane(stored, orientation) : stored;
  const hashes = role === 'bank' ? bankRegionDct(plane) : queryRegionDct(plane);
  const seen = new Set<string>();
  const out: RobustSignal[] = [];
  for (const h of hashes) {
    if (h.quality < MIN_ROBUST_QUALITY || seen.has(h.hash)) continue;
    seen.add(h.hash);
    out.push({ type: 'region_dct', value: h.hash, quality: h.quality });
  }
  return out;
}
