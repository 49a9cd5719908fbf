import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compareVpdq } from './vpdq-compare.js';
import type { VpdqFeature } from './vpdq-feature.js';

/** A hash with the first `bits` bits set. */
function hashWithBits(bits: number, base = 0n): string {
  const v = base ^ ((1n << BigInt(bits)) - 1n);
  return v.toString(16).padStart(64, '0');
}

function frames(hashes: string[], quality = 100): VpdqFeature[] {
  return hashes.map((pdq, i) => ({ frame: i, timestamp: i, pdq, quality }));
}

const A = 0n;
const B = (1n << 255n) | (0xffffffffffffffffn << 100n); // 65 bits away from A

describe('compareVpdq (python-threatexchange rule)', () => {
  it('counts a frame as matched at distance 31 but not 32', () => {
    const q = frames([hashWithBits(31, A)]);
    expect(compareVpdq(q, frames([hashWithBits(0, A)])).queryMatchPercent).toBe(100);
    expect(compareVpdq(frames([hashWithBits(32, A)]), frames([hashWithBits(0, A)])).queryMatchPercent).toBe(0);
  });

  it('reports both percentages and declares a match at query >= 80%', () => {
    const query = frames([hashWithBits(0, A), hashWithBits(1, A), hashWithBits(2, A), hashWithBits(3, A), hashWithBits(0, B)]);
    const compared = frames([hashWithBits(0, A), hashWithBits(0, B ^ (1n << 200n)), hashWithBits(100, A)]);
    const r = compareVpdq(query, compared);
    expect(r.queryMatchPercent).toBe(100); // the first four are near A, the fifth is near B
    expect(r.comparedMatchPercent).toBeCloseTo(200 / 3, 10);
    expect(r.match).toBe(true);
    expect(compareVpdq(query, compared, { comparedThreshold: 70 }).match).toBe(false);
    expect(compareVpdq(frames([hashWithBits(0, A), hashWithBits(200, A)]), compared, { queryThreshold: 100 }).match).toBe(false);
  });

  it('drops frames under quality 50 and exact duplicates before counting', () => {
    const query = [...frames([hashWithBits(0, A), hashWithBits(0, A), hashWithBits(0, A)]), ...frames([hashWithBits(100, A)], 49)];
    const compared = frames([hashWithBits(0, A), hashWithBits(120, A)]);
    const r = compareVpdq(query, compared);
    expect(r.queryFrames).toBe(1);
    expect(r.queryMatchPercent).toBe(100);
    expect(r.comparedMatchPercent).toBe(50);
  });

  it('gives 0/0 and no match when a side has no frame left', () => {
    const r = compareVpdq(frames([hashWithBits(0, A)], 10), frames([hashWithBits(0, A)]));
    expect([r.queryMatchPercent, r.comparedMatchPercent, r.match]).toEqual([0, 0, false]);
  });
});

describe('compareVpdq (C++ reference rule)', () => {
  it('matches only below 31 and keeps duplicates', () => {
    expect(compareVpdq(frames([hashWithBits(31, A)]), frames([hashWithBits(0, A)]), { rule: 'cpp' }).queryMatchPercent).toBe(0);
    expect(compareVpdq(frames([hashWithBits(30, A)]), frames([hashWithBits(0, A)]), { rule: 'cpp' }).queryMatchPercent).toBe(100);
    const query = frames([hashWithBits(0, A), hashWithBits(0, A), hashWithBits(0, A), hashWithBits(0, B)]);
    const compared = frames([hashWithBits(0, A)]);
    expect(compareVpdq(query, compared, { rule: 'cpp' }).queryMatchPercent).toBe(75);
    expect(compareVpdq(query, compared).queryMatchPercent).toBe(50);
  });
});

describe('compareVpdq properties', () => {
  const hex = fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }).map((v) => v.toString(16).padStart(64, '0'));
  const video = fc.array(fc.record({ pdq: hex, quality: fc.integer({ min: 0, max: 100 }) }), { minLength: 0, maxLength: 12 })
    .map((xs) => xs.map((x, i) => ({ ...x, frame: i, timestamp: i })));

  it('swapping the videos swaps the two percentages', () => {
    fc.assert(fc.property(video, video, (a, b) => {
      const ab = compareVpdq(a, b);
      const ba = compareVpdq(b, a);
      expect(ab.queryMatchPercent).toBe(ba.comparedMatchPercent);
      expect(ab.comparedMatchPercent).toBe(ba.queryMatchPercent);
    }));
  });

  it('a video matches itself fully when it has a frame of quality >= 50', () => {
    fc.assert(fc.property(video, (a) => {
      const r = compareVpdq(a, a);
      const usable = a.some((f) => f.quality >= 50);
      expect(r.match).toBe(usable);
      if (usable) expect([r.queryMatchPercent, r.comparedMatchPercent]).toEqual([100, 100]);
    }));
  });
});
