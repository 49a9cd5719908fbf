/**
 * region_dct as a signal type: 64 hex digits (256 bits), Hamming distance, served by the in-memory multi-index like
 * PDQ, in its own bit order (region-dct-bit-order.ts: its bits are correlated). A photo banks three values and is
 * looked up with eight to eleven (see region-dct.ts); the matcher reports the entry a value reached and its distance. Storage key `region_dct`. Not a PDQ value: never exchanged as one.
 */
import type { SignalType } from '../signal-type.js';
import { parsePdqHex, pdqDistance } from '../pdq/pdq-hex.js';
import { REGION_DCT_THRESHOLD } from './region-dct.js';
import { REGION_DCT_BIT_ORDER } from './region-dct-bit-order.js';

/** Largest threshold a bank may set: past it unrelated pictures start to meet (bench:robust). */
export const MAX_REGION_DCT_THRESHOLD = 48;

/**
 * The index finds every stored value within this many bits of a looked-up one, and those farther (up to the bank's
 * threshold) with high probability. Exact to 32 bits, a lookup at 10M banked pictures (70M values) costs far over
 * the 2 ms a picture may take (bench:robust-lookup); exact to 10, each of the 11 tables is probed at its query's
 * own bucket only (11 probes per value instead of ~3,000). The edits of bench:robust meet their originals mostly
 * within a few bits (median 4; 500 of 666 within 16) and through several pairs of values:
 * bench/robust/index-recall.ts finds 92.0% of the edits exact to 32 or to 16, 91.0% exact to 10 (as exact to 5:
 * 4 stickers, 1 caption, 2 rotations lost); false matches unchanged (an approximate index only drops hits).
 */
export const REGION_DCT_INDEX_EXACT_TO = 10;

export const regionDctSignal: SignalType = {
  name: 'region_dct',
  description: 'coarse hashes of a photo\'s regions (trimmed, screenshot picture, centre ladder, untilted): crops, bars, frames, screenshots, tilts, EXIF orientation',
  contentKinds: ['photo'],
  indexKind: 'hamming-256',
  hammingIndex: { kind: 'multi-index', bitOrder: REGION_DCT_BIT_ORDER, guaranteedRadius: REGION_DCT_INDEX_EXACT_TO },
  defaultThreshold: REGION_DCT_THRESHOLD,
  maxThreshold: MAX_REGION_DCT_THRESHOLD,
  normalise: parsePdqHex,
  format: (v) => v,
  compare(query, stored, threshold) {
    const distance = pdqDistance(query, stored);
    return { distance, match: distance <= threshold };
  },
  fromMedia: (r) => (r.kind === 'photo' ? (r.regionDct ?? []).map((v) => ({ type: 'region_dct', value: v.value, quality: v.quality })) : []),
  examples: {
    valid: ['6c1e0b5a9f3d2e4c8b7a69584736251403f2e1d0c9b8a7968574635241302f1e', 'A'.repeat(64)],
    invalid: ['', '6c1e', 'g'.repeat(64), '0'.repeat(63)],
    near: [{ a: '0'.repeat(64), b: `${'0'.repeat(62)}ff`, distance: 8 }],
  },
};
