/**
 * The text form of a PDQ hash (64 hex digits, most significant first) and the 256-bit words behind it.
 * Bit k of the hash is bit (k % 32) of word floor(k / 32); word 0 is the last 8 hex digits.
 * Hamming distance does not depend on this order, but the dihedral and DCT code does.
 */
import { InvalidSignalError } from '../../errors.js';

export const PDQ_HEX_LENGTH = 64;
export const PDQ_BITS = 256;
const HEX_RE = /^[0-9a-fA-F]{64}$/;

/**
 * Checks and normalises a PDQ hash given as text: upper case is accepted, the result is lower case.
 * @example parsePdqHex('F8F8...') // 'f8f8...'
 * @throws InvalidSignalError when the text is not exactly 64 hex digits.
 */
export function parsePdqHex(text: string): string {
  const t = text.trim();
  if (!HEX_RE.test(t)) {
    const shown = t.length > 80 ? `${t.slice(0, 77)}...` : t;
    const why = t.length !== PDQ_HEX_LENGTH
      ? `it has ${t.length} characters, not ${PDQ_HEX_LENGTH}`
      : 'it has characters that are not hex digits (0-9, a-f)';
    throw new InvalidSignalError(`not a PDQ hash: "${shown}" (${why})`);
  }
  return t.toLowerCase();
}

/** True when the text is a valid PDQ hash (64 hex digits, any case). */
export function isPdqHex(text: string): boolean {
  return HEX_RE.test(text.trim());
}

/**
 * The 8 little-endian 32-bit words of a PDQ hash.
 * @example pdqHexToWords('0'.repeat(63) + '1')[0] // 1
 */
export function pdqHexToWords(hex: string): Uint32Array {
  const h = parsePdqHex(hex);
  const words = new Uint32Array(8);
  for (let i = 0; i < 8; i++) {
    const start = PDQ_HEX_LENGTH - 8 * (i + 1);
    words[i] = parseInt(h.slice(start, start + 8), 16) >>> 0;
  }
  return words;
}

/** The two hex digits of each byte. */
const BYTE_HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/** The 64-digit lower-case hex of 8 little-endian 32-bit words (a byte at a time: 30 region hashes a photo). */
export function pdqWordsToHex(words: ArrayLike<number>): string {
  let out = '';
  for (let i = 7; i >= 0; i--) {
    const w = words[i] >>> 0;
    out += BYTE_HEX[w >>> 24] + BYTE_HEX[(w >>> 16) & 255] + BYTE_HEX[(w >>> 8) & 255] + BYTE_HEX[w & 255];
  }
  return out;
}

/** Number of set bits in a 32-bit integer. */
export function popcount32(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** Hamming distance between two hashes given as 8 words each (0..256). */
export function hammingDistanceWords(a: ArrayLike<number>, b: ArrayLike<number>, aOffset = 0, bOffset = 0): number {
  let d = 0;
  for (let i = 0; i < 8; i++) d += popcount32((a[aOffset + i] ^ b[bOffset + i]) >>> 0);
  return d;
}

/**
 * Hamming distance between two PDQ hashes given as hex.
 * @example pdqDistance('0'.repeat(64), '0'.repeat(63) + 'f') // 4
 */
export function pdqDistance(a: string, b: string): number {
  return hammingDistanceWords(pdqHexToWords(a), pdqHexToWords(b));
}
