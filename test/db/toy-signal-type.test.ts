/**
 * A new signal type is one folder and one registry line: a toy type (test/fixtures/toy-signal/) registered into a
 * registry instance goes through bank creation with its own threshold, import, export and matching, with no
 * other change, on both databases.
 */
import { describe, expect, it } from 'vitest';
import { signalTypes } from '../../src/core/signals/registry.js';
import { exportBank } from '../../src/services/bank-export.js';
import { importBank } from '../../src/services/bank-import.js';
import { createBank } from '../../src/services/bank-manage.js';
import { matchQueries } from '../../src/services/match/match-queries.js';
import { toyNumberSignal } from '../fixtures/toy-signal/toy-number-signal.js';
import { describeEachDialect } from './each-dialect.js';
import { testStore } from './test-store.js';

const registry = signalTypes.with(toyNumberSignal);

describeEachDialect('toy_signal', (open) => {
  describe('a toy signal type added in one folder', () => {
    it('is imported, exported and matched under each bank’s own threshold for it', async () => {
      const opened = await open();
      try {
        const { banks } = testStore(opened);
        const deps = { banks, registry };
        await createBank(deps, 'near', { thresholds: { toy_number: 5 } });
        await createBank(deps, 'strict', { thresholds: { toy_number: 0 } });
        const lines = ['signal_type,signal,quality,labels,source_ref', 'toy_number,0100,,,r-1', 'toy_number,seven,,,', 'pdq,' + 'a'.repeat(64) + ',,,'];
        const imported = await importBank(deps, 'near', lines);
        expect(imported).toMatchObject({ added: 2, skipped: 1 });
        expect(imported.badLines[0].reason).toMatch(/not a toy number/);
        await importBank(deps, 'strict', ['signal_type,signal', 'toy_number,103']);
        const exported = [];
        for await (const l of exportBank(deps, 'near', 'csv')) exported.push(l);
        expect(exported).toContain('toy_number,100,,,r-1');

        const queries = [103, 104, 200].map((n) => ({ label: `n${n}`, signals: [{ type: 'toy_number', value: String(n) }] }));
        const answers = [];
        for await (const r of matchQueries({ banks, registry }, queries)) answers.push(r.matches.map((m) => [m.bank, m.distance, m.sourceRef]));
        expect(answers).toEqual([[['strict', 0, null], ['near', 3, 'r-1']], [['near', 4, 'r-1']], []]);

        // The app's own registry does not know the toy type: its values are refused by name, not mis-read.
        const plain = [];
        for await (const r of matchQueries({ banks }, queries.slice(0, 1))) plain.push(r.error);
        expect(plain[0]).toMatch(/unknown signal type "toy_number"/);
      } finally {
        await opened.close();
      }
    });
  });
});
