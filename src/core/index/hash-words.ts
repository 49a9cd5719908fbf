/**
 * Fast conversion of stored PDQ hex into index words, for loading millions of hashes: no regular expression and
 * no substring per word (pdqHexToWords in pdq-hex.ts is the checked, friendly form for single hashes).
 */
import { InvalidSignalError } from '../errors.js';

/** The value of each byte that is a hex digit (either case), else -1: for a character code below 256 or a byte. */
export const HEX_VALUE = new Int8Array(256).fill(-1);
for (let c = 0; c < 10; c++) HEX_VALUE[48 + c] = c;
for (let c = 0; c < 6; c++) {
  HEX_VALUE[97 + c] = 10 + c;
  HEX_VALUE[65 + c] = 10 + c;
}

/**
 * Writes the 8 words of a 64-hex-digit hash into out[off..off+8), in pdq-hex.ts's order.
 * @example hexToWordsInto('0'.repeat(63) + '1', words, 0) // words[0] === 1
 * @throws InvalidSignalError when the text is not 64 hex digits.
 */
export function hexToWordsInto(hex: string, out: Uint32Array, off: number): void {
  if (hex.length !== 64) throw new InvalidSignalError(`not a PDQ hash: ${hex.length} characters, not 64`);
  for (let w = 0; w < 8; w++) {
    let v = 0;
    const end = 64 - 8 * w;
    for (let i = end - 8; i < end; i++) {
      const c = hex.charCodeAt(i);
      const d = c < 256 ? HEX_VALUE[c] : -1;
      if (d < 0) throw new InvalidSignalError(`not a PDQ hash: "${hex}" has a character that is not a hex digit`);
      v = (v << 4) | d;
    }
    out[off + w] = v >>> 0;
  }
}

/**
 * Writes the 8 words of a 32-byte hash (the bytes its 64 hex digits spell, as the store's unhex/decode gives them)
 * at bytes[at..at+32) into out[off..off+8): the same words as hexToWordsInto of its hex.
 * @example bytesToWordsInto(Buffer.from('0'.repeat(63) + '1', 'hex'), 0, words, 0) // words[0] === 1
 */
export function bytesToWordsInto(bytes: Uint8Array, at: number, out: Uint32Array, off: number): void {
  for (let w = 0; w < 8; w++) {
    const p = at + 28 - 4 * w;
    out[off + w] = ((bytes[p] << 24) | (bytes[p + 1] << 16) | (bytes[p + 2] << 8) | bytes[p + 3]) >>> 0;
  }
}
