/** resolveMatches: per-bank thresholds and minimum quality, bank selection, negative banks, quarantine. */
import { describe, expect, it } from 'vitest';
import type { Bank, BankEntry } from '../banks/bank.js';
import { resolveMatches, type CandidateHit } from './resolve-matches.js';

const bank = (name: string, over: Partial<Bank> = {}): Bank => ({
  id: 1, name, description: '', source: 'manual', enabled: true, negative: false, thresholds: {}, minQuality: 50, labels: ['b-label'], createdAt: '', ...over,
});
let nextId = 1;
const hit = (b: Bank, distance: number, over: Partial<BankEntry> = {}): CandidateHit => ({
  bank: b, distance,
  entry: { id: nextId++, bankId: b.id, signalType: 'pdq', signal: `${distance}`.padStart(64, '0'), quality: 90, sourceRef: 'ref', labels: ['e'], display: null, addedAt: '', addedBy: '', quarantinedAt: null, quarantineReason: null, ...over },
});

describe('resolveMatches', () => {
  it("keeps hits within each bank's own threshold, nearest first, with bank and entry labels", () => {
    const strict = bank('strict', { thresholds: { pdq: 10 } });
    const loose = bank('loose', { thresholds: { pdq: 40 } });
    const { result } = resolveMatches('q', [hit(loose, 35), hit(strict, 12), hit(strict, 8)]);
    expect(result.matches.map((m) => [m.bank, m.distance])).toEqual([['strict', 8], ['loose', 35]]);
    expect(result.matches[0]).toMatchObject({ signalType: 'pdq', quality: 90, sourceRef: 'ref', labels: ['b-label', 'e'] });
  });

  it('answers only from the selected banks, skips disabled banks, quarantined entries and low-quality queries', () => {
    const a = bank('a');
    const off = bank('off', { enabled: false });
    const picky = bank('picky', { minQuality: 80 });
    const hits = [hit(a, 1), hit(off, 1), hit(a, 2, { quarantinedAt: 'now' }), hit(picky, 1)];
    expect(resolveMatches('q', hits, { queryQuality: 70 }).result.matches.map((m) => m.bank)).toEqual(['a']);
    expect(resolveMatches('q', hits, { queryQuality: 90, banks: ['picky'] }).result.matches.map((m) => m.bank)).toEqual(['picky']);
    // A hash given as text has no quality and is not held to a minimum.
    expect(resolveMatches('q', hits).result.matches.map((m) => m.bank).sort()).toEqual(['a', 'picky']);
  });

  it('suppresses every match when the query is within reach of a negative bank, even one not selected', () => {
    const a = bank('a');
    const fp = bank('known-fp', { negative: true, thresholds: { pdq: 5 } });
    const blocked = resolveMatches('q', [hit(a, 3), hit(fp, 4)], { banks: ['a'] });
    expect(blocked.result.matches).toEqual([]);
    expect(blocked.result.suppressedBy).toEqual([{ bank: 'known-fp', signal: expect.any(String), distance: 4 }]);
    expect(resolveMatches('q', [hit(a, 3), hit(fp, 6)]).result.matches.map((m) => m.bank)).toEqual(['a']);
  });

  it("applies each signal type's own threshold, and leaves out types the registry does not know", () => {
    const a = bank('a', { thresholds: { vpdq: 10 } });
    const video = hit(a, 15, { signalType: 'vpdq' });
    expect(resolveMatches('q', [video]).result.matches).toEqual([]);
    expect(resolveMatches('q', [hit(bank('b'), 15, { signalType: 'vpdq' })]).result.matches).toHaveLength(1);
    expect(resolveMatches('q', [hit(a, 0, { signalType: 'no_such_type' })]).result.matches).toEqual([]);
  });
});
