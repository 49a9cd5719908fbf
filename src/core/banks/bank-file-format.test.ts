/** Bank file parsing and writing: round trips for csv and jsonl, bad lines named by number, the rest kept. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BankEntryInput } from './bank.js';
import { BANK_CSV_HEADER, BankFileParser, serialiseBankEntry, splitCsvLine, type BankFileFormat } from './bank-file-format.js';

const hexArb = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: n, maxLength: n });
const textArb = fc.string({ maxLength: 20 }).filter((s) => s.trim() === s && s !== '' && !s.includes(';') && !/[\r\n\u2028\u2029]/.test(s));
const entryArb: fc.Arbitrary<BankEntryInput> = fc.oneof(
  fc.record({ signalType: fc.constant('pdq' as const), signal: hexArb(64) }),
  fc.record({ signalType: fc.constant('md5' as const), signal: hexArb(32) }),
  fc.record({ signalType: fc.constant('sha256' as const), signal: hexArb(64) }),
).chain((s) => fc.record({
  signalType: fc.constant(s.signalType), signal: fc.constant(s.signal),
  quality: fc.option(fc.integer({ min: 0, max: 100 }), { nil: null }),
  sourceRef: fc.option(textArb, { nil: null }),
  labels: fc.uniqueArray(textArb, { maxLength: 3 }),
}));

function parseAll(lines: string[], format: BankFileFormat | 'auto' = 'auto') {
  const p = new BankFileParser(format);
  return lines.map((l) => p.parseLine(l)).filter((r) => r !== undefined);
}

describe('bank files', () => {
  for (const format of ['csv', 'jsonl'] as const) {
    it(`reads back every field it writes (${format})`, () => {
      fc.assert(fc.property(fc.array(entryArb, { maxLength: 20 }), (entries) => {
        const lines = [...(format === 'csv' ? [BANK_CSV_HEADER] : []), ...entries.map((e) => serialiseBankEntry(format, e))];
        expect(parseAll(lines)).toEqual(entries.map((e, i) => ({ line: i + (format === 'csv' ? 2 : 1), entry: e })));
      }));
    });
  }

  it('reports bad lines with their numbers and keeps the good ones (one hash per line)', () => {
    const good = 'f'.repeat(64);
    const got = parseAll([good, '', '# comment', 'abc', good.toUpperCase(), 'g'.repeat(64), 'd41d8cd98f00b204e9800998ecf8427e']);
    expect(got).toEqual([
      { line: 1, entry: { signalType: 'pdq', signal: good, quality: null, sourceRef: null, labels: [] } },
      { line: 4, error: expect.stringMatching(/not a PDQ hash: "abc" \(it has 3 characters, not 64\)/) },
      { line: 5, entry: expect.objectContaining({ signal: good }) },
      { line: 6, error: expect.stringMatching(/not hex digits/) },
      { line: 7, entry: expect.objectContaining({ signalType: 'md5' }) },
    ]);
  });

  it('names an unknown type, an out-of-range quality and a broken quote in CSV', () => {
    const h = 'a'.repeat(64);
    const got = parseAll([BANK_CSV_HEADER, `phash,${h},,,`, `pdq,${h},101,,`, `pdq,"${h},50,,`, `pdq,${h},50,"x;y",ref-1`]);
    expect(got).toEqual([
      { line: 2, error: expect.stringMatching(/unknown signal type "phash"/) },
      { line: 3, error: expect.stringMatching(/quality must be an integer 0..100, got "101"/) },
      { line: 4, error: expect.stringMatching(/never closed/) },
      { line: 5, entry: { signalType: 'pdq', signal: h, quality: 50, labels: ['x', 'y'], sourceRef: 'ref-1' } },
    ]);
  });

  it('accepts a vPDQ value as JSON frames (ours or python-threatexchange strings) and stores it canonically', () => {
    const h = 'b'.repeat(64);
    const ours = parseAll([JSON.stringify({ signal_type: 'vpdq', signal: [{ pdq: h.toUpperCase(), quality: 90, timestamp: 1 }] })]);
    const pytx = parseAll([JSON.stringify({ signal_type: 'vpdq', signal: [`${h},90,1.0`] })]);
    expect(ours[0]).toEqual(pytx[0]);
    expect(ours[0]).toMatchObject({ entry: { signal: JSON.stringify([{ pdq: h, quality: 90, timestamp: 1 }]) } });
    expect(parseAll([JSON.stringify({ signal_type: 'vpdq', signal: [{ pdq: h, quality: 200 }] })])[0]).toMatchObject({ error: expect.stringMatching(/quality/) });
  });

  it('splits CSV cells as RFC 4180 does', () => {
    expect(splitCsvLine('a,"b,c",,"d""e"')).toEqual(['a', 'b,c', '', 'd"e']);
    expect(splitCsvLine('a,')).toEqual(['a', '']);
  });
});

describe('the fast path for plain PDQ CSV rows', () => {
  // Under the standard header plain PDQ rows skip the general CSV path; with the columns in another order every row
  // takes the general path. Both must give the same entry, or the same error, for rows near the plain shape.
    // (No space at either end of a line: the general path trims the whole line, whichever cell stands there.)
  const cell = fc.oneof(fc.constant(''), fc.constant('pdq'), fc.constant('PDQ'), fc.constant('md5'), fc.constant('pdq '));
  const signal = fc.oneof(hexArb(64), hexArb(64).map((h) => h.toUpperCase()), hexArb(63), hexArb(65), hexArb(64).map((h) => ` ${h}`), fc.constant('x'.repeat(64)));
  const quality = fc.oneof(fc.constant(''), fc.integer({ min: 0, max: 130 }).map(String), fc.constant('075'), fc.constant('-1'), fc.constant('5x'), fc.constant('1000'));
  const rest = fc.oneof(fc.constant(['', '']), fc.constant(['a;b', '']), fc.constant(['', 'ref']), fc.constant(['', '"q,x"']));
  it('gives what the general CSV path gives', () => {
    fc.assert(fc.property(fc.array(fc.tuple(cell, signal, quality, rest), { minLength: 1, maxLength: 30 }), (rows) => {
      const fast = new BankFileParser('csv');
      const general = new BankFileParser('csv');
      fast.parseLine(BANK_CSV_HEADER);
      general.parseLine('quality,signal,signal_type,labels,source_ref');
      for (const [t, s, q, [l, r]] of rows) {
        expect(fast.parseLine(`${t},${s},${q},${l},${r}`)).toEqual(general.parseLine(`${q},${s},${t},${l},${r}`));
      }
    }), { numRuns: 300 });
  });
});
