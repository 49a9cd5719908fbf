/** hexToWordsInto and bytesToWordsInto agree with the checked pdqHexToWords on any hash; bad hex is named. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pdqHexToWords } from '../signals/pdq/pdq-hex.js';
import { bytesToWordsInto, hexToWordsInto } from './hash-words.js';

describe('hexToWordsInto', () => {
  it('gives the same words as pdqHexToWords, upper or lower case', () => {
    fc.assert(fc.property(fc.uint32Array({ minLength: 8, maxLength: 8 }), fc.boolean(), (w, upper) => {
      const hex = [...w].reverse().map((x) => x.toString(16).padStart(8, '0')).join('');
      const out = new Uint32Array(16);
      hexToWordsInto(upper ? hex.toUpperCase() : hex, out, 8);
      expect([...out.subarray(8)]).toEqual([...pdqHexToWords(hex)]);
    }));
  });

  it('rejects text that is not 64 hex digits', () => {
    const out = new Uint32Array(8);
    expect(() => hexToWordsInto('ab', out, 0)).toThrow(/2 characters/);
    expect(() => hexToWordsInto('g'.repeat(64), out, 0)).toThrow(/not a hex digit/);
  });
});

describe('bytesToWordsInto', () => {
  it('gives the words of the hex its 32 bytes spell, wherever they sit in the page', () => {
    fc.assert(fc.property(fc.uint32Array({ minLength: 8, maxLength: 8 }), fc.nat(3), (w, slot) => {
      const hex = [...w].reverse().map((x) => x.toString(16).padStart(8, '0')).join('');
      const page = new Uint8Array(4 * 32).fill(0xee);
      for (let i = 0; i < 32; i++) page[slot * 32 + i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
      const out = new Uint32Array(16);
      bytesToWordsInto(page, slot * 32, out, 8);
      expect([...out.subarray(8)]).toEqual([...pdqHexToWords(hex)]);
      expect([...out.subarray(0, 8)]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    }));
  });
});
