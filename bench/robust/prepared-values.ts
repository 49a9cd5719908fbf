/** A hashed picture of the robust benches as 256-bit words, grouped by signal type (quality-filtered as the matcher does). */
import { hexToWordsInto } from '../../src/core/index/hash-words.js';
import { popcount32 } from '../../src/core/signals/pdq/pdq-hex.js';
import { MIN_ROBUST_QUALITY } from '../../src/core/picture/picture-signals.js';
import type { HashedPicture } from './robust-data.js';

export function words(hex: string): Uint32Array {
  const w = new Uint32Array(8);
  hexToWordsInto(hex, w, 0);
  return w;
}
export function dist(a: Uint32Array, b: Uint32Array): number {
  let d = 0;
  for (let i = 0; i < 8; i++) d += popcount32(a[i] ^ b[i]);
  return d;
}

export interface Prepared { pic: HashedPicture; pdq: Uint32Array; bank: Map<string, Uint32Array[]>; query: Map<string, Uint32Array[]> }
export function prepare(pic: HashedPicture): Prepared {
  const group = (sigs: HashedPicture['bank']) => {
    const m = new Map<string, Uint32Array[]>();
    for (const s of sigs) if (s.quality >= MIN_ROBUST_QUALITY) m.set(s.type, [...(m.get(s.type) ?? []), words(s.value)]);
    return m;
  };
  return { pic, pdq: words(pic.pdq), bank: group(pic.bank), query: group(pic.query) };
}
