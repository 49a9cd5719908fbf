/**
 * region_mag as a signal type: 64 hex digits (256 bits), Hamming distance, served by the in-memory multi-index like
 * PDQ and region_dct, with its own threshold. A photo banks two values and is looked up with four (region-mag.ts);
 * the matcher reports the entry a value reached and its distance. Storage key `region_mag`. Not a PDQ value.
 */
import type { HammingIndexSpec } from '../../index/index-spec.js';
import type { SignalType } from '../signal-type.js';
import { parsePdqHex, pdqDistance } from '../pdq/pdq-hex.js';
import { REGION_MAG_THRESHOLD } from './region-mag.js';

/** Largest threshold a bank may set: past it unrelated pictures start to meet (index-recall.ts: 36 adds a false match). */
export const MAX_REGION_MAG_THRESHOLD = 36;

/**
 * The index finds every stored value within this many bits of a looked-up one, and those farther (up to the bank's
 * threshold, or a looked-up form's reach) with high probability. bench/robust/index-recall.ts (2026-12-01, balanced
 * magnitudes, threshold 32, off-centre forms within 28): all edits found 643/666 by distance, 635 exact to 8
 * (off-centre crops 81/90 -> 75/90), 636 exact to 10, 639 exact to 12, 642 exact to 16; false matches 2/666 in
 * each, as PDQ alone. (Before the balancing, threshold 22 and reach 18: 630 by distance, 629 exact to 8: the
 * approximate index lost 1 off-centre find of 69.) Lookup cost (bench:robust-lookup, Gaussian-model values, 4 values
 * within 32 + 16 within 28, one core, load ~3): at 3M pictures p50 0.47 ms exact to 8 (377 candidates per value),
 * 0.59 ms exact to 10, 1.51 ms exact to 12; before the balancing 8.24 ms for the 4 centred values alone (21,153
 * candidates per value: the raw magnitudes' bits were nearly constant). At 10M pictures (load ~1.5): p50 1.06 ms
 * exact to 8 (609 candidates per value), 0.99 ms exact to 10 (726), 4.76 ms exact to 12: within the goal of 2 ms.
 */
export const REGION_MAG_INDEX_EXACT_TO = 8;

/**
 * region_mag's index: the sketched multi-index, exact to REGION_MAG_INDEX_EXACT_TO. Its values crowd the buckets (609
 * candidates a value at 10M pictures, ~68 a bucket), which the plain index checks by one random read each; the sketched
 * one reads a bucket as one run of memory and drops nearly all of them there. The same probes and the same answers (the
 * sketch only drops candidates beyond the radius), at 264 more bytes a banked picture (2 values x 11 tables x 12 bytes).
 * bench:picture-lookup, region_mag alone at 10M pictures (2026-12-01 13:43-13:45 UTC, load 3.5-4.0): p50 1.41 -> 0.86 ms,
 * 207 -> 471 bytes a picture; in a whole picture's lookup, quiet (14:28 UTC): 0.76 ms.
 */
export const REGION_MAG_INDEX: HammingIndexSpec = { kind: 'multi-index-sketched', guaranteedRadius: REGION_MAG_INDEX_EXACT_TO };

export const regionMagSignal: SignalType = {
  name: 'region_mag',
  description: 'shift-tolerant hashes (low Fourier magnitudes) of a photo\'s central region: off-centre crops',
  contentKinds: ['photo'],
  indexKind: 'hamming-256',
  hammingIndex: REGION_MAG_INDEX,
  defaultThreshold: REGION_MAG_THRESHOLD,
  maxThreshold: MAX_REGION_MAG_THRESHOLD,
  normalise: parsePdqHex,
  format: (v) => v,
  compare(query, stored, threshold) {
    const distance = pdqDistance(query, stored);
    return { distance, match: distance <= threshold };
  },
  fromMedia: (r) => (r.kind === 'photo' ? (r.regionMag ?? []).map((v) => ({ type: 'region_mag', value: v.value, quality: v.quality })) : []),
  examples: {
    valid: ['6c1e0b5a9f3d2e4c8b7a69584736251403f2e1d0c9b8a7968574635241302f1e', 'A'.repeat(64)],
    invalid: ['', '6c1e', 'g'.repeat(64), '0'.repeat(63)],
    near: [{ a: '0'.repeat(64), b: `${'0'.repeat(62)}ff`, distance: 8 }],
  },
};
