/**
 * Gathers pages of (id, PDQ hex) into the typed arrays an index is built from: ids in a Uint32Array and the
 * hashes as 8 words each, growing by doubling. Pure: the pages can come from any store.
 */
import { HASH_WORDS } from './hamming-index.js';
import { bytesToWordsInto, hexToWordsInto } from './hash-words.js';

export interface CollectedHashes {
  ids: Uint32Array;
  words: Uint32Array;
}

/**
 * A page of hashes: ids with their hex (signals), or with their bytes, 32 a hash in id order (a store that can
 * decode hex itself sends these: no string per row).
 */
export type HashPage = { ids: ArrayLike<number>; signals: string[] } | { ids: ArrayLike<number>; bytes: Uint8Array };

/**
 * Reads every page; the arrays returned are exactly as long as the hashes read.
 * @example const { ids, words } = await collectHashes(repo.streamSignals('pdq'))
 */
export async function collectHashes(pages: AsyncIterable<HashPage>, onProgress?: (n: number) => void): Promise<CollectedHashes> {
  let ids = new Uint32Array(1 << 16);
  let words = new Uint32Array(ids.length * HASH_WORDS);
  let n = 0;
  for await (const page of pages) {
    if (n + page.ids.length > ids.length) {
      const cap = Math.max(ids.length * 2, n + page.ids.length);
      const nextIds = new Uint32Array(cap);
      nextIds.set(ids.subarray(0, n));
      const nextWords = new Uint32Array(cap * HASH_WORDS);
      nextWords.set(words.subarray(0, n * HASH_WORDS));
      ids = nextIds;
      words = nextWords;
    }
    if ('bytes' in page) {
      for (let i = 0; i < page.ids.length; i++, n++) {
        ids[n] = page.ids[i];
        bytesToWordsInto(page.bytes, i * 32, words, n * HASH_WORDS);
      }
    } else {
      for (let i = 0; i < page.ids.length; i++, n++) {
        ids[n] = page.ids[i];
        hexToWordsInto(page.signals[i], words, n * HASH_WORDS);
      }
    }
    onProgress?.(n);
  }
  return { ids: ids.slice(0, n), words: words.slice(0, n * HASH_WORDS) };
}
