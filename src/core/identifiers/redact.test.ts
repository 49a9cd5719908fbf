import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MASK, redactHandle, redactPhone } from './redact.js';

describe('redactPhone', () => {
  it('shows country code, first national digit and the last two digits', () => {
    expect(redactPhone('+31612345678', '31')).toBe('+31 6 •••• ••78');
    expect(redactPhone('+31201234567', '31')).toBe('+31 2 •••• ••67');
    expect(redactPhone('+447700900123', '44')).toBe('+44 7 • •••• ••23');
  });

  it('property: never shows more than three national digits and keeps the last two', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[1-9]\d{6,11}$/), (national) => {
        const r = redactPhone(`+31${national}`, '31');
        expect(r.startsWith(`+31 ${national[0]} `)).toBe(true);
        expect(r.endsWith(national.slice(-2))).toBe(true);
        expect(r.slice(4).replace(/[^\d]/g, '')).toHaveLength(3);
        expect(r.split(MASK).length - 1).toBe(national.length - 3);
      }),
    );
  });
});

describe('redactHandle', () => {
  it('keeps platform, first and last character and hides the length', () => {
    expect(redactHandle('instagram', 'jane.doe')).toBe('ig:@j••••e');
    expect(redactHandle('snapchat', 'jane_doe_long_x')).toBe('sc:@j••••x');
    expect(redactHandle('tiktok', 'ab')).toBe('tt:@a••••');
  });
});
