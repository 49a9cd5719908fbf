import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkHmaBankName, hmaDistance, hmaJson, hmaSignalValue, selectTypes } from './hma-shapes.js';

describe('HMA shapes', () => {
  it('writes JSON as Flask does: sorted keys at every depth, ratios as floats', () => {
    expect(hmaJson({ name: 'B', matching_enabled_ratio: 1 })).toBe('{"matching_enabled_ratio":1.0,"name":"B"}');
    expect(hmaJson([{ name: 'pdq', enabled_ratio: 0 }])).toBe('[{"enabled_ratio":0.0,"name":"pdq"}]');
    expect(hmaJson({ b: { d: 1, c: 2 }, a: [{ z: 1, y: 2 }] })).toBe('{"a":[{"y":2,"z":1}],"b":{"c":2,"d":1}}');
    expect(hmaJson({ matching_enabled_ratio: 0.5 })).toBe('{"matching_enabled_ratio":0.5}');
  });

  it('keeps every value while sorting keys', () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => {
      expect(JSON.parse(hmaJson(v))).toEqual(JSON.parse(JSON.stringify(v)));
    }));
  });

  it('applies the bank-name rule [A-Z_][A-Z0-9_]*', () => {
    expect(checkHmaBankName('NCMEC_BANK')).toBe('NCMEC_BANK');
    expect(checkHmaBankName('_X')).toBe('_X');
    for (const bad of ['lower', '1BANK', 'A-B', '', 'A B', 'Ä']) expect(() => checkHmaBankName(bad)).toThrow('Bank names must be UPPER_WITH_UNDERSCORE');
  });

  it('checks signals as HMA: lower-case PDQ only, MD5 trimmed and lower-cased', () => {
    expect(() => hmaSignalValue('pdq', 'F'.repeat(64))).toThrow('invalid PDQ hash');
    expect(hmaSignalValue('video_md5', ` ${'A'.repeat(32)} `)).toBe('a'.repeat(32));
    expect(hmaDistance('pdq', 26)).toBe('26');
    expect(hmaDistance('md5', 0)).toBe('-');
  });

  it('selects signal types from types=', () => {
    expect(selectTypes(undefined, ['pdq'])).toEqual(['pdq']);
    expect(() => selectTypes('', ['pdq'])).toThrow('empty signal type selection');
    expect(() => selectTypes('pdq,x', ['pdq'])).toThrow("signal type 'x' doesn't exist or is disabled");
  });
});
