/**
 * The signal-type contract (after python-threatexchange's SignalType): what a kind of hash or keyed identifier
 * is called in storage, which content produces it, how a written value is parsed and normalised, how two values
 * compare, its default threshold and which index serves it. One folder per signal type fills it in; registry.ts
 * lists them. Pure: no Node built-ins.
 */
import { InvalidSignalError } from '../errors.js';
import type { MediaHashResult } from '../content/media-hash.js';
import type { HammingIndexSpec } from '../index/index-spec.js';

/** What content a signal is computed from. */
export type ContentKind = 'photo' | 'video' | 'text';

/**
 * How stored values of a type are looked up: `exact` by value (a database index), `hamming-256` in the in-memory
 * multi-index over 256-bit hashes, `custom` by comparing the query with every stored value of the type.
 */
export type IndexKind = 'exact' | 'hamming-256' | 'custom';

/** One signal: a type name and its normalised value, with the quality of the hash when the type has one. */
export interface Signal {
  type: string;
  value: string;
  quality?: number | null;
  /** A looked-up form that may match only this near (tighter than any bank's threshold), e.g. off-centre region_mag. */
  reach?: number;
}

export interface SignalComparison {
  /** Hamming bits, % of the query's frames not matched (vPDQ), or 0/1 for exact types. */
  distance: number;
  /** True when the distance is within the threshold. */
  match: boolean;
  /** Figures a type reports besides the distance (vPDQ: queryMatchPercent, comparedMatchPercent). */
  detail?: Record<string, number>;
}

export interface SignalType {
  /** Lower snake-case storage key: never renamed once stored. */
  readonly name: string;
  /** One line for help texts. */
  readonly description: string;
  readonly contentKinds: readonly ContentKind[];
  readonly indexKind: IndexKind;
  /** For `hamming-256` types: which in-memory index and bit order serve them (default: plain multi-index). */
  readonly hammingIndex?: HammingIndexSpec;
  /** Threshold a bank uses unless it sets its own, and the largest a bank may set. */
  readonly defaultThreshold: number;
  readonly maxThreshold: number;
  /** The canonical value of a written one; throws InvalidSignalError saying what is wrong. */
  normalise(written: string): string;
  /** A short form for people (long values shortened). */
  format(value: string): string;
  /** Compares a query value with a stored one (both normalised) under a threshold. */
  compare(query: string, stored: string, threshold: number): SignalComparison;
  /** The values of this type in a media hash result (empty when the media does not produce it). */
  fromMedia?(result: Exclude<MediaHashResult, { error: string }>): Signal[];
  /** Values for the shared suite: valid (written) ones, invalid ones, and a near pair with its distance. */
  readonly examples: {
    readonly valid: readonly string[];
    readonly invalid: readonly string[];
    readonly near?: readonly { a: string; b: string; distance: number }[];
  };
}

const NAME = /^[a-z][a-z0-9_]{0,39}$/;

/** True when the text can be a signal type's name (lower snake case, starting with a letter). */
export function isSignalTypeName(name: string): boolean {
  return NAME.test(name);
}

/**
 * Checks a threshold for a type: an integer 0..maxThreshold.
 * @example checkThreshold(pdqSignal, 40) // 40
 */
export function checkThreshold(type: SignalType, n: unknown): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > type.maxThreshold) {
    throw new InvalidSignalError(`${type.name} threshold must be an integer 0..${type.maxThreshold}, got ${String(n)}`);
  }
  return n;
}

/** Shortens a value for messages. */
export function shorten(t: string, max = 80): string {
  return t.length > max ? `${t.slice(0, max - 3)}...` : t;
}

/**
 * A signal type whose values are fixed-length lower-case hex compared for equality (MD5, SHA-256, keyed HMACs).
 * @example hexExactSignal({ name: 'md5', digits: 32, ... }).normalise('D41D...') // 'd41d...'
 */
export function hexExactSignal(spec: {
  name: string; label: string; description: string; digits: number; contentKinds: readonly ContentKind[];
  fromMedia?: SignalType['fromMedia']; examples: SignalType['examples'];
}): SignalType {
  const re = new RegExp(`^[0-9a-f]{${spec.digits}}$`);
  return {
    name: spec.name,
    description: spec.description,
    contentKinds: spec.contentKinds,
    indexKind: 'exact',
    defaultThreshold: 0,
    maxThreshold: 0,
    normalise(written) {
      const v = written.trim().toLowerCase();
      if (!re.test(v)) throw new InvalidSignalError(`not ${spec.label}: "${shorten(written.trim())}" (need ${spec.digits} hex digits, got ${written.trim().length} characters)`);
      return v;
    },
    format: (v) => v,
    compare: (a, b) => (a === b ? { distance: 0, match: true } : { distance: 1, match: false }),
    fromMedia: spec.fromMedia,
    examples: spec.examples,
  };
}
