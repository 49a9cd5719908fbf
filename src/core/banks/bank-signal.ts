/**
 * Checks and normalises one bank entry's value by its signal type: PDQ and SHA-256 are 64 hex digits, MD5 32,
 * vPDQ the JSON array of a video's frame hashes. Lower-case hex; vPDQ frames in a canonical JSON form, so the same
 * value always stores (and de-duplicates) the same way.
 * TODO(#4): move into the signal registry (core/signals/registry.ts) when it lands.
 */
import { InvalidSignalError } from '../errors.js';
import { parsePdqHex } from '../signals/pdq/pdq-hex.js';
import { BANK_SIGNAL_TYPES, MAX_QUALITY, type BankSignalType } from './bank.js';

export interface VpdqBankFrame {
  pdq: string;
  quality: number;
  timestamp?: number;
}

const MD5_RE = /^[0-9a-f]{32}$/;
const SHA256_RE = /^[0-9a-f]{64}$/;

/** True when the text names a bank signal type. */
export function isBankSignalType(t: string): t is BankSignalType {
  return (BANK_SIGNAL_TYPES as readonly string[]).includes(t);
}

/**
 * The normalised value, or an InvalidSignalError saying what is wrong with it.
 * @example normaliseBankSignal('md5', 'D41D8CD98F00B204E9800998ECF8427E') // 'd41d8cd98f00b204e9800998ecf8427e'
 */
export function normaliseBankSignal(type: BankSignalType, value: string): string {
  const v = value.trim();
  switch (type) {
    case 'pdq':
      return parsePdqHex(v);
    case 'md5':
      if (!MD5_RE.test(v.toLowerCase())) throw new InvalidSignalError(`not an MD5: "${shorten(v)}" (need 32 hex digits, got ${v.length} characters)`);
      return v.toLowerCase();
    case 'sha256':
      if (!SHA256_RE.test(v.toLowerCase())) throw new InvalidSignalError(`not a SHA-256: "${shorten(v)}" (need 64 hex digits, got ${v.length} characters)`);
      return v.toLowerCase();
    case 'vpdq':
      return JSON.stringify(parseVpdqFrames(v));
  }
}

/** python-threatexchange writes a frame as "hex,quality,timestamp". */
function pytxFrame(text: string, i: number): Record<string, unknown> {
  const cells = text.split(',').map((c) => c.trim());
  if (cells.length !== 3) throw new InvalidSignalError(`vPDQ frame ${i}: expected "hex,quality,timestamp", got "${shorten(text)}"`);
  return { pdq: cells[0], quality: cells[1], timestamp: Number(cells[2]) };
}

/**
 * The frames of a vPDQ value: a JSON array of {pdq, quality, timestamp?} (as `unexpose hash` prints them) or of
 * python-threatexchange's "hex,quality,timestamp" strings.
 * @example parseVpdqFrames('[{"pdq":"ab..","quality":80}]')[0].quality // 80
 */
export function parseVpdqFrames(value: string | unknown[]): VpdqBankFrame[] {
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
    const q = checkQuality(quality, `vPDQ frame ${i} quality`);
    if (q === null) throw new InvalidSignalError(`vPDQ frame ${i} has no quality`);
    const frame: VpdqBankFrame = { pdq: parsePdqHex(pdq), quality: q };
    if (typeof timestamp === 'number' && Number.isFinite(timestamp)) frame.timestamp = timestamp;
    return frame;
  });
}

/**
 * An integer quality 0..100, null when absent, or an InvalidSignalError naming the field.
 * @example checkQuality('75', 'quality') // 75
 */
export function checkQuality(value: unknown, what = 'quality'): number | null {
  if (value === undefined || value === null || value === '') return null;
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 0 || n > MAX_QUALITY) throw new InvalidSignalError(`${what} must be an integer 0..${MAX_QUALITY}, got "${String(value)}"`);
  return n;
}

function shorten(t: string): string {
  return t.length > 80 ? `${t.slice(0, 77)}...` : t;
}
