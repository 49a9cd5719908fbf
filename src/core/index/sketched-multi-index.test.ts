/** SketchedMultiIndex runs the shared conformance suite in several shapes; its sketches never share a bit with their substring. */
import { describe, expect, it } from 'vitest';
import { describeHammingIndex, makeDataSet } from './hamming-index.case.js';
import { HASH_WORDS } from './hamming-index.js';
import { substringLayout } from './multi-index-tables.js';
import { SketchedMultiIndex, sketchWords } from './sketched-multi-index.js';
import { REGION_DCT_BIT_ORDER } from '../signals/region_dct/region-dct-bit-order.js';

describeHammingIndex('SketchedMultiIndex, 16 substrings, probing', (ids, words) =>
  SketchedMultiIndex.build(ids, words, { substrings: 16, probeAlways: true, deltaLimit: 25 }));
describeHammingIndex('SketchedMultiIndex, 14 uneven substrings, region_dct bit order, probing', (ids, words) =>
  SketchedMultiIndex.build(ids, words.slice(), { substrings: 14, probeAlways: true, deltaLimit: 10, bitOrder: REGION_DCT_BIT_ORDER }));
describeHammingIndex('SketchedMultiIndex, default shape', (ids, words) => SketchedMultiIndex.build(ids, words));

describe('SketchedMultiIndex', () => {
  it('sketches three words that share no bit with the table substring, for every shape', () => {
    for (let m = 8; m <= 32; m++) {
      const { starts, lens } = substringLayout(m);
      starts.forEach((s, t) => {
        const sw = sketchWords(s, lens[t]);
        expect(new Set(sw).size).toBe(3);
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
});
