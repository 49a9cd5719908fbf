/**
 * The shared conformance suite every HammingIndex runs: results equal a brute-force scan (recall 1.0, no false
 * hits, right distances, each id once) on uniform, planted and clustered data and on the PDQ reference
 * needles/haystack; adds and removes keep it equal to a model; removed values are forgotten at once.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { pdqFile, warnIfNoShared } from '../../../test/support/shared-data.js';
import { describe, expect, it } from 'vitest';
import { hammingDistanceWords, pdqHexToWords } from '../signals/pdq/pdq-hex.js';
import { inIdRanges, mergeIdRanges } from './id-ranges.js';
import { HASH_WORDS, queryVariants, type HammingHit, type HammingIndex } from './hamming-index.js';

/** Makes an index of the kind under test over n hashes (ids and 8 words each). */
export type MakeIndex = (ids: Uint32Array, words: Uint32Array) => HammingIndex;

const pdqData = pdqFile('repo/pdq/data/reg-test-input');
const pairsCsv = pdqFile('generated/needles-vs-haystack-pairs-dist-le64.csv');
const hasShared = existsSync(pairsCsv) && existsSync(path.join(pdqData, 'haystack.txt'));

/** A small deterministic generator (xorshift32), so failures reproduce. */
export function makeRandom(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}

/** Flips k distinct random bits of a hash in place. */
export function flipBits(words: Uint32Array, off: number, k: number, rnd: () => number): void {
  const chosen = new Set<number>();
  while (chosen.size < k) chosen.add(rnd() & 255);
  for (const b of chosen) words[off + (b >>> 5)] ^= 1 << (b & 31);
}

/** Uniform hashes, then `planted` near-copies of the first hashes with 0..40 bits flipped, then a tight cluster. */
export function makeDataSet(seed: number, uniform: number, planted: number, clustered: number): { ids: Uint32Array; words: Uint32Array } {
  const rnd = makeRandom(seed);
  const n = uniform + planted + clustered;
  const words = new Uint32Array(n * HASH_WORDS);
  for (let i = 0; i < uniform * HASH_WORDS; i++) words[i] = rnd();
  for (let p = 0; p < planted; p++) {
    const dst = (uniform + p) * HASH_WORDS;
    words.copyWithin(dst, (p % uniform) * HASH_WORDS, (p % uniform + 1) * HASH_WORDS);
    flipBits(words, dst, p % 41, rnd);
  }
  const centre = new Uint32Array(HASH_WORDS).map(() => rnd());
  for (let c = 0; c < clustered; c++) {
    const dst = (uniform + planted + c) * HASH_WORDS;
    words.set(centre, dst);
    flipBits(words, dst, rnd() % 24, rnd);
  }
  const ids = new Uint32Array(n).map((_, i) => i * 3 + 1);
  return { ids, words };
}

/** Every (id, distance) within r, by brute force. */
export function bruteForce(ids: Uint32Array, words: Uint32Array, q: ArrayLike<number>, r: number): HammingHit[] {
  const hits: HammingHit[] = [];
  for (let s = 0; s < ids.length; s++) {
    const d = hammingDistanceWords(q, words, 0, s * HASH_WORDS);
    if (d <= r) hits.push({ id: ids[s], distance: d });
  }
  return sorted(hits);
}

function sorted(hits: HammingHit[]): HammingHit[] {
  return [...hits].sort((a, b) => a.id - b.id || a.distance - b.distance);
}

/** Runs the suite for one index kind. */
export function describeHammingIndex(name: string, make: MakeIndex): void {
  describe(`HammingIndex conformance: ${name}`, () => {
    it('finds nothing in an empty index', () => {
      const index = make(new Uint32Array(0), new Uint32Array(0));
      expect(index.size).toBe(0);
      expect(index.query(new Uint32Array(HASH_WORDS), 31)).toEqual([]);
    });

    it('equals brute force on uniform, planted and clustered data at several radii', () => {
      const { ids, words } = makeDataSet(7, 3000, 400, 600);
      const index = make(ids.slice(), words.slice());
      expect(index.size).toBe(ids.length);
      const rnd = makeRandom(99);
      for (let i = 0; i < 60; i++) {
        const src = (rnd() % ids.length) * HASH_WORDS;
        const q = words.slice(src, src + HASH_WORDS);
        flipBits(q, 0, rnd() % 20, rnd);
        for (const r of [0, 10, 31, 40]) {
          const got = sorted(index.query(q, r));
          expect(got).toEqual(bruteForce(ids, words, q, r));
        }
      }
    });

    it('rejects a radius that is not an integer 0..128', () => {
      const index = make(new Uint32Array([1]), new Uint32Array(HASH_WORDS));
      expect(() => index.query(new Uint32Array(HASH_WORDS), -1)).toThrow(/radius/);
      expect(() => index.query(new Uint32Array(HASH_WORDS), 2.5)).toThrow(/radius/);
    });

    it('forgets a removed hash at once and zeroes it', () => {
      const { ids, words } = makeDataSet(3, 500, 50, 50);
      const index = make(ids.slice(), words.slice());
      const victim = words.slice(10 * HASH_WORDS, 11 * HASH_WORDS);
      expect(index.query(victim, 0).map((h) => h.id)).toContain(ids[10]);
      expect(index.remove(ids[11], victim)).toBe(false);
      expect(index.remove(ids[10], victim)).toBe(true);
      expect(index.query(victim, 0).map((h) => h.id)).not.toContain(ids[10]);
      expect(index.size).toBe(ids.length - 1);
      expect(index.remove(ids[10], victim)).toBe(false);
    });

    it('removes by id ranges alone (stored and recently added hashes), then equals brute force over what is left', () => {
      const { ids, words } = makeDataSet(9, 1500, 100, 100);
      const index = make(ids.slice(0, 1200), words.slice(0, 1200 * HASH_WORDS));
      for (let s = 1200; s < ids.length; s++) index.add(ids[s], words.subarray(s * HASH_WORDS, (s + 1) * HASH_WORDS));
      const gone = mergeIdRanges([[ids[10], ids[10]], [ids[1250], ids[1250]], ...Array.from(ids.slice(300, 400), (id) => [id, id] as [number, number])]);
      const keep = Array.from(ids.keys()).filter((s) => !inIdRanges(gone, ids[s]));
      expect(index.removeIdRanges(gone)).toBe(ids.length - keep.length);
      expect(index.size).toBe(keep.length);
      const keptIds = Uint32Array.from(keep, (s) => ids[s]);
      const keptWords = new Uint32Array(keep.length * HASH_WORDS);
      keep.forEach((s, i) => keptWords.set(words.subarray(s * HASH_WORDS, (s + 1) * HASH_WORDS), i * HASH_WORDS));
      for (let s = 0; s < ids.length; s += 23) {
        const q = words.subarray(s * HASH_WORDS, (s + 1) * HASH_WORDS);
        expect(sorted(index.query(q, 31))).toEqual(bruteForce(keptIds, keptWords, q, 31));
      }
      const victim = words.subarray(10 * HASH_WORDS, 11 * HASH_WORDS);
      expect(index.query(victim, 0).map((h) => h.id)).not.toContain(ids[10]);
      expect(index.removeIdRanges(gone)).toBe(0);
    });

    it('stays equal to a model under any sequence of adds, removes and queries', () => {
      const hashArb = fc.uint32Array({ minLength: HASH_WORDS, maxLength: HASH_WORDS });
      const opArb = fc.oneof(
        fc.record({ op: fc.constant('add' as const), h: hashArb, near: fc.nat(40), flips: fc.nat(40) }),
        fc.record({ op: fc.constant('remove' as const), pick: fc.nat() }),
        fc.record({ op: fc.constant('query' as const), pick: fc.nat(), flips: fc.nat(30), r: fc.integer({ min: 0, max: 40 }) }),
      );
      fc.assert(fc.property(fc.array(opArb, { maxLength: 120 }), (ops) => {
        const base = makeDataSet(11, 200, 20, 30);
        const index = make(base.ids.slice(), base.words.slice());
        const model = new Map<number, Uint32Array>();
        base.ids.forEach((id, s) => model.set(id, base.words.slice(s * HASH_WORDS, (s + 1) * HASH_WORDS)));
        let nextId = 1_000_000;
        const rnd = makeRandom(5);
        for (const o of ops) {
          const live = [...model.entries()];
          if (o.op === 'add') {
            const h = Uint32Array.from(o.h);
            if (live.length > 0 && o.near % 2 === 0) {
              h.set(live[o.near % live.length][1]);
              flipBits(h, 0, o.flips, rnd);
            }
            index.add(nextId, h);
            model.set(nextId++, h);
          } else if (o.op === 'remove' && live.length > 0) {
            const [id, h] = live[o.pick % live.length];
            expect(index.remove(id, h)).toBe(true);
            model.delete(id);
          } else if (o.op === 'query' && live.length > 0) {
            const q = live[o.pick % live.length][1].slice();
            flipBits(q, 0, o.flips, rnd);
            const ids = Uint32Array.from(model.keys());
            const words = new Uint32Array(ids.length * HASH_WORDS);
            [...model.values()].forEach((h, i) => words.set(h, i * HASH_WORDS));
            expect(sorted(index.query(q, o.r))).toEqual(bruteForce(ids, words, q, o.r));
          }
        }
        expect(index.size).toBe(model.size);
      }), { numRuns: 40 });
    });

    it('answers dihedral-style variant queries with the best distance per id', () => {
      const { ids, words } = makeDataSet(21, 800, 0, 0);
      const index = make(ids.slice(), words.slice());
      const q = words.slice(5 * HASH_WORDS, 6 * HASH_WORDS);
      const far = new Uint32Array(HASH_WORDS).map((w, i) => ~q[i]);
      const near = q.slice();
      flipBits(near, 0, 6, makeRandom(2));
      const hits = queryVariants(index, [far, near, q], 31);
      const hit = hits.find((h) => h.id === ids[5]);
      expect(hit).toEqual({ id: ids[5], distance: 0, variant: 2 });
      expect(hits.filter((h) => h.id === ids[5])).toHaveLength(1);
    });

    describe.skipIf(!hasShared)('PDQ reference needles and haystack (../shared)', () => {
      it('finds exactly the needle/haystack pairs within 64 bits that the reference lists', () => {
        const lines = (f: string) => readFileSync(path.join(pdqData, f), 'utf8').split('\n').filter((l) => l.trim() !== '');
        const needles = lines('needles.txt');
        const haystack = lines('haystack.txt');
        const words = new Uint32Array(haystack.length * HASH_WORDS);
        haystack.forEach((h, i) => words.set(pdqHexToWords(h), i * HASH_WORDS));
        const ids = new Uint32Array(haystack.length).map((_, i) => i);
        const index = make(ids, words.slice());
        const expected = readFileSync(pairsCsv, 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').map(Number));
        const got: number[][] = [];
        needles.forEach((n, ni) => {
          for (const hit of index.query(pdqHexToWords(n), 64)) got.push([ni, hit.id, hit.distance]);
        });
        const order = (a: number[], b: number[]) => a[0] - b[0] || a[1] - b[1];
        expect(got.sort(order)).toEqual(expected.sort(order));
        expect(got.length).toBeGreaterThan(300);
      });
    });
    if (!hasShared) warnIfNoShared(`${name}: the PDQ needles/haystack case (${pairsCsv})`);
  });
}
