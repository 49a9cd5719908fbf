/**
 * What the region signals (region_dct, region_mag) of one upright plane share, each computed once and only when
 * asked for: the summed-area table, the box with flat borders trimmed, the embedded picture's box, and the plane
 * turned back upright after a small tilt (with its own table and trimmed box), or null when it is not tilted.
 * Tables and region hashes come from the thread's kernels (WebAssembly or JS: the same values).
 */
import { findContentBox, findContentBoxByEnds } from './content-box.js';
import type { LumaPlane } from './luma-plane.js';
import type { AreaTable, Rect } from './region-grid.js';
import { jsPictureKernels, type PictureKernels } from './picture-kernels.js';
import type { RegionHash } from './region-hash.js';
import { estimateTilt, untilt } from './rotation.js';

export interface UprightPlane {
  plane: LumaPlane;
  table: AreaTable;
  trimmed: Rect;
}

/**
 * The shared parts of one plane, lazily.
 * @example const ctx = new RegionContext(plane); ctx.embedded // the picture inside a screenshot
 */
export class RegionContext {
  private tableCache?: AreaTable;
  private trimmedCache?: Rect;
  private embeddedCache?: Rect;
  private byEndsCache?: Rect | null;
  private uprightCache?: UprightPlane | null;

  constructor(readonly plane: LumaPlane, readonly kernels: PictureKernels = jsPictureKernels) {}

  get table(): AreaTable {
    return (this.tableCache ??= this.kernels.areaTable(this.plane));
  }

  /** region_dct's hash of a rectangle of a table of this context (hashRegion). */
  hash(t: AreaTable, rect: Rect): RegionHash {
    return this.kernels.hashRegion(t, rect);
  }

  /** region_mag's hash of a rectangle of a table of this context (hashRegionMagnitudes). */
  hashMagnitudes(t: AreaTable, rect: Rect): RegionHash {
    return this.kernels.hashRegionMagnitudes(t, rect);
  }

  get trimmed(): Rect {
    return (this.trimmedCache ??= this.kernels.trimFlatBorders(this.plane));
  }

  get embedded(): Rect {
    return (this.embeddedCache ??= findContentBox(this.plane, () => this.trimmed, this.kernels));
  }

  /** The picture inside a screenshot whose sides are mostly picture (findContentBoxByEnds), or null. */
  get embeddedByEnds(): Rect | null {
    if (this.byEndsCache === undefined) this.byEndsCache = findContentBoxByEnds(this.plane, this.kernels);
    return this.byEndsCache;
  }

  /** The picture turned back upright when it was tilted (estimateTilt), else null. */
  get upright(): UprightPlane | null {
    if (this.uprightCache === undefined) {
      const tilt = estimateTilt(this.plane, (p, fill) => this.kernels.fillEdges(p, fill));
      if (tilt === 0) this.uprightCache = null;
      else {
        const plane = untilt(this.plane, tilt);
        this.uprightCache = { plane, table: this.kernels.areaTable(plane), trimmed: this.kernels.trimFlatBorders(plane) };
      }
    }
    return this.uprightCache;
  }
}
