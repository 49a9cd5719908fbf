/**
 * The bank change log on both databases: every bank write leaves one row naming the ids it added or removed (and
 * never a value); a live index in another "process" (its own repo) follows it from its last seq — adds, removes
 * and a withdrawn bank — skipping its own writes; and when the log no longer reaches back, it reloads instead.
 */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { bankSettings, type BankEntryInput } from '../../src/core/banks/bank.js';
import { BankChangeRepo } from '../../src/io/db/repos/bank-change-repo.js';
import { BankRepo } from '../../src/io/db/repos/bank-repo.js';
import { LiveIndex } from '../../src/services/live-index.js';
import { describeEachDialect } from './each-dialect.js';

const NOW = '2026-12-01T00:50:00.000Z';
const hex = (c: string) => c.repeat(64);
const pdq = (signal: string): BankEntryInput => ({ signalType: 'pdq', signal, quality: 90, sourceRef: null, labels: [] });

/** Ids of pdq entries the index finds for a value at distance 0. */
function found(index: LiveIndex, value: string): number[] {
  const w = Uint32Array.from({ length: 8 }, (_, i) => parseInt(value.slice(i * 8, i * 8 + 8), 16));
  return (index.indexes.get('pdq')?.query([w], 0) ?? []).map((h) => h.id).sort((a, b) => a - b);
}

describeEachDialect('bank_change_log', (open) => {
  describe('bank change log', () => {
    it('records ids (never values) of each write, in order', async () => {
      const { db, close } = await open();
      try {
        const repo = new BankRepo(db);
        const log = new BankChangeRepo(db);
        const bank = await repo.createBank('b', bankSettings({}), NOW);
        const { added } = await repo.insertEntries(bank.id, [pdq(hex('1')), pdq(hex('2')), pdq(hex('3'))], 't', NOW);
        await repo.insertEntries(bank.id, [pdq(hex('1'))], 't', NOW);
        await repo.removeEntries(bank.id, hex('2'));
        await repo.removeEntryById(added[0].id);
        await repo.withdrawBank(bank.id);
        const ids = added.map((e) => e.id);
        const changes = await log.changesAfter(0);
        expect(changes.map((c) => [c.added, c.removed])).toEqual([
          [[[ids[0], ids[2]]], []],
          [[], [[ids[1], ids[1]]]],
          [[], [[ids[0], ids[0]]]],
          [[], [[ids[2], ids[2]]]],
        ]);
        expect(changes.every((c, i) => i === 0 || c.seq > changes[i - 1].seq)).toBe(true);
        expect(changes.every((c) => c.origin === repo.origin)).toBe(true);
        const raw = JSON.stringify((await db.selectFrom('bank_change').selectAll().execute()));
        for (const v of ['1', '2', '3']) expect(raw).not.toContain(hex(v).slice(0, 16));
        expect(await log.latestSeq()).toBe(changes[3].seq);
      } finally {
        await close();
      }
    });

    it('a live index of another repo follows adds, removes and a withdrawn bank from its last seq', async () => {
      const { db, close } = await open();
      try {
        const writer = new BankRepo(db);
        const reader = new BankRepo(db);
        const index = new LiveIndex(reader, {}, undefined, new BankChangeRepo(db));
        const bank = await writer.createBank('b', bankSettings({}), NOW);
        const first = (await writer.insertEntries(bank.id, [pdq(hex('a'))], 't', NOW)).added;
        await index.load();
        expect(found(index, hex('a'))).toEqual([first[0].id]);
        const later = (await writer.insertEntries(bank.id, [pdq(hex('b')), pdq(hex('c'))], 't', NOW)).added;
        await writer.removeEntries(bank.id, hex('a'));
        expect(found(index, hex('b'))).toEqual([]);
        await index.catchUp();
        expect(found(index, hex('a'))).toEqual([]);
        expect(found(index, hex('b'))).toEqual([later[0].id]);
        expect(index.size).toBe(2);
        // Its own writes reach it through its listener, not the log (and catching up again changes nothing).
        const own = (await reader.insertEntries(bank.id, [pdq(hex('d'))], 't', NOW)).added;
        index.entriesAdded(own);
        await index.catchUp();
        await index.catchUp();
        expect(index.size).toBe(3);
        await writer.withdrawBank(bank.id);
        await index.catchUp();
        expect(index.size).toBe(0);
        expect(index.loads).toBe(1);
      } finally {
        await close();
      }
    });

    it('reloads when the log no longer reaches back to its last seq, and keeps answering meanwhile', async () => {
      const { db, close } = await open();
      try {
        const writer = new BankRepo(db);
        const index = new LiveIndex(new BankRepo(db), {}, undefined, new BankChangeRepo(db));
        const bank = await writer.createBank('b', bankSettings({}), NOW);
        const a = (await writer.insertEntries(bank.id, [pdq(hex('a'))], 't', NOW)).added;
        await index.load();
        const b = (await writer.insertEntries(bank.id, [pdq(hex('b'))], 't', NOW)).added;
        await writer.insertEntries(bank.id, [pdq(hex('c'))], 't', NOW);
        // As pruning after a long absence would: the change that added b is gone from the log.
        await sql`delete from bank_change where seq < (select max(seq) from bank_change)`.execute(db);
        await index.catchUp();
        expect(found(index, hex('a'))).toEqual([a[0].id]);
        for (let i = 0; i < 100 && index.loads < 2; i++) await new Promise((r) => setTimeout(r, 20));
        expect(index.loads).toBe(2);
        expect(found(index, hex('b'))).toEqual([b[0].id]);
        expect(index.size).toBe(3);
      } finally {
        await close();
      }
    });
  });
});
