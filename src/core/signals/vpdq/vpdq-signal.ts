/**
 * vPDQ (Meta's video hash: a PDQ per sampled frame) as a signal type. The stored value is the canonical JSON of
 * the frames ({pdq, quality, timestamp?}); written values may also be python-threatexchange's "hex,quality,ts"
 * strings. Two videos compare as bags of frames (python-threatexchange rule): distance = % of the query's frames
 * with no match in the stored video; a match is at most `threshold` % unmatched (default 20, i.e. >= 80% matched).
 * Served by comparing with every stored video of the type (`custom`). Storage key `vpdq`.
 */
import { InvalidSignalError } from '../../errors.js';
import { parsePdqHex } from '../pdq/pdq-hex.js';
import type { SignalType } from '../signal-type.js';
import { shorten } from '../signal-type.js';
import { compareVpdq, VPDQ_QUERY_MATCH_THRESHOLD_PERCENT } from './vpdq-compare.js';
import type { VpdqFeature } from './vpdq-feature.js';

export const DEFAULT_VPDQ_THRESHOLD = 100 - VPDQ_QUERY_MATCH_THRESHOLD_PERCENT;
export const MAX_VPDQ_THRESHOLD = 100;
const MAX_QUALITY = 100;
/** Parsed values kept for repeated comparisons (a bank's videos against every query of a run). */
const PARSED_CACHE = 512;

export interface VpdqValueFrame {
  pdq: string;
  quality: number;
  timestamp?: number;
}

function pytxFrame(text: string, i: number): Record<string, unknown> {
  const cells = text.split(',').map((c) => c.trim());
  if (cells.length !== 3) throw new InvalidSignalError(`vPDQ frame ${i}: expected "hex,quality,timestamp", got "${shorten(text)}"`);
  return { pdq: cells[0], quality: cells[1], timestamp: Number(cells[2]) };
}

function frameQuality(value: unknown, i: number): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 0 || n > MAX_QUALITY) throw new InvalidSignalError(`vPDQ frame ${i} quality must be an integer 0..${MAX_QUALITY}, got "${String(value)}"`);
  return n;
}

/**
 * The frames of a vPDQ value: a JSON array of {pdq, quality, timestamp?} (as `unexpose hash` prints them) or of
 * python-threatexchange's "hex,quality,timestamp" strings.
 * @example parseVpdqFrames('[{"pdq":"ab..","quality":80}]')[0].quality // 80
 */
export function parseVpdqFrames(value: string | unknown[]): VpdqValueFrame[] {
  let raw: unknown;
  try {
    raw = typeof value === 'string' ? JSON.parse(value) : value;
  } catch {
    throw new InvalidSignalError('not a vPDQ value: it is not JSON (need an array of {"pdq", "quality"} frames)');
  }
  if (!Array.isArray(raw) || raw.length === 0) throw new InvalidSignalError('not a vPDQ value: need a non-empty array of {"pdq", "quality"} frames');
  return raw.map((f, i) => {
    if (typeof f === 'string') f = pytxFrame(f, i);
    if (typeof f !== 'object' || f === null) throw new InvalidSignalError(`vPDQ frame ${i} is not an object`);
    const { pdq, quality, timestamp } = f as Record<string, unknown>;
    if (typeof pdq !== 'string') throw new InvalidSignalError(`vPDQ frame ${i} has no "pdq" text`);
    if (quality === undefined || quality === null || quality === '') throw new InvalidSignalError(`vPDQ frame ${i} has no quality`);
    const frame: VpdqValueFrame = { pdq: parsePdqHex(pdq), quality: frameQuality(quality, i) };
    if (typeof timestamp === 'number' && Number.isFinite(timestamp)) frame.timestamp = timestamp;
    return frame;
  });
}

const cache = new Map<string, VpdqFeature[]>();

/** Features of a stored (canonical) value, parsed once per value while it stays in the bounded cache. */
export function vpdqFeatures(value: string): VpdqFeature[] {
  let f = cache.get(value);
  if (!f) {
    f = parseVpdqFrames(value).map((x, i) => ({ frame: i, timestamp: x.timestamp ?? 0, pdq: x.pdq, quality: x.quality }));
    if (cache.size >= PARSED_CACHE) cache.delete(cache.keys().next().value!);
    cache.set(value, f);
  }
  return f;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

export const vpdqSignal: SignalType = {
  name: 'vpdq',
  description: 'vPDQ video hash: a PDQ per sampled frame (near copies, clips, re-encodes)',
  contentKinds: ['video'],
  indexKind: 'custom',
  defaultThreshold: DEFAULT_VPDQ_THRESHOLD,
  maxThreshold: MAX_VPDQ_THRESHOLD,
  normalise: (written) => JSON.stringify(parseVpdqFrames(written.trim())),
  format: (v) => `${vpdqFeatures(v).length} frames`,
  compare(query, stored, threshold) {
    const c = compareVpdq(vpdqFeatures(query), vpdqFeatures(stored), { queryThreshold: 100 - threshold });
    const distance = round2(100 - c.queryMatchPercent);
    return { distance, match: c.match, detail: { queryMatchPercent: round2(c.queryMatchPercent), comparedMatchPercent: round2(c.comparedMatchPercent) } };
  },
  fromMedia: (r) => (r.kind === 'video'
    ? [r.vpdq, ...(r.vpdqShown ? [r.vpdqShown] : [])].map((frames) => ({ type: 'vpdq', value: JSON.stringify(frames.map((f) => ({ pdq: f.pdq, quality: f.quality, timestamp: f.timestamp }))) }))
    : []),
  examples: {
    valid: [
      JSON.stringify([{ pdq: 'f'.repeat(64), quality: 90, timestamp: 0 }, { pdq: '0'.repeat(64), quality: 80, timestamp: 1 }]),
      JSON.stringify([`${'a'.repeat(64)},100,0.000`, `${'b'.repeat(64)},75,1.000`]),
    ],
    invalid: ['', '[]', 'not json', JSON.stringify([{ pdq: 'f'.repeat(63), quality: 90 }]), JSON.stringify([{ pdq: 'f'.repeat(64), quality: 101 }])],
    near: [{
      a: JSON.stringify([{ pdq: 'f'.repeat(64), quality: 90 }, { pdq: '0'.repeat(64), quality: 90 }]),
      b: JSON.stringify([{ pdq: 'f'.repeat(64), quality: 90 }]),
      distance: 50,
    }],
  },
};
