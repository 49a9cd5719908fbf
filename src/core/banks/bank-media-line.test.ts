/** A line of `unexpose hash --format jsonl` output imports as every signal of its file, under one source reference. */
import { describe, expect, it } from 'vitest';
import { BankFileParser } from './bank-file-format.js';

const photo = {
  path: '/home/someone/+31612345678/pic.jpg', kind: 'photo', pdq: 'f'.repeat(64), quality: 90,
  sha256: 'AB'.repeat(32), md5: 'c'.repeat(32),
  regionDct: [{ value: '1'.repeat(64), quality: 80 }, { value: '2'.repeat(64), quality: 75 }],
  regionDctQuery: [{ value: '3'.repeat(64), quality: 70 }],
};

function parse(line: unknown) {
  return new BankFileParser('jsonl').parseLine(JSON.stringify(line));
}

describe('hash output as a bank file', () => {
  it('banks PDQ, the banked region_dct values, MD5 and SHA-256, never the path', () => {
    const r = parse(photo)!;
    expect('error' in r).toBe(false);
    if ('error' in r) return;
    const entries = [r.entry, ...(r.also ?? [])];
    expect(entries.map((e) => [e.signalType, e.signal, e.quality])).toEqual([
      ['pdq', 'f'.repeat(64), 90], ['region_dct', '1'.repeat(64), 80], ['region_dct', '2'.repeat(64), 75],
      ['md5', 'c'.repeat(32), null], ['sha256', 'ab'.repeat(32), null],
    ]);
    expect(new Set(entries.map((e) => e.sourceRef))).toEqual(new Set([`sha256:${'ab'.repeat(8)}`]));
    expect(JSON.stringify(entries)).not.toContain('31612345678');
  });
  it('keeps a source_ref and labels given on the line', () => {
    const r = parse({ ...photo, source_ref: 'case:12', labels: ['victim'] })!;
    if ('error' in r) throw new Error(r.error);
    expect([r.entry, ...(r.also ?? [])].every((e) => e.sourceRef === 'case:12' && e.labels.join() === 'victim')).toBe(true);
  });
  it('banks a video as vPDQ, MD5 and SHA-256', () => {
    const r = parse({ path: 'v.mp4', kind: 'video', md5: 'c'.repeat(32), sha256: 'd'.repeat(64), durationSeconds: 1, width: 8, height: 8,
      vpdq: [{ frame: 0, timestamp: 0, pdq: 'e'.repeat(64), quality: 80 }] })!;
    if ('error' in r) throw new Error(r.error);
    expect([r.entry, ...(r.also ?? [])].map((e) => e.signalType)).toEqual(['vpdq', 'md5', 'sha256']);
  });
  it('names what is wrong with a broken hash line and takes nothing from it', () => {
    const cases: [unknown, RegExp][] = [
      [{ path: 'x', error: 'not an image' , kind: 'photo'}, /could not be hashed/],
      [{ ...photo, pdq: 'xyz' }, /PDQ|hex/i],
      [{ ...photo, regionDct: 'nope' }, /region_dct/],
      [{ ...photo, regionDct: [{ value: 5, quality: 1 }] }, /region_dct/],
      [{ ...photo, regionDct: Array.from({ length: 40 }, () => ({ value: '1'.repeat(64), quality: 1 })) }, /at most/],
      [{ kind: 'video', md5: 'c'.repeat(32), sha256: 'd'.repeat(64), vpdq: 'x' }, /vpdq/],
    ];
    for (const [line, reason] of cases) {
      const r = parse(line)!;
      expect('error' in r, JSON.stringify(line).slice(0, 80)).toBe(true);
      if ('error' in r) expect(r.error).toMatch(reason);
    }
  });
});
