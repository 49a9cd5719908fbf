/**
 * The robust signals of one decoded photo, on the picture as it is shown (EXIF orientation applied): content_dct
 * and centre_dct. A bank keeps few values per picture; a lookup tries more forms of the query (see each signal's
 * folder). PDQ is not here: it stays exactly as the reference computes it, on the stored pixels.
 */
import type { PixelGrid } from '../signals/pdq/pixel-grid.js';
import { bankCentreDct, queryCentreDct } from '../signals/centre_dct/centre-dct.js';
import { bankContentDct, queryContentDct } from '../signals/content_dct/content-dct.js';
import { isOrientation, lumaPlaneFromPixels, orientPlane } from './luma-plane.js';

/** Which side a picture is hashed for: kept in a bank, or looked up (more forms, more values). */
export type SignalRole = 'bank' | 'query';

/** Storage names of the robust signal types (never renamed). */
export const ROBUST_SIGNAL_TYPES = ['content_dct', 'centre_dct'] as const;
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
 * @example robustPhotoSignals(pixels, 6, 'bank').map((s) => s.type) // ['content_dct', 'centre_dct', 'centre_dct']
 */
export function robustPhotoSignals(pixels: PixelGrid, orientation: unknown, role: SignalRole): RobustSignal[] {
  if (pixels.width < MIN_ROBUST_SIDE || pixels.height < MIN_ROBUST_SIDE) return [];
  const stored = lumaPlaneFromPixels(pixels);
  const plane = isOrientation(orientation) ? orientPlane(stored, orientation) : stored;
  const content = role === 'bank' ? bankContentDct(plane) : queryContentDct(plane);
  const centre = role === 'bank' ? bankCentreDct(plane) : queryCentreDct(plane);
  const seen = new Set<string>();
  const out: RobustSignal[] = [];
  for (const [type, hashes] of [['content_dct', content], ['centre_dct', centre]] as const) {
    for (const h of hashes) {
      if (seen.has(type + h.hash)) continue;
      seen.add(type + h.hash);
      out.push({ type, value: h.hash, quality: h.quality });
    }
  }
  return out;
}
