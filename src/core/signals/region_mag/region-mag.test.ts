import { describe, expect, it } from 'vitest';
import { pdqDistance } from '../pdq/pdq-hex.js';
import { bankRegionMag, queryRegionMag, queryRegionMagShifted, REGION_MAG_SHIFTED_REACH, REGION_MAG_THRESHOLD } from './region-mag.js';
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
  it('finds off-centre crops of 5% always and of 10% on most scenes, where region_dct loses most of the 10% ones', () => {
    let found10 = 0;
    let dctLost10 = 0;
    for (const s of seeds) {
      const p = scenePlane(250, 250, s);
      expect(nearest(bankRegionMag(p), queryRegionMag(offCentre(p, 0.05))), `seed ${s} crop 5%`).toBeLessThanOrEqual(REGION_MAG_THRESHOLD);
      const q = offCentre(p, 0.1);
      if (nearest(bankRegionMag(p), queryRegionMag(q)) <= REGION_MAG_THRESHOLD) found10++;
      if (nearest(bankRegionDct(p), queryRegionDct(q)) > 32) dctLost10++;
    }
    expect(found10).toBeGreaterThanOrEqual(4);
    expect(dctLost10).toBeGreaterThanOrEqual(3);
  });
  it('finds crops of 15% against a corner with its off-centre values (within their reach), which its centred values miss', () => {
    const seeds8 = [11, 12, 13, 14, 15, 16, 17, 18];
    let centred = 0;
    let shifted = 0;
    for (const s of seeds8) {
      const p = scenePlane(250, 250, s);
      const q = cropPlane(p, 250 - 212, 0, 212, 212);
      expect(queryRegionMagShifted(q)).toHaveLength(16);
      if (nearest(bankRegionMag(p), queryRegionMag(q)) <= REGION_MAG_THRESHOLD) centred++;
      if (nearest(bankRegionMag(p), queryRegionMagShifted(q)) <= REGION_MAG_SHIFTED_REACH) shifted++;
      // An unrelated scene stays beyond the reach.
      expect(nearest(bankRegionMag(scenePlane(250, 250, s + 100)), queryRegionMagShifted(q)), `seed ${s}`).toBeGreaterThan(REGION_MAG_SHIFTED_REACH);
    }
    expect(centred).toBeLessThanOrEqual(3);
    expect(shifted).toBeGreaterThanOrEqual(6);
  });
  it('keeps unrelated scenes apart', () => {
    for (const s of seeds) expect(nearest(bankRegionMag(scenePlane(240, 180, s)), queryRegionMag(scenePlane(240, 180, s + 100)))).toBeGreaterThan(REGION_MAG_THRESHOLD);
  });
});
