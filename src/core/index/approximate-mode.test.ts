/** The approximate mode (guaranteedRadius) of both multi-indexes: everything within it found, nothing false beyond it. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bruteForce, makeDataSet } from './hamming-index.case.js';
import { HASH_WORDS } from './hamming-index.js';
import { MultiIndexHashing } from './multi-index-hashing.js';
import { SketchedMultiIndex } from './sketched-multi-index.js';

const kinds = [
  ['MultiIndexHashing', (ids: Uint32Array, words: Uint32Array, g: number) => MultiIndexHashing.build(ids, words.slice(), { substrings: 16, probeAlways: true, guaranteedRadius: g })],
  ['SketchedMultiIndex', (ids: Uint32Array, words: Uint32Array, g: number) => SketchedMultiIndex.build(ids, words.slice(), { substrings: 16, probeAlways: true, guaranteedRadius: g })],
] as const;

describe.each(kinds)('%s in approximate mode', (_name, make) => {
  const { ids, words } = makeDataSet(17, 1500, 400, 200);
  it.each([12, 20])('finds every hash within the guaranteed radius %i and reports no false hit or wrong distance beyond it (property)', (g) => {
    const index = make(ids, words, g);
    fc.assert(fc.property(fc.integer({ min: 0, max: ids.length - 1 }), fc.integer({ min: 0, max: 12 }), (s, extra) => {
      const q = words.subarray(s * HASH_WORDS, (s + 1) * HASH_WORDS);
      const r = g + extra;
      const got = index.query(q, r).map((h) => `${h.id}:${h.distance}`);
      const exact = bruteForce(ids, words, q, r);
      const all = new Set(exact.map((h) => `${h.id}:${h.distance}`));
      for (const h of got) expect(all.has(h), h).toBe(true);
      for (const h of exact.filter((x) => x.distance <= g)) expect(got).toContain(`${h.id}:${h.distance}`);
    }), { numRuns: 60 });
  });
});
