/** FloodGuard: quarantines the one entry that matches far more than the others, and only it, once. */
import { describe, expect, it } from 'vitest';
import { FloodGuard } from './flood-guard.js';

describe('FloodGuard', () => {
  it('flags an entry once it passes the minimum and the ratio over the median of the others', () => {
    const guard = new FloodGuard({ minSample: 0, minMatches: 20, ratio: 5 });
    const flagged: number[] = [];
    for (let q = 0; q < 100; q++) flagged.push(...guard.record([1, 100 + (q % 30)]));
    expect(flagged).toEqual([1]);
    expect(guard.count(1)).toBe(100);
  });

  it('leaves entries alone when many match often (a busy bank is not a flood)', () => {
    const guard = new FloodGuard({ minSample: 0, minMatches: 20, ratio: 5 });
    const flagged: number[] = [];
    for (let q = 0; q < 200; q++) flagged.push(...guard.record([q % 4, 10 + (q % 3)]));
    expect(flagged).toEqual([]);
  });

  it('needs the minimum even when nothing else matched', () => {
    const guard = new FloodGuard({ minSample: 0, minMatches: 20, ratio: 5 });
    for (let q = 0; q < 19; q++) expect(guard.record([7])).toEqual([]);
    expect(guard.record([7])).toEqual([7]);
  });

  it('gives no verdict before the minimum sample of queries, however one-sided they are', () => {
    const guard = new FloodGuard({ minSample: 100, minMatches: 20, ratio: 5 });
    for (let q = 0; q < 99; q++) expect(guard.record([7])).toEqual([]);
    expect(guard.record([7])).toEqual([7]);
  });
});
