/** SketchedMultiIndex runs the shared conformance suite in several shapes; its sketches never share a bit with their substring. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeHammingIndex, flipBits, makeDataSet, makeRandom } from './hamming-index.case.js';
import { HASH_WORDS } from './hamming-index.js';
import { substringLayout } from './multi-index-tables.js';
import { pc3, SketchedMultiIndex, sketchWords } from './sketched-multi-index.js';
import { REGION_DCT_BIT_ORDER } from '../signals/region_dct/region-dct-bit-order.js';

describeHammingIndex('SketchedMultiIndex, 16 substrings, probing', (ids, words) =>
  SketchedMultiIndex.build(ids, words, { substrings: 16, probeAlways: true, deltaLimit: 25 }));
describeHammingIndex('SketchedMultiIndex, 14 uneven substrings, region_dct bit order, probing', (ids, words) =>
  SketchedMultiIndex.build(ids, words.slice(), { substrings: 14, probeAlways: true, deltaLimit: 10, bitOrder: REGION_DCT_BIT_ORDER }));
describeHammingIndex('SketchedMultiIndex, 13 substrings, 6-word sketches, region_dct bit order, probing', (ids, words) =>
  SketchedMultiIndex.build(ids, words.slice(), { substrings: 13, probeAlways: true, deltaLimit: 10, bitOrder: REGION_DCT_BIT_ORDER, sketchWords: 6 }));
describeHammingIndex('SketchedMultiIndex, default shape', (ids, words) => SketchedMultiIndex.build(ids, words));

describe('SketchedMultiIndex', () => {
  it('sketches 3 to 6 distinct words that share no bit with the table substring, for every shape', () => {
    for (let m = 8; m <= 32; m++) for (let width = 3; width <= 6; width++) {
      const { starts, lens } = substringLayout(m);
      starts.forEach((s, t) => {
        const sw = sketchWords(s, lens[t], width);
        expect(new Set(sw).size).toBe(width);
        for (const w of sw) expect(w * 32 + 31 < s || w * 32 >= s + lens[t], `m ${m} table ${t} word ${w}`).toBe(true);
      });
    }
  });

  it('verifies fewer hashes than it reads from its buckets, and still finds a planted copy at the radius', () => {
    const { ids, words } = makeDataSet(4, 3000, 300, 0);
    const index = SketchedMultiIndex.build(ids, words.slice(), { substrings: 12, probeAlways: true });
    const q = words.slice(3 * HASH_WORDS, 4 * HASH_WORDS);
    const hits = index.query(q, 32);
    expect(hits.map((h) => h.id)).toContain(ids[3]);
    expect(index.lastCost.survivors).toBeLessThan(index.lastCost.candidates);
  });

  it.each([3, 6])('finds every planted copy exactly at the radius (32 bits), with %i-word sketches', (width) => {
    const { ids, words } = makeDataSet(6, 4000, 0, 0);
    const rnd = makeRandom(8);
    const planted = 200;
    const all = new Uint32Array((4000 + planted) * HASH_WORDS);
    all.set(words);
    for (let p = 0; p < planted; p++) {
      all.copyWithin((4000 + p) * HASH_WORDS, p * HASH_WORDS, (p + 1) * HASH_WORDS);
      flipBits(all, (4000 + p) * HASH_WORDS, 32, rnd);
    }
    const allIds = Uint32Array.from({ length: 4000 + planted }, (_, i) => i + 1);
    const index = SketchedMultiIndex.build(allIds, all.slice(), { substrings: 13, probeAlways: true, sketchWords: width, bitOrder: REGION_DCT_BIT_ORDER });
    for (let p = 0; p < planted; p++) {
      const q = all.subarray(p * HASH_WORDS, (p + 1) * HASH_WORDS);
      expect(index.query(q, 32)).toContainEqual({ id: 4001 + p, distance: 32 });
      expect(index.query(q, 31).map((h) => h.id)).not.toContain(4001 + p);
    }
  });
});

describe('pc3', () => {
  const bits = (x: number) => [...(x >>> 0).toString(2)].filter((c) => c === '1').length;
  it('counts the set bits of three words together, as three counts added (property)', () => {
    fc.assert(fc.property(fc.integer(), fc.integer(), fc.integer(), (a, b, c) => {
      expect(pc3(a, b, c)).toBe(bits(a) + bits(b) + bits(c));
    }), { numRuns: 2000 });
    expect(pc3(-1, -1, -1)).toBe(96);
    expect(pc3(0, 0, 0)).toBe(0);
    expect(pc3(0x80000000, 1, 0)).toBe(2);
  });
});
