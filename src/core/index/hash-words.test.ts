/** hexToWordsInto agrees with the checked pdqHexToWords on any hash, and names bad input. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pdqHexToWords } from '../signals/pdq/pdq-hex.js';
import { hexToWordsInto } from './hash-words.js';

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
