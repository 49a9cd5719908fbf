/**
 * The pixel work of the robust signals behind one interface, so that a thread runs it in WebAssembly where it can
 * (core/picture/wasm/picture-wasm.ts) and in JS elsewhere, with the same values bit for bit: the luma plane, the
 * summed-area table, the content box's loops (flat borders, a screenshot's background), a tilted picture's fill
 * edges, and the hash of a region (region_dct's DCT hash, region_mag's magnitude hash). The JS functions are the
 * definition; the WebAssembly ones repeat their float operations in the same order.
 */
import type { PixelGrid } from '../signals/pdq/pixel-grid.js';
import { columnsMostlyOther, rowsMostlyOther, trimFlatBorders, type ContentBoxLoops } from './content-box.js';
import { lumaPlaneFromPixels, PLANE_MAX_SIDE, type LumaPlane } from './luma-plane.js';
import { fillEdges, type FillEdges } from './rotation.js';
import { areaTable, type AreaTable, type Rect } from './region-grid.js';
import { hashRegion, hashRegionMagnitudes, type RegionHash } from './region-hash.js';

/** The kernels; trimFlatBorders, rowsMostlyOther and columnsMostlyOther come from ContentBoxLoops. */
export interface PictureKernels extends ContentBoxLoops {
  /** 'js' or 'wasm-simd'. */
  readonly name: string;
  /** lumaPlaneFromPixels. */
  lumaPlane(img: PixelGrid, maxSide?: number): LumaPlane;
  /** areaTable. */
  areaTable(plane: LumaPlane): AreaTable;
  /** fillEdges: where each row and column meets content past a tilted picture's fill. */
  fillEdges(plane: LumaPlane, fill: number): FillEdges;
  /** hashRegion: region_dct's hash of a rectangle. */
  hashRegion(t: AreaTable, rect: Rect): RegionHash;
  /** hashRegionMagnitudes: region_mag's hash of a rectangle. */
  hashRegionMagnitudes(t: AreaTable, rect: Rect): RegionHash;
}

/** The JS core: the definition of every value, and the fallback where WebAssembly SIMD is missing. */
export const jsPictureKernels: PictureKernels = {
  name: 'js',
  lumaPlane: (img, maxSide = PLANE_MAX_SIDE) => lumaPlaneFromPixels(img, maxSide),
  areaTable,
  trimFlatBorders,
  rowsMostlyOther,
  columnsMostlyOther,
  fillEdges,
  hashRegion,
  hashRegionMagnitudes,
};
