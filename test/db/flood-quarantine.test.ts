/**
 * Flood quarantine is for long-running matching only (issue 8 §8): without the option nothing is ever judged or
 * stored; with it, no verdict comes before the minimum sample of queries, and a flooding entry is then
 * quarantined in the store (both dialects).
 */
import { expect, it } from 'vitest';
import { importBank } from '../../src/services/bank-import.js';
import { createBank, showBank } from '../../src/services/bank-manage.js';
import { matchQueries } from '../../src/services/match/match-queries.js';
import { describeEachDialect } from './each-dialect.js';
import { testStore } from './test-store.js';

const blank = 'e'.repeat(64);
const queries = (n: number) => Array.from({ length: n }, (_, i) => ({ label: `q${i}`, signals: [{ type: 'pdq', value: blank }] }));

describeEachDialect('flood_quarantine', (open) => {
  it('judges floods only when asked, over a minimum sample', async () => {
    const opened = await open();
    try {
      const { banks } = testStore(opened);
      await createBank({ banks }, 'b', {});
      await importBank({ banks }, 'b', [blank]);
      const oneOff = [];
      for await (const r of matchQueries({ banks }, queries(120))) oneOff.push(r.matches.length);
      expect(oneOff).toEqual(Array(120).fill(1));
      expect((await showBank({ banks }, 'b')).quarantined).toBe(0);

      const live = [];
      for await (const r of matchQueries({ banks }, queries(120), { flood: { minSample: 100, minMatches: 50, ratio: 10 } })) live.push(r);
      expect(live.slice(0, 99).every((r) => r.matches.length === 1 && !r.quarantined)).toBe(true);
      expect(live[99].quarantined).toEqual([expect.objectContaining({ bank: 'b', matchesThisRun: 100 })]);
      expect(live.slice(99).every((r) => r.matches.length === 0)).toBe(true);
      expect((await showBank({ banks }, 'b')).quarantined).toBe(1);
    } finally {
      await opened.close();
    }
  });
});
