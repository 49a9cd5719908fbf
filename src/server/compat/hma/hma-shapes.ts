/**
 * HMA's names and shapes (../shared/reference/hma-api.md): signal types pdq and video_md5, content types photo and
 * video, the bank-name rule, string distances, sorted keys, floats written as Python writes them, and the
 * `{"message": …}` error body.
 */
import { UnexposeError } from '../../../core/errors.js';

/** HMA signal type → our stored signal type. */
export const HMA_SIGNAL_TYPES: Record<string, string> = { pdq: 'pdq', video_md5: 'md5' };
export const HMA_CONTENT_TYPES = ['photo', 'video'] as const;
/** HMA matches PDQ at Hamming distance ≤ 31 whatever the bank says (PDQIndex.get_match_threshold). */
export const HMA_PDQ_THRESHOLD = 31;
const HMA_BANK_NAME = /^[A-Z_][A-Z0-9_]*$/;

/** An HMA error: `{"message": …}` with this status. */
export class HmaError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'HmaError';
  }
}

/** Our stored type → HMA's name for it (types HMA does not know have none). */
export function hmaTypeName(t: string): string | undefined {
  return Object.entries(HMA_SIGNAL_TYPES).find(([, ours]) => ours === t)?.[0];
}

/** HMA's bank-name rule (storage/postgres/database.py _bank_name_ok), at most 255 characters. */
export function checkHmaBankName(name: unknown): string {
  if (typeof name !== 'string' || !HMA_BANK_NAME.test(name) || name.length > 255) throw new HmaError(400, 'Bank names must be UPPER_WITH_UNDERSCORE');
  return name;
}

/**
 * Validates a signal as HMA does: PDQ lower-case hex only; MD5 trimmed and lower-cased first.
 * @returns the normalised value, or throws with HMA's reason text ("invalid PDQ hash").
 */
export function hmaSignalValue(type: string, value: unknown): string {
  if (type === 'pdq') {
    if (typeof value !== 'string' || !/^[0-9a-f]{64}$/.test(value)) throw new Error('invalid PDQ hash');
    return value;
  }
  const v = typeof value === 'string' ? value.trim().toLowerCase() : '';
  if (!/^[0-9a-f]{32}$/.test(v)) throw new Error('invalid MD5 hash');
  return v;
}

/** HMA's pretty_str of a distance: the integer for PDQ, "-" for exact types. */
export function hmaDistance(type: string, distance: number): string {
  return type === 'pdq' ? String(Math.round(distance)) : '-';
}

/** A copy with every object's keys sorted (Flask's jsonify does this). */
export function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
  }
  return v;
}

/** JSON as HMA writes it: sorted keys, ratios as floats (1.0, not 1). */
export function hmaJson(v: unknown): string {
  return JSON.stringify(sortKeys(v)).replace(/("(?:matching_)?enabled_ratio":)(-?\d+)(?=[,}])/g, '$1$2.0');
}

/** Parses HMA's comma list of signal types for a content type (`types=`). */
export function selectTypes(types: string | undefined, available: string[]): string[] {
  if (types === undefined) return available;
  const wanted = types.split(',').map((t) => t.trim()).filter((t) => t !== '');
  if (wanted.length === 0) throw new HmaError(400, 'empty signal type selection');
  for (const t of wanted) if (!(t in HMA_SIGNAL_TYPES)) throw new HmaError(400, `signal type '${t}' doesn't exist or is disabled`);
  return wanted.filter((t) => available.includes(t));
}

/** Our error codes → HMA status for the few service errors that reach an HMA route unconverted. */
export function hmaStatusFor(err: unknown): { status: number; message: string } {
  if (err instanceof HmaError) return { status: err.status, message: err.message };
  if (err instanceof UnexposeError) {
    const status = { not_found: 404, conflict: 403, unauthorized: 401, forbidden: 403, rate_limited: 429, too_large: 413, unavailable: 503 }[err.code as string] ?? 400;
    return { status, message: err.message };
  }
  const code = (err as { code?: unknown })?.code;
  if (typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code)) return { status: 400, message: 'a value in the request cannot be stored' };
  return { status: 500, message: 'Internal Server Error' };
}
