import fc from 'fast-check';
import { isValidPhoneNumber } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import { findPhoneNumbers, normalisePhone } from './phone-finder.js';
import { NL_MOBILE_WRITINGS, syntheticNlMobile, syntheticNlMobileDigits } from './synthetic-phones.js';
import { IDENTIFIER_DECOYS, NL_MOBILE_DODGES } from './synthetic-writings.js';
import { normaliseForPhones } from './normalise-text.js';

// Valid Dutch mobiles only (06-1 .. 06-5 blocks, checked against the metadata): the generator's domain, not the claim.
const digits8 = fc
  .tuple(fc.integer({ min: 1, max: 5 }), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 7, maxLength: 7 }))
  .map(([a, rest]) => `${a}${rest.join('')}`)
  .filter((dg) => isValidPhoneNumber(`+316${dg}`));
const values = (text: string, region?: string) => findPhoneNumbers(text, { defaultRegion: region }).map((f) => f.value);

describe('findPhoneNumbers', () => {
  const d = syntheticNlMobileDigits(42);
  const e164 = syntheticNlMobile(42);

  it.each(NL_MOBILE_WRITINGS.map((w) => [w(d)]))('finds %s as the same E.164', (written) => {
    expect(values(`zie ${written} voor meer`)).toEqual([e164]);
  });

  it('finds a number written right after a time or another number', () => {
    expect(values(`om 16:11 06 12 34 00 11`)).toEqual(['+31612340011']);
    expect(values(`kamer 12 06-${d}`)).toEqual([e164]);
    expect(values(`op 01-05-2025 06-${d}`)).toEqual([e164]);
    expect(values(`op 01-05-2025 06 ${d.slice(0, 2)} ${d.slice(2, 4)} ${d.slice(4, 6)} ${d.slice(6)}`)).toEqual([e164]);
    expect(values('op 01-05-1990 1000 AB')).toEqual([]);
  });

  it('finds numbers in a file name and at the edges of text', () => {
    expect(values(`IMG_06${d}.jpg`)).toEqual([e164]);
    expect(values(`06-${d}`)).toEqual([e164]);
    expect(values(`bellen: 06${d}!`)).toEqual([e164]);
  });

  it('finds several numbers in one message, with spans that slice back to what was written', () => {
    const text = `eerste 06-${d} tweede +31 6 ${syntheticNlMobileDigits(7)} klaar`;
    const found = findPhoneNumbers(text);
    expect(found.map((f) => f.value)).toEqual([e164, syntheticNlMobile(7)]);
    expect(text.slice(found[0].start, found[0].end)).toBe(`06-${d}`);
    expect(found[0].display).toBe(`+31 6 •••• ••${d.slice(-2)}`);
    expect(found[0].numberType).toBe('MOBILE');
  });

  it('finds Dutch landlines and respects another default region', () => {
    expect(values('kantoor 020-1234567')).toEqual(['+31201234567']);
    expect(values('call 0612345678', 'DE')).not.toContain('+31612345678');
    expect(values('ruf an: +31 6 12345678', 'DE')).toEqual(['+31612345678']);
  });

  it('refuses an unknown region with a message naming it', () => {
    expect(() => findPhoneNumbers('06 12345678', { defaultRegion: 'XX' })).toThrow(/unknown phone region "XX"/);
  });

  const negatives = [
    'op 06-12-2024 om 14:30',
    'datum 2024-05-12, tijd 21:14:09',
    '12/05/2024',
    '06-12-2024 1430',
    'photo_1@05-03-2025_21-14-09.jpg',
    'IMG-20210428-WA0001.jpg',
    'postcode 1012 AB Amsterdam',
    'postcode 3511AB',
    'kost € 1.250,00 of €0,99',
    'prijs: 1.234.567,89 euro',
    'bestelnummer 0612345678',
    'Ordernr: 0612345678',
    'order #0201234567',
    'factuur nr. 0612345678',
    'track & trace 0612345678',
    'IBAN NL91ABNA0417164300',
    'KvK 12345678',
    'BSN 123456782',
    'bestelnummer 2024123456',
    '1234567890',
    'ticket 0612345678',
    'versie 6.12.345.678',
    'score 06 - 12',
    'https://t.me/+AbCdEf0612345678',
    't.me/+0612345678abc',
    '+44 7700 900123',
  ];
  it.each(negatives.map((n) => [n]))('does not see a phone number in %s', (text) => {
    expect(values(text)).toEqual([]);
  });

  it('property: a generated NL mobile written any common way normalises to the same E.164', () => {
    fc.assert(
      fc.property(digits8, fc.integer({ min: 0, max: NL_MOBILE_WRITINGS.length - 1 }), fc.constantFrom('', 'bel ', 'nummer: ', '👉 ', '(', '\n'), (dg, w, pre) => {
        const expected = `+316${dg}`;
        const found = findPhoneNumbers(`${pre}${NL_MOBILE_WRITINGS[w](dg)} .`);
        expect(found.map((f) => f.value)).toEqual([expected]);
        expect(found[0].display.endsWith(dg.slice(-2))).toBe(true);
        expect(found[0].display).not.toContain(dg.slice(0, 6));
      }),
      { numRuns: 400 },
    );
  });

  it('property: dates, times, prices and postal codes are never phone numbers, and do not hide one after them', () => {
    const date = fc.tuple(fc.integer({ min: 1, max: 28 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1990, max: 2030 }), fc.constantFrom('-', '/', '.'))
      .map(([dd, mm, y, s]) => `${String(dd).padStart(2, '0')}${s}${String(mm).padStart(2, '0')}${s}${y}`);
    const time = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
    const price = fc.tuple(fc.integer({ min: 0, max: 99999999 }), fc.integer({ min: 0, max: 99 })).map(([e, c]) => `€ ${e.toLocaleString('nl-NL')},${String(c).padStart(2, '0')}`);
    const postcode = fc.tuple(fc.integer({ min: 1000, max: 9999 }), fc.constantFrom('AB', 'XY', 'KL')).map(([n, l]) => `${n} ${l}`);
    fc.assert(
      fc.property(fc.array(fc.oneof(date, time, price, postcode), { minLength: 1, maxLength: 4 }), (parts) => {
        expect(values(`op ${parts.join(' ')} klaar`)).toEqual([]);
      }),
      { numRuns: 400 },
    );
    fc.assert(
      fc.property(fc.oneof(date, time, price, postcode), digits8, fc.integer({ min: 0, max: NL_MOBILE_WRITINGS.length - 1 }), (decoy, dg, w) => {
        expect(values(`op ${decoy} ${NL_MOBILE_WRITINGS[w](dg)} klaar`)).toEqual([`+316${dg}`]);
      }),
      { numRuns: 400 },
    );
  });
});

describe('normalisePhone', () => {
  it('normalises a contact card number written any way, or returns null', () => {
    expect(normalisePhone('+31 6 12345678')?.value).toBe('+31612345678');
    expect(normalisePhone('06 12 34 56 78')?.value).toBe('+31612345678');
    expect(normalisePhone('31612345678')?.value).toBe('+31612345678');
    expect(normalisePhone('bel 0612345678')).toBeNull();
    expect(normalisePhone('12345')).toBeNull();
  });
});

describe('findPhoneNumbers on writings made to dodge filters (issue 8 §5)', () => {
  const d = syntheticNlMobileDigits(42);
  it.each(NL_MOBILE_DODGES.map(([name, w]) => [name, w(d)]))('finds %s: %s', (_, written) => {
    const text = `zie ${written} nu`;
    const found = findPhoneNumbers(text);
    expect(found.map((f) => f.value)).toEqual([syntheticNlMobile(42)]);
    // The span is the writing in the original text, whatever its digits were.
    expect(normaliseForPhones(text.slice(found[0].start, found[0].end)).text.replace(/\D/g, '')).toMatch(/12340042$/);
  });

  it.each(IDENTIFIER_DECOYS.flatMap(([kind, texts]) => texts.map((t) => [kind, t])))('sees no phone number in %s: %s', (_, text) => {
    expect(values(text)).toEqual([]);
  });

  it('property: a dodge writing of any synthetic mobile, between words, is found once with its value', () => {
    fc.assert(fc.property(digits8, fc.integer({ min: 0, max: NL_MOBILE_DODGES.length - 1 }), fc.constantFrom('', 'bel ', 'nummer: ', '👉 ', '\n'),
      (dg, w, pre) => {
        // "nul" for a zero needs a zero where the writing puts it.
        fc.pre(!NL_MOBILE_DODGES[w][0].includes('nul') || dg[4] === '0');
        // "O6-l…" writes the first digit after 06 as the letter l: only for numbers where it is a 1.
        fc.pre(NL_MOBILE_DODGES[w][0] !== 'O and l' || dg[0] === '1');
        expect(values(`${pre}${NL_MOBILE_DODGES[w][1](dg)} .`)).toEqual([`+316${dg}`]);
      }), { numRuns: 400 });
  });

  it('reads a long run of digit pairs in one pass, finding each number once', () => {
    const found = findPhoneNumbers('06 12 '.repeat(5000));
    // "06 12 06 12 06" is a number; the "12" after it starts none; the next "06" begins the next one.
    expect(found.length).toBe(1666);
    expect(new Set(found.map((f) => f.value))).toEqual(new Set(['+31612061206']));
    expect(found.every((f, i) => f.start === i * 18 && f.end === i * 18 + 14)).toBe(true);
  });
});
