import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { redactIdentifiers } from './find-identifiers.js';
import { syntheticNlMobile, syntheticNlMobileDigits } from './synthetic-phones.js';

describe('redactIdentifiers', () => {
  it('leaves no phone number or handle in clear in a file name or notice', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 9999 }), (n) => {
      const digits = syntheticNlMobileDigits(n);
      const text = `files/06${digits}.jpg: not a photo or video; see insta: example.synth.${String(n).padStart(4, '0')}`;
      const out = redactIdentifiers(text);
      expect(out).not.toContain(digits);
      expect(out).not.toContain(syntheticNlMobile(n));
      expect(out).not.toContain(`example.synth.${String(n).padStart(4, '0')}`);
      expect(out).toContain('•');
      expect(out).toMatch(/^files\/.*\.jpg: not a photo or video; see /);
    }), { numRuns: 50 });
  });

  it('leaves text without identifiers as it is', () => {
    expect(redactIdentifiers('photos/photo_12@03-03-2025_18-23-03.jpg: could not decode')).toBe('photos/photo_12@03-03-2025_18-23-03.jpg: could not decode');
  });
});
