/** BankRepo on both databases: create, import batches without duplicates, remove, withdraw, exact lookups. */
import { describe, expect, it } from 'vitest';
import { bankSettings, type BankEntryInput } from '../../src/core/banks/bank.js';
import { BankRepo } from '../../src/io/db/repos/bank-repo.js';
import { describeEachDialect } from './each-dialect.js';

const NOW = '2026-11-28T12:00:00.000Z';
const hex = (c: string) => c.repeat(64);
const pdq = (signal: string, extra: Partial<BankEntryInput> = {}): BankEntryInput =>
  ({ signalType: 'pdq', signal, quality: 90, sourceRef: null, labels: [], ...extra });

describeEachDialect('bank_repo', (open) => {
  describe('BankRepo', () => {
    it('creates a bank with its settings and refuses a second one of the same name', async () => {
      const { db, close } = await open();
      try {
        const repo = new BankRepo(db);
        const bank = await repo.createBank('case-1', bankSettings({ source: 'case:2026-0012', thresholds: { pdq: 40 }, labels: ['victim'] }), NOW);
        expect(bank).toMatchObject({ name: 'case-1', source: 'case:2026-0012', thresholds: { pdq: 40 }, minQuality: 50, enabled: true, negative: false, labels: ['victim'] });
        await expect(repo.createBank('case-1', bankSettings({}), NOW)).rejects.toThrow(/exists already/);
        expect((await repo.listBanks()).map((b) => b.name)).toEqual(['case-1']);
      } finally {
        await close();
      }
    });

    it('adds each value once, however often it is imported', async () => {
      const { db, close } = await open();
      try {
        const repo = new BankRepo(db);
        const bank = await repo.createBank('b', bankSettings({}), NOW);
        const batch = [pdq(hex('a')), pdq(hex('b'), { labels: ['x', 'y'], sourceRef: 'r1' }), { ...pdq(hex('c')), signalType: 'sha256' as const }];
        const first = await repo.insertEntries(bank.id, batch, 'test', NOW);
        expect(first.added).toHaveLength(3);
        const again = await repo.insertEntries(bank.id, [...batch, pdq(hex('d'))], 'test', NOW);
        expect(again).toMatchObject({ duplicates: 3 });
        expect(again.added.map((e) => e.signal)).toEqual([hex('d')]);
        expect((await repo.countEntries(bank.id)).byType).toEqual({ pdq: 3, sha256: 1 });
        const stored = [];
        for await (const e of repo.streamEntries(bank.id, 2)) stored.push(e);
        expect(stored.map((e) => e.signal)).toEqual([hex('a'), hex('b'), hex('c'), hex('d')]);
        expect(stored[1]).toMatchObject({ labels: ['x', 'y'], sourceRef: 'r1', quality: 90, addedBy: 'test' });
      } finally {
        await close();
      }
    });

    it('stores a long vPDQ value and still de-duplicates it', async () => {
      const { db, close } = await open();
      try {
        const repo = new BankRepo(db);
        const bank = await repo.createBank('v', bankSettings({}), NOW);
        const frames = JSON.stringify(Array.from({ length: 200 }, (_, i) => ({ pdq: hex((i % 16).toString(16)), quality: 80 })));
        const e: BankEntryInput = { signalType: 'vpdq', signal: frames, quality: null, sourceRef: null, labels: [] };
        expect((await repo.insertEntries(bank.id, [e], 't', NOW)).added).toHaveLength(1);
        expect((await repo.insertEntries(bank.id, [e], 't', NOW)).duplicates).toBe(1);
        expect((await repo.entriesOfType('vpdq'))[0].signal).toBe(frames);
      } finally {
        await close();
      }
    });

    it('removes an entry and withdraws a bank for real', async () => {
      const { db, close, dialect } = await open();
      try {
        const repo = new BankRepo(db, dialect);
        const a = await repo.createBank('a', bankSettings({}), NOW);
        const b = await repo.createBank('b', bankSettings({}), NOW);
        await repo.insertEntries(a.id, [pdq(hex('1')), { ...pdq(hex('2')), signalType: 'sha256' }], 't', NOW);
        await repo.insertEntries(b.id, [pdq(hex('1'))], 't', NOW);
        const removed = await repo.removeEntries(a.id, hex('1'));
        expect(removed).toEqual([expect.objectContaining({ signalType: 'pdq', signal: hex('1') })]);
        expect(await repo.removeEntries(a.id, hex('1'))).toEqual([]);
        expect((await repo.findExact('pdq', hex('1'))).map((e) => e.bank.name)).toEqual(['b']);
        const gone = await repo.withdrawBank(a.id);
        expect(gone.map((g) => g.signal)).toEqual([hex('2')]);
        expect(await repo.findBank('a')).toBeUndefined();
        expect(await repo.findExact('sha256', hex('2'))).toEqual([]);
        const left = await db.selectFrom('bank_entry').select('signal_key as signal').execute();
        expect(left).toEqual([{ signal: hex('1') }]);
        await repo.scrubDeleted();
      } finally {
        await close();
      }
    });

    it('pages every value of a type for the index, and joins entries with their banks', async () => {
      const { db, close } = await open();
      try {
        const repo = new BankRepo(db);
        const bank = await repo.createBank('p', bankSettings({ thresholds: { pdq: 20 } }), NOW);
        const entries = Array.from({ length: 25 }, (_, i) => pdq(i.toString(16).padStart(64, '0')));
        await repo.insertEntries(bank.id, entries, 't', NOW);
        const pages = [];
        for await (const page of repo.streamSignals('pdq', 10)) pages.push(page.ids.length);
        expect(pages).toEqual([10, 10, 5]);
        const range = await repo.entryIdRange();
        expect(range).toEqual({ min: 1, max: 25, count: 25 });
        const half = [];
        for await (const page of repo.streamSignals('pdq', 4, 11, 20)) half.push(...page.ids);
        expect(half).toEqual([11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
        const some = await repo.entriesWithBanks([1, 2, 999]);
        expect(some.map((e) => [e.id, e.bank.name, e.bank.thresholds.pdq])).toEqual([[1, 'p', 20], [2, 'p', 20]]);
        await repo.quarantineEntry(1, 'flood', NOW);
        expect((await repo.countEntries(bank.id)).quarantined).toBe(1);
        expect(await repo.releaseEntries(bank.id, entries[0].signal)).toBe(1);
      } finally {
        await close();
      }
    });
  });
});
