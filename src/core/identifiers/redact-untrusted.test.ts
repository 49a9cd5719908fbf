import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_UNTRUSTED_CHARS, redactUntrusted } from './redact-untrusted.js';
import { syntheticNlMobileDigits } from './synthetic-phones.js';
import { ALL_NL_MOBILE_WRITINGS, HANDLE_WRITINGS } from './synthetic-writings.js';
import { normaliseForPhones } from './normalise-text.js';

/** The digits a reader could recover from text: every digit form folded to ASCII, separators dropped. */
const digitsOf = (s: string) => normaliseForPhones(s).text.replace(/\D/g, '');

describe('redactUntrusted', () => {
  it.each([
    ['full-width digits', 'Expose ０６１２３４００４２ groep', '12340042'],
    ['digits glued to a name', 'lisa0612340042', '12340042'],
    ['international without +', 'chat 31612340042', '12340042'],
    ['Arabic-Indic digits', 'naam ٠٦١٢٣٤٠٠٤٢', '12340042'],
    ['a number in a path', 'photos/+31612340042.jpg: not found', '12340042'],
    ['a number in an Android chat file name', 'WhatsApp Chat with +31 6 12340042.txt', '12340042'],
    ['a mobile number without its trunk 0 inside a word', 'x612340042y', '12340042'],
    ['a foreign number without +', 'Chat 4915112340042.txt', '12340042'],
  ])('hides %s', (_, text, secret) => {
    const out = redactUntrusted(text);
    expect(digitsOf(out)).not.toContain(secret.slice(0, 6));
    expect(out).toContain('•');
  });

  it('hides a handle written straight after a platform emoji, also in a file name', () => {
    const out = redactUntrusted('media file "photos/📸exsynth_0042.jpg" is not in export');
    expect(out).not.toContain('exsynth_0042');
    expect(out).toContain('photos/📸e••••');
  });

  it('hides bare @names and the local part of e-mail addresses, keeping the rest readable', () => {
    expect(redactUntrusted('Groep van @exsynth_0042 en mail jane.doe@example.org')).toBe('Groep van @e•••• en mail j••••@example.org');
  });

  it('keeps dates, times, short numbers and ordinary words', () => {
    const text = 'photos/photo_12@03-03-2025_18-23-03.jpg: could not decode (Synthetische groep 3, 14:30)';
    expect(redactUntrusted(text)).toBe(text);
  });

  it('keeps figures that cannot be a phone number readable, and hides those that could', () => {
    expect(redactUntrusted('would grow from 24464 to 25165824 bytes')).toBe('would grow from 24464 to 25165824 bytes');
    expect(redactUntrusted('would grow to 31612340042 bytes')).not.toContain('12340042');
    expect(redactUntrusted('id 12345678901234567')).not.toContain('1234567890');
  });

  it('cuts long text to a bound', () => {
    const out = redactUntrusted('a'.repeat(10 * MAX_UNTRUSTED_CHARS));
    expect(out.length).toBeLessThanOrEqual(MAX_UNTRUSTED_CHARS);
    expect(out.endsWith('…')).toBe(true);
  });

  it('property: no writing of a number or a handle survives, wherever it is in the text', () => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: ALL_NL_MOBILE_WRITINGS.length - 1 }),
      fc.integer({ min: 0, max: HANDLE_WRITINGS.length - 1 }), fc.constantFrom('', 'x', 'Chat with ', 'photos/', '_', '\n'), fc.constantFrom('', '.jpg', ' groep', 'x'),
      (n, w, h, pre, post) => {
        const d = syntheticNlMobileDigits(n);
        const name = `exsynth_${String(n).padStart(4, '0')}`;
        // A handle is also written straight after a path or a separator ("photos/📸name.jpg"); not glued to a letter,
        // where "xinsta" is no platform word and "_@name" no mention.
        const handlePre = pre === 'x' || pre === '_' ? '' : pre;
        const out = redactUntrusted(`${pre}${ALL_NL_MOBILE_WRITINGS[w][1](d)}${post} ${handlePre}${HANDLE_WRITINGS[h][2](name)} ${post}`);
        expect(digitsOf(out)).not.toContain(d.slice(0, 6));
        expect(out.toLowerCase()).not.toContain(name);
      },
    ), { numRuns: 500 });
  });
});
