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
 * the 2 ms a picture may take (bench:robust-lookup); exact to 8, 9 of the 11 tables are probed at their query's
 * own bucket only (9 probes per value instead of ~3,000). The edits of bench:robust meet their originals mostly
 * within a few bits (median 4; 500 of 666 within 16) and through several pairs of values:
 * bench/robust/index-recall.ts finds 635/666 = 95.3% of the edits (with PDQ and region_mag) exact to 10, 8 or 5 alike
 * (2026-12-01; 633/666 exact to 10 and to 8 alike after the DCT-scaled JPEG decode, 06:40 UTC); false matches unchanged (an approximate index only drops hits). At 10M pictures (Gaussian-model
 * values, bench:robust-lookup, load 5-7): exact to 8 p50 0.37 ms, p99 0.76 ms a lookup of 10 values; exact to 10
 * 0.49 ms, p99 4.29 ms; exact to 12 2.04 ms.
 */
export const REGION_DCT_INDEX_EXACT_TO = 8;

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
