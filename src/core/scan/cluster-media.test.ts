import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { clusterMedia, type ClusterInput } from './cluster-media.js';
import { pdqHexToWords, pdqWordsToHex } from '../signals/pdq/pdq-hex.js';

/** A hash with `flips` of its bits flipped (distinct bit positions chosen by the seed). */
function flipped(base: Uint32Array, flips: number, seed: number): string {
  const w = Uint32Array.from(base);
  const bits = new Set<number>();
  let s = seed || 1;
  while (bits.size < flips) bits.add((s = (Math.imul(s, 1103515245) + 12345) >>> 0) % 256);
  for (const b of bits) w[b >>> 5] ^= 1 << (b & 31);
  return pdqWordsToHex(w);
}

function randomWords(seed: number): Uint32Array {
  let s = seed || 1;
  return Uint32Array.from({ length: 8 }, () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0));
}

function photo(id: number, chatId: number, pdq: string, extra: Partial<ClusterInput> = {}): ClusterInput {
  return { id, chatId, mediaClass: 'photo', pdq, quality: 90, md5: `md5-${id}`, vpdq: null, senderHmac: `s${id % 3}`, unixTime: 1000 + id, ...extra };
}

describe('clusterMedia', () => {
  it('groups near-duplicates (<= 31 bits) across chats and keeps others apart', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 2 ** 30 }), fc.integer({ min: 0, max: 31 }), (seed, flips) => {
      const a = randomWords(seed);
      const b = randomWords(seed + 7);
      const items = [photo(1, 1, pdqWordsToHex(a)), photo(2, 2, flipped(a, flips, seed)), photo(3, 1, pdqWordsToHex(b))];
      const clusters = clusterMedia(items);
      const big = clusters.find((c) => c.posts === 2)!;
      expect(big.members.sort()).toEqual([1, 2]);
      expect(big.chats).toBe(2);
      expect(clusters.find((c) => c.members.includes(3))!.posts).toBe(1);
    }));
  });

  it('does not join hashes 32 or more bits apart, nor low-quality hashes, but joins identical files', () => {
    const a = randomWords(5);
    const items = [
      photo(1, 1, pdqWordsToHex(a)), photo(2, 1, flipped(a, 32, 9)),
      photo(3, 1, flipped(a, 2, 3), { quality: 20 }),
      photo(4, 1, pdqWordsToHex(randomWords(77)), { md5: 'same' }), photo(5, 2, pdqWordsToHex(randomWords(78)), { md5: 'same' }),
    ];
    const posts = Object.fromEntries(clusterMedia(items).flatMap((c) => c.members.map((m) => [m, c.posts])));
    expect(posts).toEqual({ 1: 1, 2: 1, 3: 1, 4: 2, 5: 2 });
  });

  it('chains: A~B and B~C put A, B and C in one cluster, with its spread figures', () => {
    const a = randomWords(11);
    const b = flipped(a, 20, 1);
    const c = flipped(pdqHexToWords(b), 20, 2); // may be up to 40 bits from a: joined only through b
    const items = [
      photo(10, 1, pdqWordsToHex(a), { unixTime: 50, senderHmac: 'x' }), photo(11, 2, b, { unixTime: 70, senderHmac: 'y' }),
      photo(12, 3, c, { unixTime: 60, senderHmac: 'x' }),
    ];
    const [top] = clusterMedia(items);
    expect(top).toMatchObject({ id: 10, posts: 3, chats: 3, senders: 2, firstSeen: 50, lastSeen: 70, representative: pdqWordsToHex(a) });
  });

  it('joins videos by identical MD5 or matching vPDQ frames', () => {
    const f = (seed: number) => pdqWordsToHex(randomWords(seed));
    const frames = (seeds: number[]) => seeds.map((s, i) => ({ frame: i * 30, timestamp: i, pdq: f(s), quality: 100 }));
    const v = (id: number, fr: number[], md5 = `v${id}`): ClusterInput => ({ id, chatId: 1, mediaClass: 'video', pdq: null, quality: null, md5, vpdq: frames(fr), senderHmac: null, unixTime: id });
    const items = [v(1, [1, 2, 3, 4, 5]), v(2, [1, 2, 3, 4, 5, 6]), v(3, [7, 8, 9]), v(4, [20], 'v3')];
    const posts = Object.fromEntries(clusterMedia(items).flatMap((c) => c.members.map((m) => [m, c.posts])));
    expect(posts).toEqual({ 1: 2, 2: 2, 3: 2, 4: 2 });
  });
});
