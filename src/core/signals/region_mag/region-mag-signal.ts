/**
 * region_mag as a signal type: 64 hex digits (256 bits), Hamming distance, served by the in-memory multi-index like
 * PDQ and region_dct, with its own threshold. A photo banks two values and is looked up with four (region-mag.ts);
 * the matcher reports the entry a value reached and its distance. Storage key `region_mag`. Not a PDQ value.
 */
import type { SignalType } from '../signal-type.js';
import { parsePdqHex, pdqDistance } from '../pdq/pdq-hex.js';
import { REGION_MAG_THRESHOLD } from './region-mag.js';

/** Largest threshold a bank may set: past it unrelated pictures start to meet (index-recall.ts: 36 adds a false match). */
export const MAX_REGION_MAG_THRESHOLD = 36;

/**
 * The index finds every stored value within this many bits of a looked-up one, and those farther (up to the bank's
 * threshold) with high probability. bench/robust/index-recall.ts: found edits unchanged exact to 8 (92.0% with
 * region_dct exact; 91.0% with region_dct exact to 10), 90.4% exact to 5; false matches unchanged. Not fast enough
 * yet: region_mag's bits are strongly biased (median |p - 0.5| = 0.24 over real values: ranks of a 1/f spectrum's
 * 40 magnitudes), so its buckets are crowded: at 3M banked pictures a value reads ~21,000 candidates even probing
 * its own buckets only (bench:robust-lookup BENCH_LOOKUP_SIGNAL=region_mag: p50 8.2 ms for 4 values at load 3).
 */
export const REGION_MAG_INDEX_EXACT_TO = 8;

export const regionMagSignal: SignalType = {
  name: 'region_mag',
  description: 'shift-tolerant hashes (low Fourier magnitudes) of a photo\'s central region: off-centre crops',
  contentKinds: ['photo'],
  indexKind: 'hamming-256',
  hammingIndex: { kind: 'multi-index', guaranteedRadius: REGION_MAG_INDEX_EXACT_TO },
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
