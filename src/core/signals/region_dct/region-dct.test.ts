import { describe, expect, it } from 'vitest';
import { pdqDistance } from '../pdq/pdq-hex.js';
import { bankRegionDct, queryRegionDct, REGION_DCT_THRESHOLD } from './region-dct.js';
import { cropPlane, framePlane, resizePlane, scenePlane } from '../../../../test/support/luma-planes.js';
import type { LumaPlane } from '../../picture/luma-plane.js';

/** The nearest distance between any looked-up form of the query and any banked value of the original. */
function nearest(original: LumaPlane, query: LumaPlane): number {
  const bank = bankRegionDct(original).map((h) => h.hash);
  return Math.min(...queryRegionDct(query).flatMap((q) => bank.map((b) => pdqDistance(q.hash, b))));
}

describe('region_dct', () => {
  const seeds = [11, 12, 13, 14, 15];
  it('banks seven values (whole, two central regions, four quadrants) and looks up at least eight', () => {
    const p = scenePlane(240, 180, 1);
    expect(bankRegionDct(p)).toHaveLength(7);
    expect(queryRegionDct(p).length).toBeGreaterThanOrEqual(8);
  });
  it('a sticker over 12% in one corner leaves the other quadrants matching their banked selves', () => {
    for (const s of seeds) {
      const p = scenePlane(240, 180, s);
      const r = Math.sqrt((0.12 * 240 * 180) / Math.PI);
      const stuck = { ...p, data: p.data.map((v, i) => (Math.hypot((i % 240) - 55, Math.floor(i / 240) - 50) < r ? 0 : v)) };
      // Quadrants: banked values 3..6; the looked-up ones come last.
      const banked = bankRegionDct(p).slice(3, 7).map((h) => h.hash);
      const looked = queryRegionDct(stuck).slice(-4).map((h) => h.hash);
      expect(banked).toHaveLength(4);
      // The disc (centre 55,50 of 240x180) lies in the top-left quadrant; the three others are untouched.
      for (const q of [1, 2, 3]) expect(pdqDistance(banked[q], looked[q]), `seed ${s} quadrant ${q}`).toBeLessThanOrEqual(REGION_DCT_THRESHOLD);
      expect(nearest(p, stuck), `seed ${s}`).toBeLessThanOrEqual(REGION_DCT_THRESHOLD);
    }
  });
  it('finds a framed, resized copy (two frames of different colours)', () => {
    for (const s of seeds) {
      const p = scenePlane(240, 180, s);
      const framed = resizePlane(framePlane(framePlane(p, 10, 255), 6, 30), 200, 160);
      expect(nearest(p, framed), `seed ${s}`).toBeLessThanOrEqual(REGION_DCT_THRESHOLD);
    }
  });
  it('finds centred crops of 10% and 20% of each side', () => {
    for (const s of seeds) {
      const p = scenePlane(250, 250, s);
      for (const share of [0.1, 0.2]) {
        const keep = Math.round(250 * (1 - share));
        const off = Math.round((250 - keep) / 2);
        expect(nearest(p, cropPlane(p, off, off, keep, keep)), `seed ${s} crop ${share}`).toBeLessThanOrEqual(REGION_DCT_THRESHOLD);
      }
    }
  });
  it('keeps unrelated scenes apart', () => {
    for (const s of seeds) expect(nearest(scenePlane(240, 180, s), scenePlane(240, 180, s + 100))).toBeGreaterThan(REGION_DCT_THRESHOLD);
  });
});
