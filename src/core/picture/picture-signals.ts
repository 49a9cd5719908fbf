/**
 * The robust signals of one decoded photo, on the picture as it is shown (EXIF orientation applied): region_dct and
 * region_mag.
 * A bank keeps few values per picture; a lookup tries more forms of the query (see the signal's folder). PDQ is not
 * here: it stays exactly as the reference computes it, on the stored pixels.
 */
import type { PixelGrid } from '../signals/pdq/pixel-grid.js';
import { bankRegionDct, queryRegionDct } from '../signals/region_dct/region-dct.js';
import { bankRegionMag, queryRegionMag, queryRegionMagShifted } from '../signals/region_mag/region-mag.js';
import type { RegionDctValue } from '../content/media-hash.js';
import type { RegionHash } from './region-hash.js';
import { isOrientation, orientPlane } from './luma-plane.js';
import { jsPictureKernels, type PictureKernels } from './picture-kernels.js';
import { RegionContext } from './region-context.js';

/** Which side a picture is hashed for: kept in a bank, looked up (more forms), or both (a scan stores and looks up). */
export type SignalRole = 'bank' | 'query' | 'both';

/** Robust values under this quality (flat regions) are neither banked nor looked up: they match anything flat. */
export const MIN_ROBUST_QUALITY = 20;

/** Pictures smaller than this on a side get no robust signals (nothing left to crop or trim). */
export const MIN_ROBUST_SIDE = 32;

export interface RobustSignals {
  regionDct?: RegionDctValue[];
  regionDctQuery?: RegionDctValue[];
  regionMag?: RegionDctValue[];
  regionMagQuery?: RegionDctValue[];
  /** Off-centre region_mag forms a lookup tries, each matched only within REGION_MAG_SHIFTED_REACH. */
  regionMagShifted?: RegionDctValue[];
}

function keep(hashes: RegionHash[]): RegionDctValue[] {
  const seen = new Set<string>();
  const out: RegionDctValue[] = [];
  for (const h of hashes) {
    if (h.quality < MIN_ROBUST_QUALITY || seen.has(h.hash)) continue;
    seen.add(h.hash);
    out.push({ value: h.hash, quality: h.quality });
  }
  return out;
}

/**
 * The robust signals of decoded pixels; `orientation` is the file's EXIF orientation (1..8; anything else: 1).
 * `kernels`: the thread's WebAssembly kernels (core/picture/wasm/picture-wasm.ts) where it has them; the JS core
 * by default (the same values).
 * @example robustPhotoSignals(pixels, 6, 'bank').regionDct?.length // 7
 */
export function robustPhotoSignals(pixels: PixelGrid, orientation: unknown, role: SignalRole, kernels: PictureKernels = jsPictureKernels): RobustSignals {
  if (pixels.width < MIN_ROBUST_SIDE || pixels.height < MIN_ROBUST_SIDE) return {};
  const stored = kernels.lumaPlane(pixels);
  const plane = isOrientation(orientation) ? orientPlane(stored, orientation) : stored;
  // One summed-area table, content box and untilted plane for every region of both types.
  const ctx = new RegionContext(plane, kernels);
  return {
    ...(role !== 'query' ? { regionDct: keep(bankRegionDct(plane, ctx)), regionMag: keep(bankRegionMag(plane, ctx)) } : {}),
    ...(role !== 'bank' ? { regionDctQuery: keep(queryRegionDct(plane, ctx)), regionMagQuery: keep(queryRegionMag(plane, ctx)), regionMagShifted: keep(queryRegionMagShifted(plane, ctx)) } : {}),
  };
}
