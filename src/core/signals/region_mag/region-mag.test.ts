import { describe, expect, it } from 'vitest';
import { pdqDistance } from '../pdq/pdq-hex.js';
import { bankRegionMag, queryRegionMag, REGION_MAG_THRESHOLD } from './region-mag.js';
import { bankRegionDct, queryRegionDct } from '../region_dct/region-dct.js';
import { cropPlane, scenePlane } from '../../../../test/support/luma-planes.js';
import type { LumaPlane } from '../../picture/luma-plane.js';
import type { RegionHash } from '../../picture/region-hash.js';

function nearest(bank: RegionHash[], query: RegionHash[]): number {
  return Math.min(...query.flatMap((q) => bank.map((b) => pdqDistance(q.hash, b.hash))));
}
/** A crop keeping 1 - share of each side, taken mostly from the right and a little from the top. */
function offCentre(p: LumaPlane, share: number): LumaPlane {
  const keep = Math.round(p.width * (1 - share));
  return cropPlane(p, Math.round((p.width - keep) * 0.85), Math.round((p.height - keep) * 0.2), keep, keep);
}

describe('region_mag', () => {
  const seeds = [11, 12, 13, 14, 15];
  it('banks two values and looks up four', () => {
    const p = scenePlane(240, 180, 1);
    expect(bankRegionMag(p)).toHaveLength(2);
    expect(queryRegionMag(p)).toHaveLength(4);
  });
  it('finds crops of 10% and 15% taken mostly from one side, which shift the content past region_dct', () => {
    let dctLost = 0;
    for (const s of seeds) {
      const p = scenePlane(250, 250, s);
      for (const share of [0.1, 0.15]) {
        const q = offCentre(p, share);
        expect(nearest(bankRegionMag(p), queryRegionMag(q)), `seed ${s} crop ${share}`).toBeLessThanOrEqual(REGION_MAG_THRESHOLD);
        if (nearest(bankRegionDct(p), queryRegionDct(q)) > 32) dctLost++;
      }
    }
    expect(dctLost).toBeGreaterThanOrEqual(3);
  });
  it('keeps unrelated scenes apart', () => {
    for (const s of seeds) expect(nearest(bankRegionMag(scenePlane(240, 180, s)), queryRegionMag(scenePlane(240, 180, s + 100)))).toBeGreaterThan(REGION_MAG_THRESHOLD);
  });
});
